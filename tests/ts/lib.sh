# Shared by typecheck.sh and behaviour.sh (sourced, not run).
#
# Layout, all under target/ (never committed), siblings so that no project
# has a node_modules folder in an ancestor (SPEC §11):
#   target/ts-cache/tools/               typescript, node@22, pnpm
#   target/ts-cache/installs/<hash>/     one dependency install per manifest
#   target/ts-cache/projects/<case>/     fresh project per case; its
#                                        node_modules links to an install
#   target/npm-cache, target/pnpm-store  shared package caches
#
# Env: FLUE_BIN (default target/debug/flue), FLUE_TS_JOBS (parallel installs,
# default 2), FLUE_TS_TEMPLATE_DIR (mutation testing only: replace the
# rendered adapter by <dir>/v<N>.ts after `flue add`).

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE="$REPO/target/ts-cache"
TOOLS="$CACHE/tools"
INSTALLS="$CACHE/installs"
PROJECTS="$CACHE/projects"
NPM_CACHE="$REPO/target/npm-cache"
PNPM_STORE="$REPO/target/pnpm-store"
FLUE_BIN="${FLUE_BIN:-$REPO/target/debug/flue}"
JOBS="${FLUE_TS_JOBS:-2}"

# Pinned tool versions: a change re-installs everything once.
TS_VERSION=7.0.2
TYPES_NODE_VERSION=22.20.5
NODE22_VERSION=22.23.3
PNPM_VERSION=10.34.8
PRETTIER_VERSION=3.10.1
MIRAGE_RANGE="^0.0.2"

# An install that hangs (no network, a proxy the tool does not trust) fails
# after this many seconds instead of eating CI's time.
INSTALL_TIMEOUT="${INSTALL_TIMEOUT:-600}"
NPM_FLAGS=(--cache "$NPM_CACHE" --prefer-offline --no-audit --no-fund
  --loglevel=error --no-update-notifier)

export CI="${CI:-true}"
export npm_config_update_notifier=false

log() { printf '%s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

hash_of() { sha256sum | cut -c1-16; }

# Tools: node 22 (every @flue/runtime declares node >= 22.19), pnpm,
# prettier (the templates' style).
ensure_tools() {
  local manifest
  manifest=$(
    cat <<EOF
{
  "name": "flue-ts-tools",
  "private": true,
  "dependencies": {
    "node": "$NODE22_VERSION",
    "pnpm": "$PNPM_VERSION",
    "prettier": "$PRETTIER_VERSION",
    "typescript": "$TS_VERSION"
  }
}
EOF
  )
  local want
  want=$(printf '%s' "$manifest" | hash_of)
  if [ "$(cat "$TOOLS/.inputs" 2>/dev/null)" != "$want" ] ||
    [ ! -x "$TOOLS/node_modules/node/bin/node" ]; then
    log "tools: installing node@$NODE22_VERSION pnpm@$PNPM_VERSION prettier@$PRETTIER_VERSION typescript@$TS_VERSION"
    rm -rf "$TOOLS" && mkdir -p "$TOOLS"
    printf '%s\n' "$manifest" >"$TOOLS/package.json"
    (cd "$TOOLS" && timeout "$INSTALL_TIMEOUT" npm install "${NPM_FLAGS[@]}" >"$TOOLS/install.log" 2>&1) ||
      {
        cat "$TOOLS/install.log" >&2
        die "installing the harness tools failed"
      }
    printf '%s' "$want" >"$TOOLS/.inputs"
  fi
  NODE22="$TOOLS/node_modules/node/bin/node"
  PNPM="$TOOLS/node_modules/pnpm/bin/pnpm.cjs"
  PRETTIER="$TOOLS/node_modules/prettier/bin/prettier.cjs"
  case "$("$NODE22" --version)" in
  v22.*) ;;
  *) die "node from the npm 'node' package is not v22: $("$NODE22" --version)" ;;
  esac
}

ensure_flue() {
  [ -x "$FLUE_BIN" ] || die "flue binary not found at $FLUE_BIN (run cargo build, or set FLUE_BIN)"
}

# json_edit <file> <js-expression on j>: edit a JSON file in place.
json_edit() {
  node -e '
    const fs = require("fs");
    const f = process.argv[1];
    const j = JSON.parse(fs.readFileSync(f, "utf8"));
    (new Function("j", process.argv[2]))(j);
    fs.writeFileSync(f, JSON.stringify(j, null, 2) + "\n");
  ' "$1" "$2"
}

# new_project <case> <runtime>: a fresh Flue-like project with src/.
new_project() {
  local dir="$PROJECTS/$1"
  rm -rf "$dir"
  mkdir -p "$dir/src"
  cat >"$dir/package.json" <<EOF
{
  "name": "flue-ts-$1",
  "private": true,
  "type": "module",
  "dependencies": {
    "@flue/runtime": "$2"
  }
}
EOF
  printf '%s' "$dir"
}

