#!/usr/bin/env bash
# Behaviour test: the adapter `flue add sandbox mirage` renders, compiled with
# tsc, on a real Mirage Workspace (@struktoai/mirage-node), through the
# sandbox the Flue runtime builds from the factory. Runs node:test on Node 22
# from the npm registry's `node` package (every @flue/runtime declares
# node >= 22.19).
#
# Usage: tests/ts/behaviour.sh   (FLUE_BIN overrides the binary)
source "$(dirname "$0")/lib.sh"

# name runtime template-version package-manager target
CASES=(
  "bh-1.0.0-beta.5-v1 1.0.0-beta.5 1 npm node"
  "bh-2.0.1-v1 2.0.1 1 npm node"
  "bh-2.1.0-v1 2.1.0 1 npm node"
  "bh-2.0.3-v2 2.0.3 2 npm node"
  "bh-2.1.0-v2 2.1.0 2 npm node"
)

# Compile the rendered adapter to JS, and a probed copy whose @flue/runtime
# import records the api/driver handed to the runtime.
build_case() {
  local dir=$1 runtime=$2 tv=$3
  cat >"$dir/tsconfig.build.json" <<'EOF'
{
  "compilerOptions": {
    "strict": true,
    "skipLibCheck": true,
    "target": "ES2022",
    "lib": ["ES2022", "DOM"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "types": ["node"],
    "rootDir": "src",
    "outDir": "build"
  },
  "include": ["src/sandboxes"]
}
EOF
  local out
  if ! out=$(cd "$dir" && "$NODE22" node_modules/typescript/bin/tsc -p tsconfig.build.json 2>&1); then
    log "FAIL compile: @flue/runtime $runtime, template v$tv: $(printf '%s\n' "$out" | grep -m1 'error TS')"
    return 1
  fi
  mkdir -p "$dir/build-probe"
  sed -E 's#from "@flue/runtime"#from "./runtime-probe.mjs"#' \
    "$dir/build/sandboxes/mirage.js" >"$dir/build-probe/mirage.js"
  grep -q 'runtime-probe.mjs' "$dir/build-probe/mirage.js" ||
    die "could not redirect the @flue/runtime import of $dir/build/sandboxes/mirage.js"
  cat >"$dir/build-probe/runtime-probe.mjs" <<'EOF'
import * as runtime from "@flue/runtime";
export * from "@flue/runtime";
export const captured = [];
export function createSandboxSessionEnv(api, ...rest) {
  captured.push(api);
  return runtime.createSandboxSessionEnv(api, ...rest);
}
export function sandboxFromDriver(driver, ...rest) {
  captured.push(driver);
  return runtime.sandboxFromDriver(driver, ...rest);
}
EOF
  cat >"$dir/entry.mjs" <<'EOF'
export * as runtime from "@flue/runtime";
export * as mirageNode from "@struktoai/mirage-node";
export { mirage } from "./build/sandboxes/mirage.js";
export { mirage as probedMirage } from "./build-probe/mirage.js";
export * as probe from "./build-probe/runtime-probe.mjs";
EOF
}

main() {
  local t0=$SECONDS
  ensure_flue
  ensure_tools
  log "behaviour: preparing ${#CASES[@]} projects"
  prepare_cases "${CASES[@]}" || exit 1
  local json="[" sep="" spec name runtime tv pm target dir
  for spec in "${CASES[@]}"; do
    read -r name runtime tv pm target <<<"$spec"
    dir="$PROJECTS/$name"
    build_case "$dir" "$runtime" "$tv" || exit 1
    json+="$sep{\"label\":\"$name\",\"runtime\":\"$runtime\",\"templateVersion\":$tv,\"entry\":\"$dir/entry.mjs\"}"
    sep=","
  done
  json+="]"
  local rc=0
  FLUE_TS_BEHAVIOUR_CASES="$json" "$NODE22" --test --test-reporter=spec \
    --test-concurrency=1 "$REPO/tests/ts/behaviour.test.mjs" </dev/null || rc=$?
  log "behaviour: ${#CASES[@]} cases, $([ $rc -eq 0 ] && echo passed || echo FAILED), $((SECONDS - t0))s"
  return $rc
}

main "$@"
