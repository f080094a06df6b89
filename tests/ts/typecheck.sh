#!/usr/bin/env bash
# Typecheck matrix: the adapter `flue add sandbox mirage` renders must compile
# (tsc --noEmit, strict, skipLibCheck) against every @flue/runtime it claims.
#
# For each case: a fresh project pinning @flue/runtime exactly, the real
# `flue add` (pinned with --blueprint-version), an install of what it added
# plus typescript and @types/node, and tsc over the adapter and a usage file
# that passes `mirage(workspace)` where the runtime takes a sandbox.
#
# Usage: tests/ts/typecheck.sh   (from anywhere; FLUE_BIN overrides the binary)
source "$(dirname "$0")/lib.sh"

# name runtime template-version package-manager target
CASES=(
  "tc-1.0.0-beta.5-v1-npm 1.0.0-beta.5 1 npm node"
  "tc-2.0.1-v1-npm 2.0.1 1 npm node"
  "tc-2.0.3-v1-npm 2.0.3 1 npm node"
  "tc-2.0.3-v2-npm 2.0.3 2 npm node"
  "tc-2.1.0-v1-npm 2.1.0 1 npm node"
  "tc-2.1.0-v2-npm 2.1.0 2 npm node"
  "tc-2.1.0-v1-pnpm 2.1.0 1 pnpm node"
  "tc-2.1.0-v2-pnpm 2.1.0 2 pnpm node"
  "tc-2.1.0-v1-cf 2.1.0 1 npm cloudflare"
  "tc-2.1.0-v2-cf 2.1.0 2 npm cloudflare"
)

write_tsconfig() {
  cat >"$1/tsconfig.json" <<'EOF'
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
    "types": ["node"]
  },
  "include": ["src"]
}
EOF
}

# A usage file: the guide's agent example for 2.x (extracted from guide.md,
# so the guide cannot drift), defineAgent() for 1.x.
write_usage() {
  local dir=$1 runtime=$2 target=$3 mirage_pkg=@struktoai/mirage-node
  # mirage-browser is unpublished: the Cloudflare render builds its
  # Workspace from mirage-core, whose Workspace type the adapter takes.
  [ "$target" = cloudflare ] && mirage_pkg=@struktoai/mirage-core
  mkdir -p "$dir/src/agents"
  case "$runtime" in
  1.*)
    cat <<EOF
import { defineAgent } from "@flue/runtime";
import { MountMode, RAMResource, Workspace } from "$mirage_pkg";
import { mirage } from "../sandboxes/mirage.ts";

const workspace = new Workspace(
  { "/data": new RAMResource(), "/docs": new RAMResource() },
  { mode: MountMode.WRITE, modeOverrides: { "/docs": MountMode.READ } },
);

export default defineAgent(() => ({
  sandbox: mirage(workspace, { cwd: "/data" }),
}));
EOF
    ;;
  *)
    awk '/^```ts$/ { f = 1; next } /^```$/ { if (f) exit } f' \
      "$REPO/templates/sandbox/mirage/guide.md" |
      sed "s#@struktoai/mirage-node#$mirage_pkg#"
    ;;
  esac >"$dir/src/agents/researcher.ts"
  [ -s "$dir/src/agents/researcher.ts" ] || die "no usage example for $dir"
}

main() {
  local t0=$SECONDS
  ensure_flue
  ensure_tools
  log "typecheck: preparing ${#CASES[@]} projects"
  prepare_cases "${CASES[@]}" || exit 1
  local failures=0 spec name runtime tv pm target dir first
  local -a pids=()
  # tsc per case, $JOBS at a time; results read back in case order.
  for spec in "${CASES[@]}"; do
    read -r name runtime tv pm target <<<"$spec"
    dir="$PROJECTS/$name"
    write_tsconfig "$dir"
    write_usage "$dir" "$runtime" "$target"
    (
      cd "$dir"
      rc=0
      "$NODE22" node_modules/typescript/bin/tsc -p . >tsc.log 2>&1 || rc=$?
      echo $rc >tsc.rc
    ) &
    pids+=($!)
    if [ ${#pids[@]} -ge "$JOBS" ]; then
      wait "${pids[0]}" || true
      pids=("${pids[@]:1}")
    fi
  done
  wait || true
  for spec in "${CASES[@]}"; do
    read -r name runtime tv pm target <<<"$spec"
    dir="$PROJECTS/$name"
    if [ "$(cat "$dir/tsc.rc")" = 0 ]; then
      log "ok   typecheck: @flue/runtime $runtime, template v$tv ($pm, $target)"
    else
      first=$(grep -m1 'error TS' "$dir/tsc.log" || head -n1 "$dir/tsc.log")
      log "FAIL typecheck: @flue/runtime $runtime, template v$tv ($pm, $target): $first"
      log "     (project: $dir; $(grep -c 'error TS' "$dir/tsc.log") errors)"
      failures=$((failures + 1))
    fi
  done
  log "typecheck: ${#CASES[@]} cases, $failures failed, $((SECONDS - t0))s"
  [ $failures -eq 0 ]
}

main "$@"
