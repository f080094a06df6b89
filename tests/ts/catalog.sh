#!/usr/bin/env bash
# The catalog's TypeScript proof: every blueprint folder templates/*/*/
# (mirage excepted: typecheck.sh and behaviour.sh cover it), found by
# reading its blueprint.toml (tests/ts/catalog.py), rendered by the real
# `flue add`, then
#
#  0. lint: each v<N>.ts starts with its marker, is in Prettier's default
#     style (the pinned prettier, --no-config), has LF endings and a final
#     newline, and no template syntax (`{{`, `{%`, `{#`: rendered verbatim);
#     guide.md has a ```ts example.
#  1. typecheck: `tsc --strict --noEmit` (skipLibCheck, SPEC §11) of every
#     render and of its guide's first ```ts example, on @flue/runtime 2.0.3
#     and the newest 2.x, x each dependency's oldest and newest version in
#     its range, x npm and pnpm layouts. GROUP installs: one node_modules per
#     (runtime x oldest|newest x pm) holding every blueprint's dependencies
#     (8 installs), cached under target/ts-cache/installs like lib.sh's. One
#     project per (group x target) holds every blueprint supporting that
#     target; tsc errors are attributed to blueprints by file.
#  2. behaviour: per blueprint, tests/ts/sdk/<name>.test.mjs (a missing suite
#     fails), run with Node 22 `node --test`.
#
# Interface of a behaviour suite (tests/ts/sdk/<name>.test.mjs):
#   run as   node --test --test-reporter=spec tests/ts/sdk/<name>.test.mjs
#   env      FLUE_ADAPTER  absolute path of the adapter compiled by tsc
#                          (<project>/build/sandboxes/<name>.js), rendered by
#                          `flue add` in a project whose node_modules has the
#                          newest @flue/runtime 2.x and every catalog SDK at
#                          its newest version in range (npm layout)
#            FLUE_PROJECT  that project's directory: import @flue/runtime and
#                          SDKs as the project would (the test file lives
#                          outside it; ESM-only packages have no `require`
#                          entry, so createRequire(FLUE_PROJECT +
#                          "/package.json") only works for CJS ones:
#                          tests/ts/sdk/lib/world.mjs importFromProject()
#                          imports from a module inside the project)
#            FLUE_BLUEPRINT the blueprint's name
#   cwd      the project directory; stdin is /dev/null; PATH unchanged.
#   A suite against a test double of the provider says "stub" in every test
#   title. Exit code non-zero = failed; node's summary lines are kept.
#   A cloudflare-only blueprint is compiled in the cloudflare project (same
#   node_modules).
#
# Optional typecheck.json beside a blueprint.toml (typecheck only): extra
# packages to install and compilerOptions.types per target; see catalog.py.
#
# Env: FLUE_BIN (default target/debug/flue), FLUE_TS_JOBS (parallel installs
# and tsc runs, default 2), FLUE_CATALOG_ONLY=<name,...>, FLUE_CATALOG_STEPS=
# lint,typecheck,behaviour (default all three), FLUE_TS_TEMPLATE_DIR (mutation testing:
# replace each render by <dir>/<name>/v<N>.ts when that file exists),
# FLUE_TS_REFRESH=1 (re-resolve ranges instead of the cached resolution).
#
# Usage: tests/ts/catalog.sh
source "$(dirname "$0")/lib.sh"

RUNTIME_RANGES=(2.0.3 ^2)
STEPS="${FLUE_CATALOG_STEPS:-lint,typecheck,behaviour}"
PLAN="$CACHE/catalog"
PY="$REPO/tests/ts/catalog.py"

declare -A BP_DIR BP_VERSION BP_TARGETS

