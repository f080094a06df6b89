#!/usr/bin/env bash
# Proof of SPEC §12 (issue 9): in a project formatted with the real Prettier,
# `flue add` writes a file that `prettier --check` accepts unchanged, and an
# upgrade of a user-edited v1 rendered in that style merges cleanly.
#
# For each config and each template version: a fresh project holding the
# config, the real `flue add sandbox mirage --yes --blueprint-version N`, then
# `prettier --check` (pinned PRETTIER_VERSION from lib.sh, installed in the
# shared tools dir) on src/sandboxes/mirage.ts, from the project's own
# directory. For the upgrade configs: v1 in that style, a user helper
# appended and the default cwd changed, `flue update sandbox mirage --yes`
# must exit 0, keep both edits, and still pass `prettier --check`.
#
# No dependency is installed in the projects: Prettier needs none.
# Usage: tests/ts/prettier.sh   (from anywhere; FLUE_BIN overrides the binary)
source "$(dirname "$0")/lib.sh"

RUNTIME=2.1.0

# name|file flue reads|its content|Prettier options for the check ("" when
# Prettier reads the same file).
CONFIGS=(
  'default|.prettierrc|{}|'
  'single-tabs|.prettierrc|{"singleQuote": true, "useTabs": true}|'
  'nosemi-100|.prettierrc|{"semi": false, "printWidth": 100}|'
  'biome|biome.json|{"formatter":{"indentStyle":"tab","lineWidth":100},"javascript":{"formatter":{"quoteStyle":"single","semicolons":"asNeeded","trailingCommas":"es5"}}}|{"useTabs":true,"printWidth":100,"singleQuote":true,"semi":false,"trailingComma":"es5"}'
  'tab4|.prettierrc|{"tabWidth": 4}|'
  'editorconfig-tabs|.editorconfig|root = true\n\n[*]\nindent_style = tab\n|'
)
# Configs whose v1 render gets a user edit and an upgrade to v2.
UPGRADES=(single-tabs nosemi-100)

# setup <name> <config-spec>: a fresh project holding the config; prints its
# directory. The Prettier options for the check, when they differ from the
# file flue reads, go to .prettier-check.json next to the project.
setup() {
  local name=$1 spec=$2 file content check dir
  IFS='|' read -r _ file content check <<<"$spec"
  dir=$(new_project "$name" "$RUNTIME")
  printf '%b' "$content" >"$dir/$file"
  [ "$file" = .editorconfig ] || printf '\n' >>"$dir/$file"
  rm -f "$dir.prettier-check.json"
  if [ -n "$check" ]; then
    printf '%s\n' "$check" >"$dir.prettier-check.json"
  fi
  printf '%s' "$dir"
}

# prettier_check <dir>: prettier --check on the adapter, from the project's
# directory (so that its config, .editorconfig and no outer .gitignore
# apply). On failure prints Prettier's report and a diff of its output
# against the file.
prettier_check() {
  local dir=$1 out rc=0
  local -a config=()
  [ -f "$dir.prettier-check.json" ] && config=(--config "$dir.prettier-check.json")
  out=$(cd "$dir" && "$NODE22" "$PRETTIER" --no-color "${config[@]}" --check src/sandboxes/mirage.ts 2>&1) || rc=$?
  if [ $rc -eq 0 ] && grep -q 'All matched files use Prettier code style' <<<"$out"; then
    return 0
  fi
  log "$out"
  (cd "$dir" && "$NODE22" "$PRETTIER" "${config[@]}" src/sandboxes/mirage.ts) >"$dir.prettier-out.ts" 2>&1 || true
  diff -u --label "mirage.ts (flue)" --label "mirage.ts (prettier)" \
    "$dir/src/sandboxes/mirage.ts" "$dir.prettier-out.ts" >&2 || true
  return 1
}

run_flue() {
  local dir=$1 out
  shift
  if ! out=$("$FLUE_BIN" "$@" --cwd "$dir" --yes --target node --package-manager npm 2>&1 </dev/null); then
    log "$out"
    return 1
  fi
}

