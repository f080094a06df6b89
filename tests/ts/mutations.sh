#!/usr/bin/env bash
# Mutation check of the proof harness: every mutant of tests/ts/mutants.mjs
# (a template broken on purpose the way the seed warns about) must turn its
# suite red. Prints, per mutant, the checks that failed; exits non-zero if a
# mutant survives. Slow-ish (one behaviour or typecheck run per mutant, on
# the cached installs): not part of run.sh. Results: tests/ts/MUTATIONS.md.
#
# Catalog mutants (suite catalog-behaviour:<blueprint> or
# catalog-typecheck:<blueprint>) run tests/ts/catalog.sh for that blueprint
# only, with FLUE_TS_TEMPLATE_DIR=<mutant dir> (<dir>/<blueprint>/v1.ts).
#
# Usage: tests/ts/mutations.sh [mutant-name...]
source "$(dirname "$0")/lib.sh"

main() {
  local here="$REPO/tests/ts" out="$CACHE/mutants" survivors=0
  local -a names
  if [ $# -gt 0 ]; then
    names=("$@")
  else
    mapfile -t names < <(node "$here/mutants.mjs" list | cut -f1)
  fi
  rm -rf "$out" && mkdir -p "$out"
  local name suite why log rc failed
  for name in "${names[@]}"; do
    suite=""
    IFS=$'\t' read -r _ suite why < <(node "$here/mutants.mjs" list |
      awk -F'\t' -v n="$name" '$1 == n') || true
    [ -n "$suite" ] || die "unknown mutant: $name"
    node "$here/mutants.mjs" write "$name" "$REPO/templates/sandbox/mirage" "$out/$name"
    log="$out/$name.log"
    rc=0
    case "$suite" in
    catalog-*:*)
      # A catalog blueprint: only its suite, on the cached group installs.
      local step=${suite#catalog-}
      FLUE_TS_TEMPLATE_DIR="$out/$name" FLUE_CATALOG_ONLY=${step#*:} \
        FLUE_CATALOG_STEPS=${step%%:*} \
        bash "$here/catalog.sh" >"$log" 2>&1 </dev/null || rc=$?
      ;;
    *)
      FLUE_TS_TEMPLATE_DIR="$out/$name" bash "$here/$suite.sh" >"$log" 2>&1 </dev/null || rc=$?
      ;;
    esac
    if [ $rc -eq 0 ]; then
      log "SURVIVED $name ($suite): $why"
      survivors=$((survivors + 1))
      continue
    fi
    # Failed checks: behaviour leaf tests, typecheck/compile FAIL lines.
    # Failed checks, one line each with the cases it failed in.
    failed=$(grep -E '^\s+✖ \[(template|stub)|^FAIL' "$log" |
      sed -E 's/^\s+//; s/ \([0-9.]+ms\)$//' | sort -u |
      node -e '
        const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean);
        const checks = new Map();
        for (const l of lines) {
          let m = l.match(/^✖ \[template (v\d) on @flue\/runtime (\S+)\] (.*)$/);
          let key, where;
          if (m) [key, where] = [m[3], `${m[1]}@${m[2]}`];
          else if ((m = l.match(/^FAIL (\w+): @flue\/runtime (\S+), template (v\d) \(([^)]*)\): (.*)$/)))
            [key, where] = [`${m[1]}: ${m[5]}`, `${m[3]}@${m[2]} ${m[4]}`];
          else [key, where] = [l, ""];
          key = key.replace(/\(\d+,\d+\)/, "");
          if (!checks.has(key)) checks.set(key, []);
          checks.get(key).push(where);
        }
        for (const [k, w] of checks) console.log(`- ${k} [${w.join(", ")}]`);
      ' || true)
    log "red      $name ($suite): $why"
    printf '%s\n' "$failed" | sed 's/^/           /' >&2
  done
  log "mutations: ${#names[@]} mutants, $survivors survived"
  [ $survivors -eq 0 ]
}

main "$@"
