#!/usr/bin/env bash
# Builds the release binary and writes the `npm pack` tarballs of the main
# package (`flueprint`) and of this host's platform package
# (`@flueprint/<os>-<arch>[-<libc>]`) into <outdir>. Prints their paths.
#
#   bash scripts/npm/pack.sh <outdir>
#
# CARGO_TARGET_DIR is honoured as cargo does. FLUE_PACK_NO_BUILD=1 packs the
# release binary already there instead of running cargo (the release job
# builds it itself).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: bash scripts/npm/pack.sh <outdir>" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
node=${NODE:-node}

target_dir=${CARGO_TARGET_DIR:-$repo/target}
case "$target_dir" in /*) ;; *) target_dir="$repo/$target_dir" ;; esac
if [ "${FLUE_PACK_NO_BUILD:-0}" != 1 ]; then
  (cd "$repo" && cargo build --release --locked --quiet)
fi
exe=flue
case "$(uname -s)" in MINGW* | MSYS* | CYGWIN*) exe=flue.exe ;; esac
bin="$target_dir/release/$exe"
[ -x "$bin" ] || { echo "pack.sh: no release binary at $bin" >&2; exit 1; }

key=$("$node" "$repo/scripts/npm/stage.mjs" host)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
"$node" "$repo/scripts/npm/stage.mjs" main "$stage/main"
"$node" "$repo/scripts/npm/stage.mjs" platform "$key" "$bin" "$stage/platform"
for dir in "$stage/platform" "$stage/main"; do
  name=$(cd "$dir" && npm pack --pack-destination "$out" --silent --loglevel=error)
  echo "$out/$name"
done
