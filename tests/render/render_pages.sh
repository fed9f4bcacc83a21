#!/usr/bin/env bash
# Render each visual page with headless Chromium (Debian's `chromium`) to a
# PNG and check it rendered: a PNG of the window's size, and a page that is
# self-contained (no http(s) src/href) and under 1 MB.
# render_pages.sh TINYFIT SOURCE_DIR; exit 77 (skipped) without chromium.
set -u
tinyfit=$1
src=$2
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "skipped: chromium is not installed (apt-get install chromium)"
  exit 77
fi
cd "$src" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
"$tinyfit" check examples/vww_mobilenet.json --device nano33ble,uno_r3 --format html -o "$tmp/check.html"
"$tinyfit" layers examples/kws_dscnn.json --device nano33ble --format html -o "$tmp/layers.html"
"$tinyfit" compare examples/kws_dscnn.json --format html -o "$tmp/compare.html"
"$tinyfit" check examples/vww_mobilenet.json --device nano33ble --format svg -o "$tmp/arena.svg"
for page in check.html layers.html compare.html arena.svg; do
  f=$tmp/$page
  if [ ! -s "$f" ]; then echo "FAIL $page: not written"; fail=1; continue; fi
  size=$(wc -c <"$f")
  if [ "$size" -ge 1048576 ]; then echo "FAIL $page: $size bytes (over 1 MB)"; fail=1; fi
  if grep -Eiq '(src|href)="https?:' "$f"; then echo "FAIL $page: external request"; fail=1; fi
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,900 \
    --screenshot="$tmp/$page.png" "file://$f" >"$tmp/$page.log" 2>&1
  if [ ! -s "$tmp/$page.png" ]; then echo "FAIL $page: no screenshot"; cat "$tmp/$page.log"; fail=1; continue; fi
  # the PNG's IHDR: width and height at bytes 16..23, big-endian
  dims=$(od -An -tu1 -j16 -N8 "$tmp/$page.png" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
  if [ "$dims" != "1200 900" ]; then echo "FAIL $page: screenshot is $dims, expected 1200 900"; fail=1; fi
  if grep -q "Uncaught\|SyntaxError" "$tmp/$page.log"; then echo "FAIL $page: script error"; fail=1; fi
  echo "ok $page: $size bytes, screenshot $(wc -c <"$tmp/$page.png") bytes"
done
exit $fail
