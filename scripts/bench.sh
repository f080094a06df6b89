#!/usr/bin/env bash
# Performance benchmark (SPEC §10, issue 8): times flue beside Node baselines
# in one run and reports the budgets. Budgets are reported, never enforced:
# the exit code is non-zero only when a command itself fails.
#
#   scripts/bench.sh            full run; writes docs/benchmarks.md
#   scripts/bench.sh --quick    few iterations (CI); prints only
#   scripts/bench.sh --write    also write docs/benchmarks.md (with --quick)
#   scripts/bench.sh --no-write full run without writing
#
# FLUE_BIN=path   time this binary instead of building `cargo build --release`
#
# Caches (all under target/, reused across runs):
#   target/bench-cache/monorepo-*   the generated 100,000-file pnpm workspace
#   target/bench-cache/tools        node@22 and @flue/cli@2.0.3 from npm
#   target/npm-cache                npm's cache, shared with the other tests
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

quick=0
write=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1; write=0 ;;
    --write) write=2 ;;
    --no-write) write=-1 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument: $arg" >&2; exit 2 ;;
  esac
done
# --write wins over --quick's default, --no-write over everything
if [ "$write" = 2 ]; then write=1; elif [ "$write" = -1 ]; then write=0; fi

say() { echo "bench: $*" >&2; }

cache="$repo/target/bench-cache"
mkdir -p "$cache"
# one benchmark at a time: the runs reset the cached monorepo's packages/app
exec 9>"$cache/.lock"
if command -v flock >/dev/null; then flock 9; fi

# --- flue
if [ -n "${FLUE_BIN:-}" ]; then
  flue="$(cd "$(dirname "$FLUE_BIN")" && pwd)/$(basename "$FLUE_BIN")"
  say "timing FLUE_BIN=$flue"
else
  say "cargo build --release"
  cargo build --release --quiet
  flue="$repo/target/release/flue"
fi
[ -x "$flue" ] || { say "error: $flue is not an executable"; exit 1; }

# --- hyperfine (Debian package), else bench.py's own timing loop
if ! command -v hyperfine >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing hyperfine (apt-get)"
    apt-get install -y -qq hyperfine >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq hyperfine >/dev/null 2>&1; } \
      || say "warning: could not install hyperfine; using a Python timing loop"
  else
    say "warning: hyperfine not found; using a Python timing loop"
  fi
fi

# --- baselines: Node 22 and the upstream CLI, from the npm registry
tools="$cache/tools"
node22="$tools/node_modules/node/bin/node"
cli="$tools/node_modules/@flue/cli/bin/flue.mjs"
have_tools() {
  [ -x "$node22" ] && "$node22" --version 2>/dev/null | grep -q '^v22\.' \
    && [ -f "$cli" ] && grep -q '"version": "2.0.3"' "$tools/node_modules/@flue/cli/package.json"
}
if ! have_tools; then
  if command -v npm >/dev/null; then
    say "installing node@22 and @flue/cli@2.0.3 into target/bench-cache/tools (npm)"
    mkdir -p "$tools"
    [ -f "$tools/package.json" ] || echo '{ "name": "flue-bench-tools", "private": true }' >"$tools/package.json"
    (cd "$tools" && timeout 600 npm install node@22 @flue/cli@2.0.3 --cache "$repo/target/npm-cache" \
      --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null) \
      || say "warning: npm install of the baselines failed"
  fi
fi
baseline_args=()
if have_tools; then
  baseline_args=(--node "$node22" --cli "$cli")
elif [ "$quick" = 1 ]; then
  say "warning: Node 22 / @flue/cli@2.0.3 unavailable; timing flue without the Node baselines"
else
  say "error: Node 22 / @flue/cli@2.0.3 unavailable (npm install failed); the full run needs the baselines"
  exit 1
fi

# --- the npm launcher (SPEC §16), staged as npm lays it out: node_modules/flueprint
# next to node_modules/@flueprint/<host>, holding the binary timed above
launcher_args=()
if have_tools; then
  staged="$cache/launcher/node_modules"
  key=$("$node22" scripts/npm/stage.mjs host)
  "$node22" scripts/npm/stage.mjs main "$staged/flueprint" \
    && "$node22" scripts/npm/stage.mjs platform "$key" "$flue" "$staged/@flueprint/$key" \
    && launcher_args=(--launcher "$staged/flueprint/bin/flueprint") \
    || say "warning: staging the npm packages failed; not timing the launcher"
fi

args=(--flue "$flue" --cache "$cache" "${baseline_args[@]}" "${launcher_args[@]}")
[ "$quick" = 1 ] && args+=(--quick)
[ "$write" = 1 ] && args+=(--write)
exec python3 "$repo/scripts/bench/bench.py" "${args[@]}"
