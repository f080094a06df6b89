#!/usr/bin/env bash
# The TypeScript proof of the generated Mirage adapter: template lint, the
# real Prettier accepting renders in several project styles (SPEC §12), the
# typecheck matrix, the behaviour test, then the catalog (catalog.sh: every
# other blueprint folder). Non-zero on any failure.
# Run from a clean clone after `cargo build` (FLUE_BIN overrides the binary);
# needs only the npm registry. Works with CI=true and no stdin.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
t0=$SECONDS
status=0
for step in lint prettier typecheck behaviour catalog; do
  if ! bash "$here/$step.sh" </dev/null; then
    echo "tests/ts: $step FAILED" >&2
    status=1
  fi
done
echo "tests/ts: $([ $status -eq 0 ] && echo ok || echo FAILED) in $((SECONDS - t0))s" >&2
exit $status
