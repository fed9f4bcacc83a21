#!/usr/bin/env bash
# The HTML and SVG pages of every shared model stay under 1 MiB (issue
# #18: "the pages stay under 1 MB for the shared models"): check, layers
# (with a device: the latency bars too) and compare --all as HTML, check as
# SVG, for each .tflite in ../shared/models and ../shared/models/large.
# page_size.sh TINYFIT SOURCE_DIR; exit 77 (skipped) without ../shared.
set -u
tinyfit=$1
src=$2
bound=1048576
shared=$src/../shared/models
if [ ! -d "$shared" ]; then
  echo "skipped: ../shared is not present"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0 max=0 max_page=
for model in "$shared"/*.tflite "$shared"/large/*.tflite; do
  [ -e "$model" ] || continue
  name=$(basename "$model" .tflite)
  for page in check.html layers.html compare.html check.svg; do
    f=$tmp/$page
    rm -f "$f"
    case $page in
      check.html) "$tinyfit" check "$model" --device nano33ble_sense -q -o "$f" ;;
      layers.html) "$tinyfit" layers "$model" --device nano33ble_sense -q -o "$f" ;;
      compare.html) "$tinyfit" compare "$model" --all -q -o "$f" ;;
      check.svg) "$tinyfit" check "$model" --device nano33ble_sense -q -o "$f" ;;
    esac
    rc=$?
    # 0 fits, 1 does not fit / run, 3 unknown: a page either way; 2 is an
    # input error (a model tinyfit refuses), then there is no page to weigh
    if [ "$rc" = 2 ]; then echo "note: $name $page: not written (input error)"; continue; fi
    if [ ! -s "$f" ]; then echo "FAIL $name $page: exit $rc, no page"; fail=1; continue; fi
    size=$(wc -c <"$f")
    n=$((n + 1))
    if [ "$size" -gt "$max" ]; then max=$size; max_page="$name $page"; fi
    if [ "$size" -ge "$bound" ]; then echo "FAIL $name $page: $size bytes (bound $bound)"; fail=1; fi
  done
done
echo "$n pages, the largest $max bytes ($max_page), bound $bound bytes"
exit $fail
