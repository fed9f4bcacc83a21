#!/usr/bin/env bash
# Time each output format on the largest shared model (../shared/models/
# large, the biggest .tflite there): check and layers with a device,
# compare against every built-in board. Prints the median and fastest wall
# time of RUNS runs (after one warm-up) and the size of what was written.
# Figures, not a test: it never fails on a slow run.
# render_bench.sh TINYFIT SOURCE_DIR [RUNS]
set -u
tinyfit=$1
src=$2
runs=${3:-5}
model=$(ls -S "$src"/../shared/models/large/*.tflite 2>/dev/null | head -n 1)
if [ -z "$model" ]; then
  echo "render_bench: skipped: no model in ../shared/models/large"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "render_bench: $(basename "$model") ($(wc -c <"$model") bytes), $runs runs each"
printf '%-34s %10s %10s %12s\n' "case" "median ms" "min ms" "output bytes"
for cmd in check layers compare; do
  case $cmd in
    check) formats="text markdown csv json html svg"; extra="--device nano33ble_sense" ;;
    layers) formats="text markdown csv json html svg"; extra="--device nano33ble_sense" ;;
    compare) formats="text markdown csv json html"; extra="--all" ;;
  esac
  for fmt in $formats; do
    out=$tmp/out.$fmt
    # shellcheck disable=SC2086
    "$tinyfit" $cmd "$model" $extra --format "$fmt" -o "$out" -q 2>"$tmp/err"
    rc=$?
    if [ "$rc" = 2 ] || [ ! -e "$out" ]; then
      printf '%-34s  FAILED (exit %s): %s\n' "$cmd --format $fmt" "$rc" "$(head -n 1 "$tmp/err")"
      continue
    fi
    times=
    for _ in $(seq "$runs"); do
      t0=$(date +%s%N)
      # shellcheck disable=SC2086
      "$tinyfit" $cmd "$model" $extra --format "$fmt" -o "$out" -q 2>/dev/null
      t1=$(date +%s%N)
      times="$times $(( (t1 - t0) / 1000 ))"
    done
    # median and fastest, in ms with one decimal
    read -r med min <<<"$(printf '%s\n' $times | sort -n | awk '{a[NR]=$1} END {printf "%.1f %.1f", a[int((NR+1)/2)]/1000, a[1]/1000}')"
    printf '%-34s %10s %10s %12s\n' "$cmd --format $fmt" "$med" "$min" "$(wc -c <"$out")"
  done
done

# The browser's side: how long headless Chromium takes to load each HTML
# page (the navigation's loadEventEnd, read by a script injected into a
# copy of the page and printed to the console), median of RUNS loads.
# Chromium's own start-up is not counted. Skipped without chromium.
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "render_bench: browser load times skipped: chromium is not installed"
  exit 0
fi
inject="<script>window.addEventListener('load',function(){setTimeout(function(){var t=performance.getEntriesByType('navigation')[0];console.log('TFIT_LOAD_MS '+t.loadEventEnd.toFixed(1));},0);});</script>"
printf '\n%-34s %10s %10s %12s\n' "page loaded in chromium" "median ms" "min ms" "page bytes"
for cmd in check layers compare; do
  case $cmd in
    compare) extra="--all" ;;
    *) extra="--device nano33ble_sense" ;;
  esac
  page=$tmp/$cmd.html
  # shellcheck disable=SC2086
  "$tinyfit" $cmd "$model" $extra --format html -o "$page" -q 2>/dev/null
  [ -e "$page" ] || continue
  sed "0,/<\/head>/s||$inject<\/head>|" "$page" >"$tmp/timed.html"
  times=
  for _ in $(seq "$runs"); do
    ms=$("$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
          --enable-logging=stderr --v=0 --screenshot="$tmp/shot.png" \
          --window-size=1280,2000 "file://$tmp/timed.html" 2>&1 |
         sed -n 's/.*TFIT_LOAD_MS \([0-9.]*\).*/\1/p' | head -n 1)
    [ -n "$ms" ] && times="$times $ms"
  done
  if [ -z "$times" ]; then
    printf '%-34s  no timing printed by chromium\n' "$cmd --format html"
    continue
  fi
  read -r med min <<<"$(printf '%s\n' $times | sort -n | awk '{a[NR]=$1} END {printf "%.1f %.1f", a[int((NR+1)/2)], a[1]}')"
  printf '%-34s %10s %10s %12s\n' "$cmd --format html" "$med" "$min" "$(wc -c <"$page")"
done
