#!/usr/bin/env bash
# Template hygiene: Prettier's default style (what §12 assumes), the marker
# line, LF endings with a final newline, and no askama syntax (`{{`, `{%`,
# `{#`): the templates are rendered verbatim.
source "$(dirname "$0")/lib.sh"

main() {
  ensure_tools
  local dir="$REPO/templates/sandbox/mirage" failures=0 f v
  for v in 1 2; do
    f="$dir/v$v.ts"
    if [ "$(head -n1 "$f")" != "// flue-blueprint: sandbox/mirage@$v" ]; then
      log "FAIL lint: $f: first line is not the marker of version $v"
      failures=$((failures + 1))
    fi
  done
  for f in "$dir"/*.ts "$dir"/guide.md "$dir"/known/*.ts; do
    [ -f "$f" ] || continue
    if grep -n -e '{{' -e '{%' -e '{#' "$f" >&2; then
      log "FAIL lint: $f contains askama syntax"
      failures=$((failures + 1))
    fi
    if grep -q $'\r' "$f" || [ -n "$(tail -c1 "$f")" ]; then
      log "FAIL lint: $f: needs LF line endings and a final newline"
      failures=$((failures + 1))
    fi
  done
  if ! grep -qx '## Upgrade diffs' "$dir/guide.md" ||
    ! grep -qx '<!-- flue:upgrade-diffs -->' "$dir/guide.md"; then
    log "FAIL lint: guide.md lacks the '## Upgrade diffs' section or its <!-- flue:upgrade-diffs --> line"
    failures=$((failures + 1))
  fi
  if ! (cd "$dir" && "$NODE22" "$PRETTIER" --no-config --check v1.ts v2.ts >&2); then
    log "FAIL lint: templates are not in Prettier's default style"
    failures=$((failures + 1))
  fi
  log "lint: $([ $failures -eq 0 ] && echo ok || echo "$failures failed")"
  [ $failures -eq 0 ]
}

main "$@"
