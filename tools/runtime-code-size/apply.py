#!/usr/bin/env python3
"""apply.py [--core CORE] REF.json CMSIS.json - write measure.py results into
the flash sections of data/runtimes/tflm.json and tflm-cmsis-nn.json: the
default table, or with --core (a tinyfit core id such as cortex-m0plus) the
table for that core's boards (see README.md).
Standard library only. Other keys and the files' layout are kept."""
import json
import statistics
import sys
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


CORE_NAMES = {"cortex-m4+fp": "Cortex-M4F", "cortex-m0plus": "Cortex-M0+",
              "cortex-m7+fp": "Cortex-M7F", "cortex-m33": "Cortex-M33", "cortex-m55": "Cortex-M55"}


def build_name(res):
    """Short, for the report line: core and compiler (the rest is in source)."""
    version = res["toolchain"].split()[-2]          # "12.2.1"
    return "%s, GCC %s" % (CORE_NAMES.get(res["target_arch"], res["target_arch"]),
                           ".".join(version.split(".")[:2]))


def flash_section(res, what):
    kernels = OrderedDict(sorted(res["kernels"].items()))
    median_alone = int(statistics.median(res["alone"].values()))
    worst = max((abs(v["predicted"] - v["measured"]) for v in res["validation"]), default=0)
    return OrderedDict([
        ("base_bytes", res["base_bytes"]),
        ("default_kernel_bytes", median_alone),
        ("kernels", kernels),
        ("shared", [OrderedDict([("kernels", g["kernels"]), ("bytes", g["bytes"])])
                    for g in res["shared"]]),
        ("measured_on", build_name(res)),
        ("source", "measured with tools/runtime-code-size (probe application linked against "
                   "libtensorflow-microlite.a, --gc-sections, newlib-nano; flash = text + data): "
                   "base_bytes is the interpreter image with no kernel registered, corrected for what "
                   "no symbol sees (README.md); each kernel's figure "
                   "is its own code, and 'shared' lists the code several kernels have in common "
                   "(symbols of their images), counted once when any of them is used; %s; TFLM %s "
                   "release build (framework -Os, kernels -O2, error strings stripped), %s, "
                   "target %s; %d op sets linked for real are within %d bytes of base + own + shared; "
                   "default_kernel_bytes is the median kernel with its shared code, for ops this "
                   "build has no kernel for" % (what, res["tflite_micro"], res["toolchain"],
                                                res["target_arch"], len(res["validation"]),
                                                worst)),
    ])


def update(name, section, core=None):
    """Write section as the profile's flash table, or as flash.by_core[core]."""
    path = ROOT / "data" / "runtimes" / name
    doc = json.loads(path.read_text(), object_pairs_hook=OrderedDict)
    # one line per shared group: the list is long and read a group at a time
    placeholders = {}

    def compact(sec, tag):
        groups = sec["shared"]
        sec["shared"] = []
        for i, g in enumerate(groups):
            key = "@@%s%d@@" % (tag, i)
            placeholders[key] = json.dumps(g, ensure_ascii=False)
            sec["shared"].append(key)

    if core is None:
        by_core = doc.get("flash", {}).get("by_core")
        doc["flash"] = section
        if by_core:
            doc["flash"]["by_core"] = by_core
    else:
        doc["flash"].setdefault("by_core", OrderedDict())[core] = section
    compact(doc["flash"], "g")
    for c, sec in doc["flash"].get("by_core", {}).items():
        if sec["shared"] and not str(sec["shared"][0]).startswith("@@"):
            compact(sec, c)
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    for key, value in placeholders.items():
        text = text.replace('"%s"' % key, value)
    path.write_text(text + "\n")


def main():
    args = sys.argv[1:]
    core = None
    if args[:1] == ["--core"]:
        core, args = args[1], args[2:]
    ref = json.loads(Path(args[0]).read_text())
    cmsis = json.loads(Path(args[1]).read_text())
    assert ref["optimized_kernel_dir"] == "reference" and cmsis["optimized_kernel_dir"] == "cmsis_nn"
    update("tflm.json", flash_section(ref, "TFLM's reference kernels"), core)
    update("tflm-cmsis-nn.json", flash_section(
        cmsis, "TFLM with OPTIMIZED_KERNEL_DIR=cmsis_nn and CMSIS-NN 4ab83cc3cc98 (CMSIS-NN's "
               "kernels where it has them, the reference ones elsewhere)"), core)


if __name__ == "__main__":
    main()
