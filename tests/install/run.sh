#!/usr/bin/env bash
# The installed layout works: `cmake --install` into a scratch prefix, then
# the installed tinyfit, run from another directory and through a symlink,
# finds its built-in devices and runtime data under share/tinyfit
# (issue #3: the database is found relative to the executable, never by a
# path compiled in, so the build tree plays no part here).
# usage: run.sh BUILD_DIR SOURCE_DIR
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
fail=0
expect() { # what got want
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1: got '$2', expected '$3'"
    fail=1
  else
    echo "ok: $1"
  fi
}
n_src=$(ls "$src"/devices/*.json | wc -l)
n_inst=$(ls "$tmp"/prefix/share/tinyfit/devices/*.json | wc -l)
expect "installed profiles" "$n_inst" "$n_src"
cd /
defined=$(env -u TINYFIT_DEVICES "$tmp/prefix/bin/tinyfit" devices show ESP32 --format csv |
          grep '^defined in,' | cut -d, -f2)
expect "devices show from /" "$defined" "<built-in>/esp32_devkitc.json"
count=$(env -u TINYFIT_DEVICES "$tmp/prefix/bin/tinyfit" devices --format csv | tail -n +2 | wc -l)
expect "devices list from /" "$count" "$n_src"
mkdir -p "$tmp/elsewhere"
ln -s "$tmp/prefix/bin/tinyfit" "$tmp/elsewhere/tinyfit"
csv=$(env -u TINYFIT_DEVICES "$tmp/elsewhere/tinyfit" check "$src/examples/kws_dscnn.json" \
          -d nano33ble_sense --format csv)
col=$(printf '%s\n' "$csv" | head -n 1 | tr ',' '\n' | grep -nx verdict | cut -d: -f1)
verdict=$(printf '%s\n' "$csv" | tail -n 1 | cut -d, -f"$col")
expect "check through a symlink (runtime and cost data found)" "$verdict" "fits"
exit $fail
