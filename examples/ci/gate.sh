#!/usr/bin/env bash
# The same gate as tinyfit-gate.yml, for any CI system or a git pre-push hook:
#   examples/ci/gate.sh MODEL [BOARDS]
# Exit 0 when MODEL fits every board within the thresholds, 1 when it does
# not (tinyfit prints one line per failure on stderr), 2 on bad input.
set -u
model=${1:?usage: gate.sh MODEL [BOARDS]}
boards=${2:-nano33ble_sense,rpi_pico,esp32_devkitc}
tinyfit=${TINYFIT:-tinyfit}
"$tinyfit" compare "$model" --devices "$boards" \
  --max-flash 80% --max-sram 75% --max-arena 64KiB --min-margin 8KiB \
  --format markdown -o tinyfit-report.md
status=$?
case $status in
  0) echo "tinyfit: $model fits $boards within budget (report: tinyfit-report.md)" ;;
  1) echo "tinyfit: $model is over budget (see the lines above; report: tinyfit-report.md)" ;;
  *) echo "tinyfit: could not check $model" ;;
esac
exit $status
