#!/usr/bin/env bash
# Render each visual page with headless Chromium (Debian's `chromium`) to a
# PNG and check it rendered: a PNG of the window's size, no script error in
# the console, and a page that is self-contained (no http(s) src/href) and
# under 1 MB. The compare page's sort script is then exercised: a copy of
# the page clicks the Latency column's title (twice) and records the row
# order, which must follow the raw numbers, not the formatted text.
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
# console messages (uncaught script errors) go to the log
chrome() {
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0 "$@"
}
"$tinyfit" check examples/vww_mobilenet.json --device nano33ble,uno_r3 --format html -o "$tmp/check.html"
"$tinyfit" layers examples/kws_dscnn.json --device nano33ble --format html -o "$tmp/layers.html"
# every board: fits, does not fit, unknown and missing figures
"$tinyfit" compare examples/kws_dscnn.json --format html -o "$tmp/compare.html"
"$tinyfit" check examples/vww_mobilenet.json --device nano33ble --format svg -o "$tmp/arena.svg"
for page in check.html layers.html compare.html arena.svg; do
  f=$tmp/$page
  if [ ! -s "$f" ]; then echo "FAIL $page: not written"; fail=1; continue; fi
  size=$(wc -c <"$f")
  if [ "$size" -ge 1048576 ]; then echo "FAIL $page: $size bytes (over 1 MB)"; fail=1; fi
  if grep -Eiq '(src|href)="https?:' "$f"; then echo "FAIL $page: external request"; fail=1; fi
  chrome --window-size=1200,900 --screenshot="$tmp/$page.png" "file://$f" >"$tmp/$page.log" 2>&1
  if [ ! -s "$tmp/$page.png" ]; then echo "FAIL $page: no screenshot"; cat "$tmp/$page.log"; fail=1; continue; fi
  # the PNG's IHDR: width and height at bytes 16..23, big-endian
  dims=$(od -An -tu1 -j16 -N8 "$tmp/$page.png" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
  if [ "$dims" != "1200 900" ]; then echo "FAIL $page: screenshot is $dims, expected 1200 900"; fail=1; fi
  if grep -q "CONSOLE.*\(Uncaught\|Error\)" "$tmp/$page.log"; then
    echo "FAIL $page: script error"; grep CONSOLE "$tmp/$page.log"; fail=1
  fi
  echo "ok $page: $size bytes, screenshot $(wc -c <"$tmp/$page.png") bytes"
done

# The sort script ran (it marks the tables it made sortable) ...
chrome --dump-dom "file://$tmp/compare.html" >"$tmp/dom.html" 2>"$tmp/dom.log"
n_tables=$(grep -c '<table class="sortable">' "$tmp/compare.html")
n_sortable=$(grep -c '<table class="sortable js-sortable">' "$tmp/dom.html")
if [ "$n_tables" -lt 1 ] || [ "$n_sortable" != "$n_tables" ]; then
  echo "FAIL compare.html: $n_sortable of $n_tables tables made sortable"; fail=1
else
  echo "ok compare.html: $n_sortable sortable tables"
fi
# ... and sorts on the numbers: 0.313 ms < 62.6 ms < 308.0 ms < 29.31 s,
# ties in the page's order, rows without an estimate last both ways.
"$tinyfit" compare examples/kws_dscnn.json \
  --devices nano33ble_sense,uno_r3,rpi4,nrf52840dk,coral_devboard_micro,esp32_devkitc \
  --format html -o "$tmp/sort.html"
probe="<script>(function(){var t=document.querySelector('table.sortable'),o=[];
var b=t.querySelector('th[data-key=latency_ms] button');
function rows(){return Array.prototype.map.call(t.tBodies[0].rows,function(r){return r.cells[0].textContent;}).join(',');}
b.click();o.push('asc='+rows());b.click();o.push('desc='+rows());
var p=document.createElement('pre');p.id='probe';p.textContent=o.join(' ');document.body.appendChild(p);})();</script>"
sed "s|</body>|$(printf '%s' "$probe" | tr '\n' ' ' | sed 's/[&|]/\\&/g')</body>|" "$tmp/sort.html" >"$tmp/sort_probe.html"
chrome --dump-dom "file://$tmp/sort_probe.html" >"$tmp/sort_dom.html" 2>"$tmp/sort.log"
got=$(sed -n 's|.*<pre id="probe">\([^<]*\)</pre>.*|\1|p' "$tmp/sort_dom.html")
want="asc=coral_devboard_micro,esp32_devkitc,nano33ble_sense,nrf52840dk,uno_r3,rpi4 desc=uno_r3,nano33ble_sense,nrf52840dk,esp32_devkitc,coral_devboard_micro,rpi4"
if [ "$got" != "$want" ]; then
  echo "FAIL sort: got '$got'"; echo "     want '$want'"; grep CONSOLE "$tmp/sort.log"; fail=1
else
  echo "ok sort: $got"
fi
exit $fail