# flue_add <dir> <template-version> <target> <pm>: run the real CLI, check
# what it wrote.
flue_add() {
  local dir=$1 tv=$2 target=$3 pm=$4 out
  if ! out=$("$FLUE_BIN" add sandbox mirage --cwd "$dir" --yes \
    --blueprint-version "$tv" --target "$target" --package-manager "$pm" 2>&1 </dev/null); then
    log "$out"
    return 1
  fi
  local file="$dir/src/sandboxes/mirage.ts"
  [ -f "$file" ] || {
    log "flue add did not write $file"
    return 1
  }
  [ "$(head -n1 "$file")" = "// flue-blueprint: sandbox/mirage@$tv" ] || {
    log "unexpected marker line in $file: $(head -n1 "$file")"
    return 1
  }
  local runtime_pkg=@struktoai/mirage-node
  [ "$target" = cloudflare ] && runtime_pkg=@struktoai/mirage-browser
  node -e '
    const j = require(process.argv[1]);
    const d = j.dependencies || {};
    for (const p of process.argv.slice(3)) {
      if (d[p] !== process.argv[2]) {
        console.error(`package.json: expected ${p} ${process.argv[2]}, got ${d[p]}`);
        process.exit(1);
      }
    }
  ' "$dir/package.json" "$MIRAGE_RANGE" "$runtime_pkg" @struktoai/mirage-core || return 1
  if [ -n "${FLUE_TS_TEMPLATE_DIR:-}" ]; then
    cp "$FLUE_TS_TEMPLATE_DIR/v$tv.ts" "$file"
  fi
}

# install_manifest <dir> <pm>: writes the manifest to install (the project's
# package.json plus typescript and @types/node; without mirage-browser, which
# is not published) and prints its install hash.
install_manifest() {
  local dir=$1 pm=$2
  cp "$dir/package.json" "$dir/.install.json"
  json_edit "$dir/.install.json" '
    delete j.dependencies["@struktoai/mirage-browser"];
    j.name = "flue-ts-install";
    j.devDependencies = Object.assign({}, j.devDependencies, {
      "typescript": "'"$TS_VERSION"'",
      "@types/node": "'"$TYPES_NODE_VERSION"'",
    });'
  { cat "$dir/.install.json"; echo "$pm"; } | hash_of
}

# install_deps <hash> <manifest> <pm>: install once per manifest.
install_deps() {
  local hash=$1 manifest=$2 pm=$3 dir="$INSTALLS/$1"
  if [ -f "$dir/.done" ] && [ -d "$dir/node_modules" ]; then
    return 0
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$manifest" "$dir/package.json"
  local t0=$SECONDS rc=0
  if [ "$pm" = pnpm ]; then
    (cd "$dir" && timeout "$INSTALL_TIMEOUT" "$NODE22" "$PNPM" install --store-dir "$PNPM_STORE" \
      --prefer-offline --config.strict-dep-builds=false \
      --config.confirm-modules-purge=false >install.log 2>&1) || rc=$?
    # pnpm 10+ may exit 1 with ERR_PNPM_IGNORED_BUILDS on a complete install.
    if [ $rc -ne 0 ] && grep -q ERR_PNPM_IGNORED_BUILDS "$dir/install.log" &&
      [ -d "$dir/node_modules/@flue/runtime" ]; then
      rc=0
    fi
  else
    (cd "$dir" && timeout "$INSTALL_TIMEOUT" npm install "${NPM_FLAGS[@]}" >install.log 2>&1) || rc=$?
  fi
  if [ $rc -ne 0 ]; then
    log "install ($pm) failed in $dir:"
    tail -n 30 "$dir/install.log" >&2
    return 1
  fi
  touch "$dir/.done"
  log "  installed $hash ($pm) in $((SECONDS - t0))s"
}

# prepare_cases <case>...: each case is "name runtime tv pm target". Runs flue
# add in a fresh project per case, installs each distinct manifest once (in
# parallel), and links node_modules.
prepare_cases() {
  local -A manifests=() pms=()
  local spec name runtime tv pm target dir hash
  for spec in "$@"; do
    read -r name runtime tv pm target <<<"$spec"
    dir=$(new_project "$name" "$runtime")
    if ! flue_add "$dir" "$tv" "$target" "$pm"; then
      log "FAIL flue add: runtime $runtime, template v$tv ($pm, $target)"
      return 1
    fi
    if [ "$target" = cloudflare ]; then
      log "note: $name: @struktoai/mirage-browser is not published on the npm registry; installing the other dependencies, the render is checked against @struktoai/mirage-core"
    fi
    hash=$(install_manifest "$dir" "$pm")
    printf '%s' "$hash" >"$dir/.install-hash"
    manifests[$hash]="$dir/.install.json"
    pms[$hash]=$pm
  done
  mkdir -p "$INSTALLS"
  local -a pids=()
  local failed=0 pid
  for hash in "${!manifests[@]}"; do
    install_deps "$hash" "${manifests[$hash]}" "${pms[$hash]}" &
    pids+=($!)
    if [ ${#pids[@]} -ge "$JOBS" ]; then
      wait "${pids[0]}" || failed=1
      pids=("${pids[@]:1}")
    fi
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ $failed -eq 0 ] || return 1
  for spec in "$@"; do
    read -r name _ <<<"$spec"
    dir="$PROJECTS/$name"
    ln -sfn "$INSTALLS/$(cat "$dir/.install-hash")/node_modules" "$dir/node_modules"
  done
}
