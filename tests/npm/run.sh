#!/usr/bin/env bash
# The npm distribution end to end (SPEC §16): packs the tarballs with
# scripts/npm/pack.sh, installs them into fresh temporary Flue projects with
# npm and with pnpm, and runs `flueprint` as a JavaScript user would.
#
# Our packages never come from a registry: the host's platform package is
# overridden to its local tarball, and the @flueprint scope points at a
# closed local port, so the other platforms' packages fail to resolve and are
# skipped like any unpublished optional dependency. The projects need no
# other package (`@flue/runtime` is written into package.json after the
# install, which is all flue reads), so a warm run needs no network at all.
#
# Node 22 and pnpm are the versions pinned in tests/ts/lib.sh. Caches and
# projects live under target/npm-test. Closes with node:test-style counts.
set -uo pipefail
source "$(dirname "$0")/../ts/lib.sh"
set +e
ensure_tools
export PATH="$(dirname "$NODE22"):$PATH"
pnpm() { timeout "$INSTALL_TIMEOUT" "$NODE22" "$PNPM" "$@"; }

work="$REPO/target/npm-test"
rm -rf "$work" && mkdir -p "$work/pack"
passed=0
failed=0
ok() {
  passed=$((passed + 1))
  echo "ok - $1"
}
not_ok() {
  failed=$((failed + 1))
  echo "not ok - $1"
  [ -n "${2:-}" ] && printf '  %s\n' "$2" | head -n 20
}
# check <title> <expected exit code> <command...>: runs it, output in $out.
check_rc() {
  local title=$1 want=$2
  shift 2
  out=$("$@" 2>"$work/stderr")
  local rc=$?
  if [ "$rc" = "$want" ]; then ok "$title"; else not_ok "$title" "exit $rc, want $want; stderr: $(cat "$work/stderr")"; fi
}

