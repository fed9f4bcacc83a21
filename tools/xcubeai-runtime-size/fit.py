#!/usr/bin/env python3
"""Fit X-CUBE-AI's runtime RAM and code flash to ST's published figures.

Reads the ST model zoo rows of ../shared/reference/latency-extra.csv (columns
act_ram_kb, runtime_ram_kb, weights_flash_kb, code_flash_kb), takes each row's
.tflite from a checkout of the zoo (README.md names the repository and
commit), reads the model's features with tinyfit itself (operators, tensors,
distinct kernels; its X-CUBE-AI activations and weights estimates) and fits

    runtime RAM = a + b * feature        code flash = a + b * f1 (+ c * f2)

by least squares for a few candidate features, with leave-one-model-out
(held-out) errors: every row of one model (the same network at several input
sizes) is left out together, the fit is made on the others and predicts it.
The chosen fit is the one with the smallest held-out mean absolute error
among those whose slopes are not negative; its
bound adds the largest held-out under-estimate, so every held-out row lies at
or under the bound. The bound is what data/runtimes/x-cube-ai.json ships
(test_xcubeai_zoo checks it against results/xcubeai-zoo.json).

Usage: fit.py ZOO_CHECKOUT TINYFIT_BINARY [CSV] > results/xcubeai-zoo.json
Pure python 3 (no numpy).
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

CSV_DEFAULT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared",
                           "reference", "latency-extra.csv")
BOARD = "stm32h747i_disco"  # only the sizes are used: they do not depend on the board

# csv line -> (text the row's model column must contain, zoo file, model group).
# The zoo README of each model says which dataset its memory table is for
# (flowers, cifar10/100, emnist byclass, COCO person, ESC-10, WISDM).
IC = "image_classification/models/"
ROWS = {
    165: ("FdMobileNet alpha=0.25, 224", IC + "fdmobilenet/ST_pretrainedmodel_public_dataset/flowers/fdmobilenet_0.25_224/fdmobilenet_0.25_224_int8.tflite", "fdmobilenet_0.25"),
    167: ("FdMobileNet alpha=0.25, 128", IC + "fdmobilenet/ST_pretrainedmodel_public_dataset/flowers/fdmobilenet_0.25_128/fdmobilenet_0.25_128_int8.tflite", "fdmobilenet_0.25"),
    169: ("ResNet v1 8", IC + "resnetv1/ST_pretrainedmodel_public_dataset/cifar10/resnet_v1_8_32/resnet_v1_8_32_int8.tflite", "resnet_v1_8"),
    170: ("ResNet v1 32", IC + "resnetv1/ST_pretrainedmodel_public_dataset/cifar100/resnet_v1_32_32/resnet_v1_32_32_int8.tflite", "resnet_v1_32"),
    173: ("SqueezeNet v1.1, 128", IC + "squeezenetv1.1/ST_pretrainedmodel_public_dataset/flowers/squeezenetv1.1_128/squeezenet_v1.1_128_int8.tflite", "squeezenet_v1.1"),
    174: ("SqueezeNet v1.1, 224", IC + "squeezenetv1.1/ST_pretrainedmodel_public_dataset/flowers/squeezenetv1.1_224/squeezenet_v1.1_224_int8.tflite", "squeezenet_v1.1"),
    175: ("SqueezeNet v1.0, 128", IC + "squeezenetv1.0/ST_pretrainedmodel_public_dataset/flowers/squeezenetv1.0_128/squeezenet_v1.0_128_int8.tflite", "squeezenet_v1.0"),
    176: ("ST MNIST Byclass v1, 28x28x1, int8", IC + "stmnist/ST_pretrainedmodel_public_dataset/emnist_byclass/stmnist_v1/stmnist_v1_int8.tflite", "stmnist_v1"),
    181: ("SSD MobileNet v1 alpha=0.25, 192", "object_detection/models/ssd_mobilenetv1/ST_pretrainedmodel_public_dataset/COCO/ssd_mobilenet_v1_0.25_192/ssd_mobilenet_v1_025_192_int8.tflite", "ssd_mobilenet_v1_0.25"),
    182: ("SSD MobileNet v1 alpha=0.25, 224", "object_detection/models/ssd_mobilenetv1/ST_pretrainedmodel_public_dataset/COCO/ssd_mobilenet_v1_0.25_224/ssd_mobilenet_v1_025_224_int8.tflite", "ssd_mobilenet_v1_0.25"),
    183: ("SSD MobileNet v1 alpha=0.25, 256", "object_detection/models/ssd_mobilenetv1/ST_pretrainedmodel_public_dataset/COCO/ssd_mobilenet_v1_0.25_256/ssd_mobilenet_v1_025_256_int8.tflite", "ssd_mobilenet_v1_0.25"),
    190: ("MiniResNet 1 stack", "audio_event_detection/models/miniresnet/ST_pretrainedmodel_public_dataset/esc10/miniresnet_1stacks_64x50/miniresnet_1stacks_64x50_int8.tflite", "miniresnet_1"),
    191: ("MiniResNet 2 stacks", "audio_event_detection/models/miniresnet/ST_pretrainedmodel_public_dataset/esc10/miniresnet_2stacks_64x50/miniresnet_2stacks_64x50_int8.tflite", "miniresnet_2"),
    192: ("MiniResNet v2 1 stack", "audio_event_detection/models/miniresnetv2/ST_pretrainedmodel_public_dataset/esc10/miniresnetv2_1stacks_64x50/miniresnetv2_1stacks_64x50_int8.tflite", "miniresnetv2_1"),
    193: ("MiniResNet v2 2 stacks", "audio_event_detection/models/miniresnetv2/ST_pretrainedmodel_public_dataset/esc10/miniresnetv2_2stacks_64x50/miniresnetv2_2stacks_64x50_int8.tflite", "miniresnetv2_2"),
    194: ("YAMNet-256", "audio_event_detection/models/yamnet/ST_pretrainedmodel_public_dataset/esc_10/yamnet_256_64x96/yamnet_256_64x96_int8.tflite", "yamnet_256"),
    198: ("HAR IGN wl=24, 24x3x1, int8", "human_activity_recognition/models/ign/ST_pretrainedmodel_public_dataset/WISDM/ign_wl_24/ign_wl_24_int8.tflite", "ign_wl_24"),
    199: ("HAR IGN wl=48, 48x3x1, int8", "human_activity_recognition/models/ign/ST_pretrainedmodel_public_dataset/WISDM/ign_wl_48/ign_wl_48_int8.tflite", "ign_wl_48"),
}
# float32 rows whose int8 twin is above: same graph, so the same operators.
# They check that the int8 bound also covers a float32 build.
FLOAT_TWINS = {177: ("ST MNIST Byclass v1, 28x28x1, float32", 176),
               200: ("HAR IGN wl=24, float32", 198)}

CANDIDATES = {
    "runtime_ram": [["ops"], ["tensors"], ["kinds"], ["ops", "kinds"], ["tensors", "kinds"]],
    "code_flash": [["ops"], ["tensors"], ["kinds"], ["ops", "kinds"], ["tensors", "kinds"]],
}
KIB = 1024


def solve(a, b):
    """Gaussian elimination with partial pivoting: a x = b."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-12:
            raise ValueError("singular")
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] for i in range(n)]