# add_case <config-name> <spec> <version>
add_case() {
  local cfg=$1 spec=$2 v=$3 dir
  dir=$(setup "pr-$cfg-v$v" "$spec")
  run_flue "$dir" add sandbox mirage --blueprint-version "$v" || return 1
  prettier_check "$dir"
}

# upgrade_case <config-name> <spec>
upgrade_case() {
  local cfg=$1 spec=$2 dir file q semi=";" indent
  dir=$(setup "pr-up-$cfg" "$spec")
  file="$dir/src/sandboxes/mirage.ts"
  run_flue "$dir" add sandbox mirage --blueprint-version 1 || return 1
  # The user's edits, in the project's style (read back from the render).
  if grep -q "?? '/';" "$file"; then q="'"; else q='"'; fi
  grep -q "?? $q/$q;\$" "$file" || semi=""
  grep -q $'^\tconst cwd' "$file" && indent=$'\t' || indent="  "
  grep -q "^${indent}const cwd = options?.cwd ?? $q/$q$semi\$" "$file" || {
    log "the default cwd line is not in the expected style in $file"
    return 1
  }
  sed -i "s|^\\(${indent}const cwd = options?.cwd ?? $q\\)/\\($q\\)|\\1/workspace\\2|" "$file"
  cat >>"$file" <<EOF

// A helper of the project's own.
export function workspaceCwd(path: string): string {
${indent}return path.startsWith(${q}/workspace${q}) ? path : ${q}/workspace${q}${semi}
}
EOF
  if ! prettier_check "$dir"; then
    log "the user edits themselves are not in Prettier's style (test bug)"
    return 1
  fi
  local rc=0 out
  out=$("$FLUE_BIN" update sandbox mirage --cwd "$dir" --yes --target node \
    --package-manager npm 2>&1 </dev/null) || rc=$?
  if [ $rc -ne 0 ]; then
    log "$out"
    log "flue update exited $rc (want 0: a clean merge)"
    return 1
  fi
  [ "$(head -n1 "$file")" = "// flue-blueprint: sandbox/mirage@2" ] || {
    log "not upgraded to v2: $(head -n1 "$file")"
    return 1
  }
  grep -q "^${indent}const cwd = options?.cwd ?? $q/workspace$q$semi\$" "$file" || {
    log "the cwd edit was lost"
    return 1
  }
  grep -q '^export function workspaceCwd(path: string): string {$' "$file" || {
    log "the user helper was lost"
    return 1
  }
  grep -q 'sandboxFromDriver' "$file" || {
    log "the v2 change is missing"
    return 1
  }
  prettier_check "$dir"
}

main() {
  ensure_tools
  ensure_flue
  local t0=$SECONDS failures=0 spec cfg v
  local -a table=()
  for spec in "${CONFIGS[@]}"; do
    cfg=${spec%%|*}
    for v in 1 2; do
      if add_case "$cfg" "$spec" "$v"; then
        table+=("ok    add  $cfg v$v")
      else
        table+=("FAIL  add  $cfg v$v")
        log "FAIL prettier: $cfg, v$v: prettier --check rewrites the file flue add wrote"
        failures=$((failures + 1))
      fi
    done
  done
  for cfg in "${UPGRADES[@]}"; do
    for spec in "${CONFIGS[@]}"; do
      [ "${spec%%|*}" = "$cfg" ] || continue
      if upgrade_case "$cfg" "$spec"; then
        table+=("ok    update $cfg v1->v2")
      else
        table+=("FAIL  update $cfg v1->v2")
        log "FAIL prettier: $cfg: upgrading an edited v1 did not merge cleanly into Prettier's style"
        failures=$((failures + 1))
      fi
    done
  done
  printf '  %s\n' "${table[@]}" >&2
  log "prettier: $([ $failures -eq 0 ] && echo ok || echo "$failures failed") in $((SECONDS - t0))s"
  [ $failures -eq 0 ]
}

main "$@"
