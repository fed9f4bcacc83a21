#!/usr/bin/env bash
# Regenerate the README's screenshots (docs/img/*.png), one per command,
# from the examples with headless Chromium (Debian: apt-get install
# chromium). Usage: scripts/screenshots.sh [TINYFIT] (default build/dev's).
set -eu
cd "$(dirname "$0")/.."
tinyfit=${1:-build/dev/stage/bin/tinyfit}
chromium=$(command -v chromium || command -v chromium-browser)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p docs/img
"$tinyfit" check examples/vww_mobilenet.json --device nano33ble_sense,uno_r3 --format html -o "$tmp/check.html" || true
"$tinyfit" layers examples/kws_dscnn.json --device nano33ble_sense --format html -o "$tmp/layers.html"
# a handful of boards, so the table and the chart under it are both in view
"$tinyfit" compare examples/kws_dscnn.json --devices nano33ble_sense,esp32_devkitc,rpi_pico,uno_r3,disco_f746ng,portenta_h7,nrf52840dk,rpi4 \
  --format html -o "$tmp/compare.html" || true
for page in check layers compare; do
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1100 \
    --screenshot="docs/img/$page.png" "file://$tmp/$page.html" >/dev/null 2>&1
  echo "docs/img/$page.png"
done
