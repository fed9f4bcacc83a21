#!/usr/bin/env bash
# Every JSON document tinyfit prints validates against docs/output.schema.json.
# usage: outputs.sh TINYFIT SOURCE_DIR PYTHON
set -euo pipefail
tinyfit=$1; src=$2; py=$3
cd "$src"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0
emit() { # name, args...
  local name=$1; shift
  "$tinyfit" "$@" --format json >"$tmp/$name.json" 2>"$tmp/stderr" || { rc=$?; [ $rc -eq 1 ] || [ $rc -eq 3 ] || [ "$name" = compare_errors ] || [ "$name" = compare_pair_errors ]; }
  n=$((n + 1))
}
for m in examples/*.json; do emit "layers_$(basename "$m" .json)" layers "$m"; done
emit check_kws check examples/kws_dscnn.json --device nano33ble_sense,uno_r3
emit check_both check examples/vww_mobilenet.json --device uno_r3 --method both
emit check_textbook check --params 100000 --dtype int8 --device rpi_pico --method textbook
emit check_no_memory_profile check examples/vww_mobilenet.json --device nucleo_l4r5zi --runtime plumerai --clock 80MHz
emit compare_all compare examples/kws_dscnn.json
emit check_xcubeai check examples/kws_dscnn.json --device nucleo_l4r5zi --runtime x-cube-ai
emit optimize_reshape optimize tests/data/tflite/reshape_fc.tflite -o /dev/null
emit compare_both compare examples/ic_resnet8.json examples/activity_mlp.json --method both --devices rpi_pico,esp32_devkitc
emit check_gates check examples/kws_dscnn.json --device nano33ble_sense,uno_r3 --max-flash 150KiB --max-sram 10% --max-arena 16KiB --max-latency 1s --min-margin 8KiB
emit compare_gates compare examples/kws_dscnn.json examples/activity_mlp.json --devices rpi_pico,rpi5 --max-flash 80% --max-latency 10ms --min-margin 8KiB
emit compare_fits_only compare examples/kws_dscnn.json --devices nano33ble_sense,uno_r3 --max-arena 16KiB --fits-only
emit quant_range quant --range -0.5,0.8 --value -0.2
emit quant_range_novalue quant --range 0,6 --method tflite-activation
emit quant_whatif quant examples/kws_dscnn.json
emit quant_tflite quant tests/data/tflite/small_conv.tflite
emit compare_errors compare examples/kws_dscnn.json tests/data/bad/cycle.json --label kws --devices rpi_pico
emit compare_optimize compare tests/data/tflite/patch_chain.tflite --device-dir tests/data/devices/optimize_advice --devices sram56_board,uno_r3
emit compare_pair_errors compare examples/kws_dscnn.json tests/data/bad/hybrid_float16.json tests/data/tflite/plan_limit_buffer.tflite --devices nano33ble_sense,stm32n6570_dk
exec "$py" "$src/tests/schema/validate.py" "$src/docs/output.schema.json" "$tmp"/*.json