t0=$SECONDS
mapfile -t tarballs < <(bash "$REPO/scripts/npm/pack.sh" "$work/pack")
key=$("$NODE22" "$REPO/scripts/npm/stage.mjs" host)
version=$("$NODE22" "$REPO/scripts/npm/stage.mjs" version)
main_tgz="$work/pack/flueprint-$version.tgz"
plat_tgz="$work/pack/flueprint-$key-$version.tgz"
bare="${CARGO_TARGET_DIR:-$REPO/target}/release/flue"
if [ -f "$main_tgz" ] && [ -f "$plat_tgz" ] && [ ${#tarballs[@]} = 2 ]; then
  ok "pack.sh writes flueprint-$version.tgz and flueprint-$key-$version.tgz"
else
  not_ok "pack.sh writes both tarballs" "got: ${tarballs[*]}"
  echo "ℹ pass $passed"
  echo "ℹ fail $failed"
  exit 1
fi

# --- the packages' manifests
manifest() { tar -xzOf "$1" package/package.json; }
if out=$("$NODE22" -e '
  const [main, plat, key, version, cargo] = process.argv.slice(1).map((s, i) => i < 2 ? JSON.parse(s) : s);
  const bad = [];
  for (const p of [main, plat]) {
    if (p.version !== version) bad.push(`${p.name}: version ${p.version}, Cargo.toml says ${version}`);
    for (const s of ["preinstall", "install", "postinstall"]) if ((p.scripts || {})[s]) bad.push(`${p.name} has a ${s} script`);
  }
  if (JSON.stringify(main.bin) !== JSON.stringify({ flueprint: "bin/flueprint" })) bad.push("main bin is not { flueprint }");
  const opt = main.optionalDependencies || {};
  if (opt[`@flueprint/${key}`] !== version) bad.push(`main does not depend on @flueprint/${key}@${version}`);
  if (plat.name !== `@flueprint/${key}`) bad.push(`platform package is named ${plat.name}`);
  const [os, cpu, libc] = key.split("-");
  if (plat.os[0] !== os || plat.cpu[0] !== cpu) bad.push("platform os/cpu fields");
  if (os === "linux" && plat.libc[0] !== (libc === "gnu" ? "glibc" : "musl")) bad.push("platform libc field");
  if (plat.preferUnplugged !== true) bad.push("platform package lacks preferUnplugged");
  if (bad.length) { console.log(bad.join("\n")); process.exit(1); }
' "$(manifest "$main_tgz")" "$(manifest "$plat_tgz")" "$key" "$version" 2>&1); then
  ok "manifests: version from Cargo.toml, bin flueprint, os/cpu/libc, no install scripts"
else
  not_ok "manifests" "$out"
fi
missing=""
for k in $("$NODE22" -e 'for (const p of require(process.argv[1]).platforms) console.log(p.key)' "$REPO/npm/platforms.json"); do
  grep -q "key: $k\$" "$REPO/.github/workflows/release.yml" || missing="$missing $k"
done
if [ -z "$missing" ]; then ok "release.yml builds every platform of npm/platforms.json"; else not_ok "release.yml builds every platform" "missing:$missing"; fi

# --- a fresh project; $1 = name, $2 = "pnpm" for a pnpm override block
new_proj() {
  local dir="$work/$1" override="{ \"@flueprint/$key\": \"file:$plat_tgz\" }"
  mkdir -p "$dir/src"
  if [ "$2" = pnpm ]; then override="{ \"overrides\": $override }"; fi
  cat >"$dir/package.json" <<EOF
{
  "name": "flue-npm-$1",
  "private": true,
  "type": "module",
  "$([ "$2" = pnpm ] && echo pnpm || echo overrides)": $override
}
EOF
  printf '@flueprint:registry=http://127.0.0.1:9/\nfetch-retries=0\n' >"$dir/.npmrc"
  echo "$dir"
}
as_flue_project() { json_edit "$1/package.json" 'j.dependencies = { "@flue/runtime": "^2.1.0" };'; }
installed() {
  if [ "$1" = 0 ]; then ok "$2"; else
    not_ok "$2" "$(tail -n 20 "$3")"
    return 1
  fi
}

# Scripts standing in for the binary through FLUEPRINT_BINARY.
fake="$work/fake"
mkdir -p "$fake"
printf '#!/bin/sh\necho "override: $*"\nexit 5\n' >"$fake/echo"
printf '#!/bin/sh\ntrap "echo got-term >\\"$1\\"; exit 42" TERM\necho $$ >"$1.ready"\nwhile :; do sleep 0.05; done\n' >"$fake/trap"
printf '#!/bin/sh\necho $$ >"$1.ready"\nwhile :; do sleep 0.05; done\n' >"$fake/notrap"
chmod +x "$fake"/*
echo 'delete process.execve; if (process.execve) process.execve = undefined;' >"$fake/no-execve.cjs"
echo 'Object.defineProperty(process, "arch", { value: "s390x" });' >"$fake/s390x.cjs"

# sigterm <title> <script> <want rc> [NODE_OPTIONS]: starts the launcher,
# waits until the script runs, sends SIGTERM to the launcher's pid.
sigterm() {
  local title=$1 script=$2 want=$3 flag="$work/sig.$RANDOM"
  NODE_OPTIONS="${4:-}" FLUEPRINT_BINARY="$fake/$script" "$dir/node_modules/.bin/flueprint" "$flag" &
  local pid=$! i
  for i in $(seq 100); do [ -f "$flag.ready" ] && break; sleep 0.05; done
  kill -TERM "$pid"
  wait "$pid"
  local rc=$?
  if [ "$rc" = "$want" ] && { [ "$script" = notrap ] || grep -q got-term "$flag" 2>/dev/null; }; then
    ok "$title"
  else
    not_ok "$title" "exit $rc, want $want"
    kill -KILL "$pid" "$(cat "$flag.ready" 2>/dev/null)" 2>/dev/null
  fi
}

# add_json <title> <command...>: one JSON object on stdout, the file created.
add_json() {
  local title=$1
  shift
  check_rc "$title: exit 0" 0 "$@"
  if printf '%s' "$out" | "$NODE22" -e '
      const t = require("fs").readFileSync(0, "utf8");
      const j = JSON.parse(t);
      if (t.trim().split("\n").length !== 1 || j.ok !== true || j.command !== "add") process.exit(1);
      if (!j.files.some((f) => f.action === "create" && f.path.endsWith("sandboxes/mirage.ts"))) process.exit(1);
    ' && [ "$(head -n1 "$dir/src/sandboxes/mirage.ts" 2>/dev/null)" = "// flue-blueprint: sandbox/mirage@2" ]; then
    ok "$title: one JSON object, src/sandboxes/mirage.ts created"
  else
    not_ok "$title: one JSON object, src/sandboxes/mirage.ts created" "$out"
  fi
}

# --- the libc choice, on the layout npm makes (node_modules/flueprint next to
# node_modules/@flueprint/*), staged without a package manager: scripts
# standing in for the two binaries say which one the launcher ran.
if [[ "$key" == linux-*-gnu ]]; then
  staged="$work/libc/node_modules"
  other=${key%-gnu}-musl
  "$NODE22" "$REPO/scripts/npm/stage.mjs" main "$staged/flueprint"
  printf '#!/bin/sh\necho gnu\n' >"$fake/gnu"
  printf '#!/bin/sh\necho musl\n' >"$fake/musl"
  chmod +x "$fake/gnu" "$fake/musl"
  "$NODE22" "$REPO/scripts/npm/stage.mjs" platform "$other" "$fake/musl" "$staged/@flueprint/$other"
  out=$("$NODE22" "$staged/flueprint/bin/flueprint" 2>&1)
  [ "$out" = musl ] && ok "only $other installed: the launcher runs it" || not_ok "only $other installed: the launcher runs it" "$out"
  "$NODE22" "$REPO/scripts/npm/stage.mjs" platform "$key" "$fake/gnu" "$staged/@flueprint/$key"
  out=$("$NODE22" "$staged/flueprint/bin/flueprint" 2>&1)
  [ "$out" = gnu ] && ok "both libc variants installed: glibc host runs $key" || not_ok "both libc variants installed: glibc host runs $key" "$out"
fi

# --- npm
dir=$(new_proj npm npm)
(cd "$dir" && timeout "$INSTALL_TIMEOUT" npm install -D "$main_tgz" "${NPM_FLAGS[@]}" >install.log 2>&1)
if installed $? "npm install -D flueprint (local tarballs)" "$dir/install.log"; then
  as_flue_project "$dir"
  cd "$dir"
  check_rc "npx flueprint diff before any install: exit 3 forwarded" 3 npx flueprint diff sandbox mirage
  add_json "npx flueprint add sandbox mirage --json" npx flueprint add sandbox mirage --json
  check_rc "npx flueprint --bogus: exit 2 forwarded" 2 npx flueprint --bogus
  check_rc "npx flueprint --version: exit 0" 0 npx flueprint --version
  if [ "$out" = "$("$bare" --version)" ]; then ok "--version through npm equals the bare binary's"; else not_ok "--version equals the bare binary's" "$out"; fi
  if [ "$(npx flueprint --help 2>&1)" = "$("$bare" --help 2>&1)" ] &&
    [ "$(npx flueprint add --bogus 2>&1)" = "$("$bare" add --bogus 2>&1)" ]; then
    ok "--help and usage errors through npm equal the bare binary's"
  else not_ok "--help and usage errors through npm equal the bare binary's"; fi
  check_rc "FLUEPRINT_BINARY honoured (argv and exit 5 forwarded)" 5 env FLUEPRINT_BINARY="$fake/echo" npx flueprint a "b c"
  [ "$out" = "override: a b c" ] && ok "FLUEPRINT_BINARY gets the arguments" || not_ok "FLUEPRINT_BINARY gets the arguments" "$out"
  sigterm "SIGTERM reaches the binary (process.execve)" trap 42
  sigterm "SIGTERM kills the binary, exit 143 (process.execve)" notrap 143
  sigterm "SIGTERM forwarded to the child (Node without execve)" trap 42 "--require $fake/no-execve.cjs"
  sigterm "SIGTERM death re-raised by the launcher (Node without execve)" notrap 143 "--require $fake/no-execve.cjs"
  check_rc "exit 2 forwarded (Node without execve)" 2 env NODE_OPTIONS="--require $fake/no-execve.cjs" npx flueprint --bogus
  check_rc "unsupported platform: exit 1" 1 env NODE_OPTIONS="--require $fake/s390x.cjs" npx flueprint --version
  grep -q "no prebuilt binary for this platform (linux-s390x)" "$work/stderr" &&
    ok "unsupported platform: named in the message" || not_ok "unsupported platform: named in the message" "$(cat "$work/stderr")"
  cd "$REPO"
fi

# --- pnpm
dir=$(new_proj pnpm pnpm)
(cd "$dir" && pnpm add -D "$main_tgz" --store-dir "$PNPM_STORE" --prefer-offline >install.log 2>&1)
if installed $? "pnpm add -D flueprint (local tarballs)" "$dir/install.log"; then
  as_flue_project "$dir"
  cd "$dir"
  check_rc "pnpm exec flueprint diff before any install: exit 3 forwarded" 3 pnpm exec flueprint diff sandbox mirage
  add_json "pnpm exec flueprint add sandbox mirage --json" pnpm exec flueprint add sandbox mirage --json
  check_rc "pnpm exec flueprint add again: nothing to do, exit 0" 0 pnpm exec flueprint add sandbox mirage
  check_rc "pnpm exec flueprint --bogus: exit 2 forwarded" 2 pnpm exec flueprint --bogus
  sigterm "SIGTERM reaches the binary (pnpm's bin shim)" trap 42
  cd "$REPO"
fi

# --- npm --omit=optional: no platform package
dir=$(new_proj omit npm)
(cd "$dir" && timeout "$INSTALL_TIMEOUT" npm install -D --omit=optional "$main_tgz" "${NPM_FLAGS[@]}" >install.log 2>&1)
if installed $? "npm install --omit=optional" "$dir/install.log"; then
  as_flue_project "$dir"
  cd "$dir"
  check_rc "missing platform package: exit 1" 1 npx flueprint add sandbox mirage
  msg=$(cat "$work/stderr")
  if [[ "$msg" == *"\"@flueprint/$key\" is not installed"* && "$msg" == *--omit=optional* &&
    "$msg" == *npm/cli/issues/4828* && "$msg" == *FLUEPRINT_BINARY* ]]; then
    ok "missing platform package: names @flueprint/$key, --omit=optional, npm/cli#4828, the fix"
  else not_ok "missing platform package: the message" "$msg"; fi
  [ ! -e src/sandboxes/mirage.ts ] && ok "missing platform package: nothing written" || not_ok "missing platform package: nothing written"
  check_rc "FLUEPRINT_BINARY runs the binary without the platform package" 0 env FLUEPRINT_BINARY="$bare" npx flueprint add sandbox mirage --json
  cd "$REPO"
fi

echo "tests/npm: $passed passed, $failed failed in $((SECONDS - t0))s" >&2
echo "ℹ pass $passed"
echo "ℹ fail $failed"
[ "$failed" = 0 ]
