#!/usr/bin/env python3
"""apply.py REF.json CMSIS.json - write measure.sh results into the flash
sections of data/runtimes/tflm.json and tflm-cmsis-nn.json (see README.md).
Standard library only. Other keys and the files' layout are kept."""
import json
import statistics
import sys
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build_name(res):
    """Short, for the report line: core and compiler (the rest is in source)."""
    version = res["toolchain"].split()[-2]          # "12.2.1"
    return "Cortex-M4F, GCC %s" % ".".join(version.split(".")[:2])


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


def update(name, section):
    path = ROOT / "data" / "runtimes" / name
    doc = json.loads(path.read_text(), object_pairs_hook=OrderedDict)
    # one line per shared group: the list is long and read a group at a time
    groups = section["shared"]
    section["shared"] = ["@@group%d@@" % i for i in range(len(groups))]
    doc["flash"] = section
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    for i, g in enumerate(groups):
        text = text.replace('"@@group%d@@"' % i, json.dumps(g, ensure_ascii=False))
    path.write_text(text + "\n")


def main():
    ref = json.loads(Path(sys.argv[1]).read_text())
    cmsis = json.loads(Path(sys.argv[2]).read_text())
    assert ref["optimized_kernel_dir"] == "reference" and cmsis["optimized_kernel_dir"] == "cmsis_nn"
    update("tflm.json", flash_section(ref, "TFLM's reference kernels"))
    update("tflm-cmsis-nn.json", flash_section(
        cmsis, "TFLM with OPTIMIZED_KERNEL_DIR=cmsis_nn and CMSIS-NN 4ab83cc3cc98 (CMSIS-NN's "
               "kernels where it has them, the reference ones elsewhere)"))


if __name__ == "__main__":
    main()
