#!/usr/bin/env bash
# For each model: `tinyfit optimize` it, run the original and the
# optimised model on TFLM (the verifier build.sh made from verify.cc) and
# print one JSON line with tinyfit's figures and TFLM's.
# usage: run.sh TFLM_VERIFY TINYFIT MODEL...
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 TFLM_VERIFY TINYFIT MODEL..." >&2; exit 2; }
verify=$1; tinyfit=$2; shift 2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for m in "$@"; do
  name=$(basename "$m")
  "$tinyfit" optimize "$m" -o "$work/opt.tflite" --format json >"$work/t.json"
  python3 - "$name" "$work/t.json" "$("$verify" "$m" "$work/opt.tflite" 5 || true)" <<'PY'
import json, sys
name, tfile, tflm = sys.argv[1], sys.argv[2], sys.argv[3]
t = json.load(open(tfile))["optimize"]
print(json.dumps({"model": name, "tinyfit": {
    "runtime": t["runtime"], "plan_written": t["plan_written"],
    "head_before_bytes": t["before"]["head_bytes"], "head_after_bytes": t["after"]["head_bytes"]},
    "tflm": json.loads(tflm) if tflm else None}, sort_keys=True))
PY
done
