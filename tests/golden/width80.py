#!/usr/bin/env python3
"""Every text report fits 80 columns (issue #14): check, compare, devices
and layers, with --width 80 and with COLUMNS=80 on a pipe, must print no
line longer than 80 display columns (UTF-8 code points: box drawing, blocks
and the ellipsis are one column each; ANSI colour is off).

usage: width80.py TINYFIT SOURCE_DIR
"""
import os
import subprocess
import sys

tinyfit, src = sys.argv[1], sys.argv[2]
COMMANDS = [
    ["check", "examples/kws_dscnn.json", "--device", "nano33ble_sense"],
    ["check", "examples/kws_dscnn.json", "--device", "nano33ble_sense", "--method", "both"],
    ["check", "examples/vww_mobilenet.json", "--device", "uno_r3"],
    ["check", "examples/kws_dscnn.json", "--device", "nano33ble_sense,rpi_pico",
     "--deadline", "100ms", "--max-flash", "10%", "--duty", "5s/30s",
     "--battery", "3000mAh@3.7V"],
    ["check", "tests/data/fused_names.json", "--device", "nano33ble_sense"],
    ["compare", "examples/kws_dscnn.json"],
    ["compare", "examples/kws_dscnn.json", "examples/activity_mlp.json", "--method", "both"],
    ["compare", "examples/kws_dscnn.json", "--method", "textbook"],
    ["devices"],
    ["devices", "show", "nano33ble_sense"],
    ["layers", "examples/kws_dscnn.json"],
    ["layers", "examples/kws_dscnn.json", "--device", "nano33ble_sense"],
    ["layers", "tests/data/fused_names.json", "--device", "esp32s3_devkitc_n8"],
    ["layers", "examples/ic_resnet8.json"],
]
env = dict(os.environ, NO_COLOR="1", LC_ALL="C")
env.pop("TINYFIT_DEVICES", None)
fail = 0
for args in COMMANDS:
    for how in ("--width 80", "COLUMNS=80"):
        e = dict(env)
        argv = [tinyfit] + args
        if how == "COLUMNS=80":
            e["COLUMNS"] = "80"
        else:
            e.pop("COLUMNS", None)
            argv.append("--width=80")
        p = subprocess.run(argv, cwd=src, env=e, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        if p.returncode not in (0, 1, 3):
            print("%s (%s): exit %d: %s" % (" ".join(args), how, p.returncode,
                                            p.stderr.decode("utf-8", "replace")))
            fail = 1
            continue
        lines = p.stdout.decode("utf-8").split("\n")
        long = [(i + 1, len(l), l) for i, l in enumerate(lines) if len(l) > 80]
        for n, w, l in long[:3]:
            print("%s (%s): line %d is %d columns: %s" % (" ".join(args), how, n, w, l))
        if long:
            fail = 1
        else:
            print("ok: %s (%s), %d lines" % (" ".join(args), how, len(lines)))
sys.exit(fail)
