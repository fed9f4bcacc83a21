#!/usr/bin/env bash
# For each model: `tinyfit optimize` it (runtime tflm: the reference kernels
# verify.cc registers), run the original and the optimised model on TFLM
# (the verifier build.sh made from verify.cc) and print one TSV row with
# tinyfit's figures and TFLM's. The header row comes first. INPUTS (default
# 5): random inputs each model pair is invoked on; GRANULE (default 16): the
# step in bytes of the smallest-arena search (1: exact, as TFLM-TRUTH.md).
# When the verifier crashes (TFLM itself faults at some arenas below the
# smallest instead of failing: README.md, "TFLM faults"), the smallest arenas
# are searched here instead, one process per trial (`--allocates`; a fault
# counts as "does not allocate"), and the verifier is run again with them.
# usage: [INPUTS=N] [GRANULE=B] run.sh TFLM_VERIFY TINYFIT MODEL...
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 TFLM_VERIFY TINYFIT MODEL..." >&2; exit 2; }
verify=$1; tinyfit=$2; shift 2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
g=${GRANULE:-16}
# smallest MODEL: the smallest arena (a multiple of $g, up to 8 MiB as in
# verify.cc) in which AllocateTensors() succeeds, by bisection with a fresh
# process per trial; each trial arena at which TFLM faulted is appended to
# $work/faults.
smallest() {
  local lo=0 hi=$(((8 << 20) / g)) mid rc
  while [ $((hi - lo)) -gt 1 ]; do
    mid=$(((lo + hi) / 2)); rc=0
    "$verify" --allocates "$1" $((mid * g)) >/dev/null 2>&1 || rc=$?
    if [ $rc = 0 ]; then hi=$mid; else
      lo=$mid
      [ $rc -lt 128 ] || echo $((mid * g)) >>"$work/faults"
    fi
  done
  echo $((hi * g))
}
printf 'model\ttinyfit_plan_written\ttinyfit_head_before\ttinyfit_head_after\ttinyfit_arena_before\ttinyfit_arena_after'
printf '\ttflm_head_original\ttflm_head_optimised\ttflm_tail_original\ttflm_tail_optimised'
printf '\ttflm_arena_used_original\ttflm_arena_used_optimised\ttflm_min_arena_original\ttflm_min_arena_optimised'
printf '\tallocate_ok\tinputs\tinvoked\tidentical_outputs'
printf '\ttinyfit_patches\ttinyfit_macs_before\ttinyfit_macs_after\tnote\n'
for m in "$@"; do
  name=$(basename "$m")
  case $m in */large/*) name=large/$name ;; esac
  if ! "$tinyfit" optimize "$m" -o "$work/opt.tflite" --runtime tflm --format json >"$work/t.json" 2>"$work/t.err"; then
    printf '%s\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\ttinyfit optimize refused: %s\n' \
      "$name" "$(head -1 "$work/t.err" | sed 's/^[^:]*: *error: *//' | tr '\t' ' ')"
    continue
  fi
  : >"$work/faults"; rc=0
  "$verify" "$m" "$work/opt.tflite" "${INPUTS:-5}" "$g" >"$work/v.json" 2>/dev/null || rc=$?
  if [ $rc -ge 128 ]; then
    min_o=$(smallest "$m"); min_p=$(smallest "$work/opt.tflite")
    "$verify" "$m" "$work/opt.tflite" "${INPUTS:-5}" "$g" "$min_o" "$min_p" >"$work/v.json" 2>/dev/null || true
  fi
  python3 - "$name" "$work/t.json" "$work/v.json" "$work/faults" "$rc" <<'PY'
import json, sys
name, tfile, vfile, ffile, rc = sys.argv[1:6]
faults = sorted(set(int(x) for x in open(ffile).read().split()))
t = json.load(open(tfile))["optimize"]
try:
    v = json.load(open(vfile))
except ValueError:
    v = None
row = [name, "yes" if t["plan_written"] else "no (TFLM's plan kept: copy)",
       t["before"]["head_bytes"], t["after"]["head_bytes"],
       t["before"]["arena_bytes"], t["after"]["arena_bytes"]]
if v is None:
    row += ["-"] * 12
else:
    o, p = v["original"], v["optimised"]
    row += [o["head_bytes"], p["head_bytes"], o["tail_bytes"], p["tail_bytes"],
            o["arena_used_bytes"], p["arena_used_bytes"], o["min_arena_bytes"], p["min_arena_bytes"],
            "yes" if v["allocate_ok"] else "no", v["inputs"], v["invoked"], v["identical_outputs"]]
p = t.get("patch") or {}
row.append("; ".join("%sx%s ops %s-%s" % (x["rows"], x["cols"], x["first_op"], x["last_op"])
                     for x in p["stages"]) if p.get("applied") else "-")
row += [t["before"]["macs"], t["after"]["macs"]]
if v is None:
    row.append("the TFLM verifier printed nothing (it crashed, exit status %s)" % rc)
else:
    note = []
    if int(rc) >= 128:
        note.append("in-process arena search crashed (exit status %s): smallest arenas searched "
                    "one process per trial; TFLM faulted at %d trial arena(s) below them (%s B)"
                    % (rc, len(faults), ", ".join(str(x) for x in faults) or "none"))
    if v.get("missing_ops"):
        note.append("ops not registered in verify.cc: " + v["missing_ops"])
    if not v["allocate_ok"]:
        note.append("AllocateTensors failed on host TFLM")
    row.append("; ".join(note) or "-")
print("\t".join(str(x) for x in row))
PY
done