def lstsq(xs, ys):
    k = len(xs[0])
    ata = [[sum(x[i] * x[j] for x in xs) for j in range(k)] for i in range(k)]
    aty = [sum(x[i] * y for x, y in zip(xs, ys)) for i in range(k)]
    return solve(ata, aty)


def features(tinyfit, path):
    def run(*args):
        out = subprocess.run([tinyfit, *args, "--format", "json"], check=False,
                             capture_output=True, text=True).stdout
        return json.loads(out)
    chk = run("check", path, "--device", BOARD, "--runtime", "x-cube-ai")
    lay = run("layers", path)
    m = chk["model"]
    s = chk["results"][0]["sram"]
    kinds = sorted({l["type"].split("+")[0] for l in lay["model"]["layers"]})
    return {"dtype": m["dtype"], "ops": m["ops"], "tensors": m["tensors"], "kinds": len(kinds),
            "op_kinds": kinds, "weights_bytes": m["weights_bytes"],
            "activations_planned_bytes": s["arena_head_bytes"]}


def fit(rows, ykey, feats):
    xs = [[1.0] + [r[f] for f in feats] for r in rows]
    ys = [r[ykey] for r in rows]
    coef = lstsq(xs, ys)
    held = []
    for g in sorted({r["group"] for r in rows}):
        tr = [i for i, r in enumerate(rows) if r["group"] != g]
        c = lstsq([xs[i] for i in tr], [ys[i] for i in tr])
        for i, r in enumerate(rows):
            if r["group"] == g:
                pred = sum(a * b for a, b in zip(c, xs[i]))
                held.append({"line": r["line"], "group": g, "published_kib": ys[i],
                             "held_out_kib": round(pred, 2),
                             "error_kib": round(pred - ys[i], 2)})
    errs = [h["error_kib"] for h in held]
    return {"features": feats, "coef_kib": [round(c, 4) for c in coef],
            "held_out_mae_kib": round(sum(abs(e) for e in errs) / len(errs), 2),
            "held_out_max_under_kib": round(max(0.0, -min(errs)), 2),
            "held_out_max_over_kib": round(max(0.0, max(errs)), 2),
            "held_out": held}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    zoo, tinyfit = sys.argv[1], sys.argv[2]
    path = sys.argv[3] if len(sys.argv) > 3 else CSV_DEFAULT
    lines = list(csv.reader(open(path, newline="")))
    head = lines[0]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for ln, (name, rel, group) in sorted(ROWS.items()):
            rec = dict(zip(head, lines[ln - 1]))
            if name not in rec["model"] or not rec["runtime"].startswith("x-cube-ai"):
                sys.exit("%s:%d: expected the row of '%s', got '%s'" % (path, ln, name, rec["model"]))
            f = os.path.join(tmp, os.path.basename(rel))
            with open(f, "wb") as out:
                out.write(subprocess.run(["git", "-C", zoo, "show", "HEAD:" + rel],
                                         check=True, capture_output=True).stdout)
            r = {"line": ln, "model": rec["model"], "zoo_file": rel, "group": group,
                 "runtime": rec["runtime"],
                 "runtime_ram": float(rec["runtime_ram_kb"]),
                 "code_flash": float(rec["code_flash_kb"]),
                 "act_ram_kib": float(rec["act_ram_kb"]),
                 "weights_flash_kib": float(rec["weights_flash_kb"])}
            r.update(features(tinyfit, f))
            rows.append(r)
    commit = subprocess.run(["git", "-C", zoo, "rev-parse", "HEAD"], check=True,
                            capture_output=True, text=True).stdout.strip()
    res = {"source": "ST model zoo rows of shared/reference/latency-extra.csv; models from "
                     "bvenreply/stm32ai-modelzoo @" + commit + "; features read by tinyfit",
           "rows": rows, "fits": {}, "chosen": {}, "bound": {}}
    for ykey, cands in CANDIDATES.items():
        fits = [fit(rows, ykey, f) for f in cands]
        res["fits"][ykey] = fits
        # more tensors or kernels never take less memory: a fit with a
        # negative slope would extrapolate downwards, so it is not chosen
        best = min((f for f in fits if all(c >= 0 for c in f["coef_kib"][1:])),
                   key=lambda f: f["held_out_mae_kib"])
        res["chosen"][ykey] = best["features"]
        # the bound: the full fit plus the largest held-out under-estimate, in bytes
        coef = best["coef_kib"]
        res["bound"][ykey] = {
            "features": best["features"],
            "base_bytes": int(-(-(coef[0] + best["held_out_max_under_kib"]) * KIB // 1)),
            "per_feature_bytes": [int(-(-c * KIB // 1)) for c in coef[1:]],
        }
    # coverage: what the data spans
    res["covered"] = {
        "max_ops": max(r["ops"] for r in rows),
        "max_tensors": max(r["tensors"] for r in rows),
        "max_kinds": max(r["kinds"] for r in rows),
        "op_kinds": sorted({k for r in rows for k in r["op_kinds"]}),
        # the model dtypes of the rows (tinyfit's model.dtype): the profile's flash.dtypes
        "dtypes": sorted({r["dtype"] for r in rows}),
    }

    def bound(ykey, r):
        b = res["bound"][ykey]
        return b["base_bytes"] + sum(p * r[f] for p, f in zip(b["per_feature_bytes"], b["features"]))

    for r in rows:
        for ykey in ("runtime_ram", "code_flash"):
            r[ykey + "_bound_bytes"] = bound(ykey, r)
            r[ykey + "_covered"] = r[ykey + "_bound_bytes"] >= r[ykey] * KIB
    twins = []
    for ln, (name, twin) in sorted(FLOAT_TWINS.items()):
        rec = dict(zip(head, lines[ln - 1]))
        if name not in rec["model"]:
            sys.exit("%s:%d: expected the row of '%s'" % (path, ln, name))
        t = next(r for r in rows if r["line"] == twin)
        tw = {"line": ln, "model": rec["model"], "int8_twin_line": twin,
              "runtime_ram_kib": float(rec["runtime_ram_kb"]),
              "code_flash_kib": float(rec["code_flash_kb"])}
        for ykey, k in (("runtime_ram", "runtime_ram_kib"), ("code_flash", "code_flash_kib")):
            tw[ykey + "_bound_bytes"] = bound(ykey, t)
            tw[ykey + "_covered"] = tw[ykey + "_bound_bytes"] >= tw[k] * KIB
        twins.append(tw)
    res["float32_twins"] = twins
    # tinyfit's activations and weights estimates against ST's figures
    act = [{"line": r["line"], "published_kib": r["act_ram_kib"],
            "tinyfit_kib": round(r["activations_planned_bytes"] / KIB, 2),
            "error_kib": round(r["activations_planned_bytes"] / KIB - r["act_ram_kib"], 2)}
           for r in rows]
    wts = [{"line": r["line"], "published_kib": r["weights_flash_kib"],
            "tinyfit_kib": round(r["weights_bytes"] / KIB, 2),
            "error_kib": round(r["weights_bytes"] / KIB - r["weights_flash_kib"], 2)}
           for r in rows]
    under = [a for a in act if a["error_kib"] < 0]
    res["activations"] = {
        "rows": act,
        "max_under_kib": round(max([-a["error_kib"] for a in act] + [0.0]), 2),
        "max_under_bytes": int(-(-max([(a["published_kib"] - a["tinyfit_kib"]) * KIB for a in act] + [0]) // 1)),
        "under_lines": [a["line"] for a in under],
        "max_over_kib": round(max(a["error_kib"] for a in act), 2),
    }
    # the activations margin (the largest shortfall) held out: each model's
    # shortfall against the margin the other models give
    short = {r["line"]: (r["act_ram_kib"] * KIB - r["activations_planned_bytes"], r["group"]) for r in rows}
    held = []
    for ln, (sb, g) in sorted(short.items()):
        others = max([0] + [v for l2, (v, g2) in short.items() if g2 != g])
        if sb > others:
            held.append({"line": ln, "shortfall_bytes": int(sb), "margin_without_it_bytes": int(others)})
    res["activations"]["held_out_uncovered"] = held
    res["weights"] = {
        "rows": wts,
        "max_abs_error_kib": round(max(abs(w["error_kib"]) for w in wts), 2),
        "max_under_kib": round(max([-w["error_kib"] for w in wts] + [0.0]), 2),
    }
    # what the verdict adds up: RAM = activations + margin + runtime RAM,
    # flash = weights + code; each row's bound against ST's total
    for r in rows:
        ram = r["activations_planned_bytes"] + res["activations"]["max_under_bytes"] + r["runtime_ram_bound_bytes"]
        flash = r["weights_bytes"] + r["code_flash_bound_bytes"]
        r["total_ram_covered"] = ram >= (r["act_ram_kib"] + r["runtime_ram"]) * KIB
        r["total_flash_covered"] = flash >= (r["weights_flash_kib"] + r["code_flash"]) * KIB
    json.dump(res, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
