#!/usr/bin/env bash
# Install what is missing, build tinyfit (in build/release), and run it on a
# bundled example. Works from any directory and when run again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build/release" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build/release" -j"$(nproc)" >/dev/null
tinyfit="$root/build/release/stage/bin/tinyfit"
echo "tinyfit is built: $tinyfit"
echo
echo "\$ tinyfit layers examples/kws_dscnn.json"
cd "$root"
"$tinyfit" layers examples/kws_dscnn.json
