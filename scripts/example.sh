#!/usr/bin/env bash
# Runs `flue add sandbox mirage` on a temp copy of examples/flue-app, so the
# repository stays clean, then shows what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
# Not --quiet: the first build on a fresh machine takes minutes, and cargo's
# progress shows it is working.
echo "building flue (the first build compiles the dependencies, which takes a few minutes)..." >&2
cargo build
work="$(mktemp -d)"
cp -R examples/flue-app/. "$work/"
echo "example project copied to $work" >&2
./target/debug/flue add sandbox mirage --cwd "$work" "$@" || status=$?
echo >&2
echo "── $work/src/sandboxes/mirage.ts (first 12 lines) ──" >&2
head -n 12 "$work/src/sandboxes/mirage.ts" >&2 || true
exit "${status:-0}"