read_blueprints() {
  local name kind dir version targets
  while IFS=$'\t' read -r name kind dir version targets; do
    BP_DIR[$name]=$dir
    BP_VERSION[$name]=$version
    BP_TARGETS[$name]=$targets
  done < <(python3 "$PY" blueprints)
  [ ${#BP_DIR[@]} -gt 0 ] || die "no catalog blueprint found under templates/"
}

supports() { [[ ",${BP_TARGETS[$1]}," == *",$2,"* ]]; }

# render <dir> <name> <target>: the real CLI, then the marker and the
# dependencies it must have added.
render() {
  local dir=$1 name=$2 target=$3 out
  local file="$dir/src/sandboxes/$name.ts" v=${BP_VERSION[$2]}
  if ! out=$("$FLUE_BIN" add sandbox "$name" --yes --target "$target" \
    --cwd "$dir" 2>&1 </dev/null); then
    log "FAIL render: $name ($target): flue add exited non-zero:"
    log "$out"
    return 1
  fi
  local pkg rng section
  while IFS=$'\t' read -r pkg rng section; do
    node -e '
      const [f, s, p, r] = process.argv.slice(1);
      const got = (require(f)[s] || {})[p];
      if (got !== r) {
        console.error(`package.json ${s}: expected ${p} ${r}, got ${got}`);
        process.exit(1);
      }' "$dir/package.json" "$section" "$pkg" "$rng" ||
      {
        log "FAIL render: $name ($target): dependency not added"
        return 1
      }
  done < <(python3 "$PY" deps "$name" "$target")
  [ -f "$file" ] || {
    log "FAIL render: $name ($target): $file not written"
    return 1
  }
  [ "$(head -n1 "$file")" = "// flue-blueprint: sandbox/$name@$v" ] || {
    log "FAIL render: $name ($target): marker line is $(head -n1 "$file")"
    return 1
  }
  if [ -n "${FLUE_TS_TEMPLATE_DIR:-}" ] &&
    [ -f "$FLUE_TS_TEMPLATE_DIR/$name/v$v.ts" ]; then
    cp "$FLUE_TS_TEMPLATE_DIR/$name/v$v.ts" "$file"
  fi
  # The guide's first ```ts example, so the guide cannot drift.
  mkdir -p "$dir/src/agents"
  awk '/^```ts$/ { f = 1; next } /^```$/ { if (f) exit } f' \
    "${BP_DIR[$name]}/guide.md" >"$dir/src/agents/$name.ts"
  [ -s "$dir/src/agents/$name.ts" ] || {
    log "FAIL render: $name: ${BP_DIR[$name]}/guide.md has no \`\`\`ts example"
    return 1
  }
}

write_tsconfigs() {
  local dir=$1 types=$2
  cat >"$dir/tsconfig.json" <<EOF
{
  "compilerOptions": {
    "strict": true,
    "skipLibCheck": true,
    "noEmit": true,
    "allowImportingTsExtensions": true,
    "target": "ES2022",
    "lib": ["ES2022", "DOM"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "types": $types
  },
  "include": ["src"]
}
EOF
  cat >"$dir/tsconfig.build.json" <<EOF
{
  "compilerOptions": {
    "strict": true,
    "skipLibCheck": true,
    "target": "ES2022",
    "lib": ["ES2022", "DOM"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "types": $types,
    "rootDir": "src",
    "outDir": "build"
  },
  "include": ["src/sandboxes"]
}
EOF
}

# prepare_project <group> <runtime> <target>: a fresh project with every
# blueprint that supports <target>; prints its dir (empty: none supports it).
prepare_project() {
  local group=$1 runtime=$2 target=$3 name dir
  local -a names=()
  for name in $(printf '%s\n' "${!BP_DIR[@]}" | sort); do
    supports "$name" "$target" && names+=("$name")
  done
  [ ${#names[@]} -gt 0 ] || return 0
  dir=$(new_project "cat-$group-$target" "$runtime")
  printf '%s\n' "${names[@]}" >"$dir/.blueprints"
  for name in "${names[@]}"; do
    render "$dir" "$name" "$target" || return 1
  done
  write_tsconfigs "$dir" "$(python3 "$PY" types "$target" "${names[@]}")"
  ln -sfn "$INSTALLS/$(cat "$PLAN/$group.hash")/node_modules" "$dir/node_modules"
  printf '%s' "$dir"
}

install_groups() {
  local -a pids=()
  local group runtime which pm manifest hash failed=0 pid
  mkdir -p "$INSTALLS"
  while IFS=$'\t' read -r group runtime which pm manifest; do
    hash=$({ cat "$manifest"; echo "$pm"; } | hash_of)
    printf '%s' "$hash" >"$PLAN/$group.hash"
    printf '%s\t%s\t%s\t%s\n' "$group" "$runtime" "$which" "$pm" >>"$PLAN/groups.tsv"
    install_deps "$hash" "$manifest" "$pm" &
    pids+=($!)
    if [ ${#pids[@]} -ge "$JOBS" ]; then
      wait "${pids[0]}" || failed=1
      pids=("${pids[@]:1}")
    fi
  done <"$PLAN/plan.tsv"
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ $failed -eq 0 ]
}

# Per project: tsc; report per blueprint, by the files its errors name.
typecheck() {
  local failures=0 group runtime which pm target dir name errs
  local -a dirs=() pids=()
  while IFS=$'\t' read -r group runtime which pm; do
    for target in node cloudflare; do
      dir=$(prepare_project "$group" "$runtime" "$target") || return 1
      [ -n "$dir" ] || continue
      dirs+=("$dir|$runtime|$which|$pm|$target")
      (
        cd "$dir" && rc=0
        "$NODE22" node_modules/typescript/bin/tsc -p . >tsc.log 2>&1 || rc=$?
        echo $rc >tsc.rc
      ) &
      pids+=($!)
      if [ ${#pids[@]} -ge "$JOBS" ]; then
        wait "${pids[0]}" || true
        pids=("${pids[@]:1}")
      fi
    done
  done <"$PLAN/groups.tsv"
  wait || true
  local entry checked=0
  for entry in "${dirs[@]}"; do
    IFS='|' read -r dir runtime which pm target <<<"$entry"
    local other
    other=$(grep 'error TS' "$dir/tsc.log" | grep -cvE '^src/(sandboxes|agents)/' || true)
    while read -r name; do
      checked=$((checked + 1))
      errs=$(grep -E "^src/(sandboxes|agents)/$name\.ts\(" "$dir/tsc.log" || true)
      if [ -z "$errs" ] && [ "$other" = 0 ] &&
        { [ "$(cat "$dir/tsc.rc")" = 0 ] || grep -q 'error TS' "$dir/tsc.log"; }; then
        log "ok   typecheck: $name on @flue/runtime $runtime, dependencies $which ($pm, $target)"
      else
        log "FAIL typecheck: $name on @flue/runtime $runtime, dependencies $which ($pm, $target): $(printf '%s\n' "$errs" "$(cat "$dir/tsc.log")" | grep -m1 'error TS')"
        log "     (project: $dir; $(printf '%s\n' "$errs" | grep -c 'error TS') errors in its files)"
        failures=$((failures + 1))
      fi
    done <"$dir/.blueprints"
  done
  log "typecheck: $checked checks, $failures failed"
  [ $failures -eq 0 ]
}

lint() {
  local failures=0 name dir f v
  for name in $(printf '%s\n' "${!BP_DIR[@]}" | sort); do
    dir=${BP_DIR[$name]}
    for f in "$dir"/v*.ts; do
      v=${f##*/v}
      v=${v%.ts}
      if [ "$(head -n1 "$f")" != "// flue-blueprint: sandbox/$name@$v" ]; then
        log "FAIL lint: $f: first line is not the marker of version $v"
        failures=$((failures + 1))
      fi
    done
    for f in "$dir"/*.ts "$dir"/guide.md; do
      if grep -n -e '{{' -e '{%' -e '{#' "$f" >&2; then
        log "FAIL lint: $f contains template syntax"
        failures=$((failures + 1))
      fi
      if grep -q $'\r' "$f" || [ -n "$(tail -c1 "$f")" ]; then
        log "FAIL lint: $f: needs LF line endings and a final newline"
        failures=$((failures + 1))
      fi
    done
    grep -qx '```ts' "$dir/guide.md" || {
      log "FAIL lint: $dir/guide.md has no \`\`\`ts example"
      failures=$((failures + 1))
    }
    if ! (cd "$dir" && "$NODE22" "$PRETTIER" --no-config --check v*.ts >/dev/null 2>&1); then
      log "FAIL lint: $dir/v*.ts are not in Prettier's default style"
      failures=$((failures + 1))
    fi
  done
  log "lint: ${#BP_DIR[@]} blueprints, $failures failed"
  [ $failures -eq 0 ]
}

behaviour() {
  local group runtime which pm target dir name rc failures=0
  local -A adapter=() project=()
  # The newest runtime with the newest dependencies, npm layout.
  IFS=$'\t' read -r group runtime which pm < <(awk -F'\t' '$3 == "newest" && $4 == "npm"' "$PLAN/groups.tsv" | tail -n1)
  [ -n "$group" ] || die "no newest/npm group planned"
  for target in node cloudflare; do
    dir="$PROJECTS/cat-$group-$target"
    if [ ! -f "$dir/.blueprints" ] || [[ "$STEPS" != *typecheck* ]]; then
      dir=$(prepare_project "$group" "$runtime" "$target") || return 1
      [ -n "$dir" ] || continue
    fi
    local out
    if ! out=$(cd "$dir" && "$NODE22" node_modules/typescript/bin/tsc -p tsconfig.build.json 2>&1); then
      log "FAIL compile ($target): $(printf '%s\n' "$out" | grep -m1 'error TS')"
      return 1
    fi
    while read -r name; do
      [ -n "${adapter[$name]:-}" ] && continue
      adapter[$name]="$dir/build/sandboxes/$name.js"
      project[$name]=$dir
    done <"$dir/.blueprints"
  done
  for name in $(printf '%s\n' "${!BP_DIR[@]}" | sort); do
    local suite="$REPO/tests/ts/sdk/$name.test.mjs"
    if [ ! -f "$suite" ]; then
      log "FAIL behaviour: $name has no suite ($suite)"
      failures=$((failures + 1))
      continue
    fi
    log "behaviour: $name ($suite)"
    rc=0
    (cd "${project[$name]}" && FLUE_ADAPTER="${adapter[$name]}" \
      FLUE_PROJECT="${project[$name]}" FLUE_BLUEPRINT="$name" \
      "$NODE22" --test --test-reporter=spec "$suite" </dev/null) || rc=$?
    [ $rc -eq 0 ] || failures=$((failures + 1))
  done
  [ $failures -eq 0 ]
}

main() {
  local t0=$SECONDS status=0
  ensure_flue
  ensure_tools
  read_blueprints
  log "catalog: ${#BP_DIR[@]} blueprints (${!BP_DIR[*]}), rendered by $FLUE_BIN"
  if [[ "$STEPS" == *lint* ]]; then
    lint || status=1
  fi
  if [[ "$STEPS" != *typecheck* && "$STEPS" != *behaviour* ]]; then
    log "catalog: $([ $status -eq 0 ] && echo ok || echo FAILED) in $((SECONDS - t0))s"
    return $status
  fi
  rm -rf "$PLAN" && mkdir -p "$PLAN"
  FLUE_CATALOG_TOOLS="{\"typescript\":\"$TS_VERSION\",\"@types/node\":\"$TYPES_NODE_VERSION\"}" \
    python3 "$PY" plan "$PLAN/manifests" "${RUNTIME_RANGES[@]}" >"$PLAN/plan.tsv" || exit 1
  if [[ "$STEPS" != *typecheck* ]]; then
    # The behaviour step alone needs only the newest runtime's newest/npm
    # group.
    awk -F'\t' '$3 == "newest" && $4 == "npm"' "$PLAN/plan.tsv" | tail -n1 >"$PLAN/plan.one"
    mv "$PLAN/plan.one" "$PLAN/plan.tsv"
  fi
  log "catalog: $(wc -l <"$PLAN/plan.tsv") installs"
  install_groups || exit 1
  log "catalog: installs ready in $((SECONDS - t0))s"
  if [[ "$STEPS" == *typecheck* ]]; then
    typecheck || status=1
  fi
  if [[ "$STEPS" == *behaviour* ]]; then
    behaviour || status=1
  fi
  log "catalog: $([ $status -eq 0 ] && echo ok || echo FAILED) in $((SECONDS - t0))s"
  return $status
}

main "$@"
