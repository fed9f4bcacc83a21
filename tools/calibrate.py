#!/usr/bin/env python3
"""Fit tinyfit's latency cost tables (data/cost/<runtime>.json).

Usage (from the repository root, after a build):
    python3 tools/calibrate.py [--tinyfit build/stage/bin/tinyfit] [--shared ../shared]

Inputs, and only these:
  * ../shared/reference/latency-calibration.csv - MLPerf Tiny closed-division
    latencies (the calibration set);
  * data/cost/calibration-systems.json - each calibration system mapped to a
    core id, clock, runtime id (and dtype);
  * the reference models in ../shared/models, read by tinyfit itself
    (`tinyfit layers MODEL --device ... --format json` gives each op's cost
    class, MACs and element ops);
  * published per-kernel cycle counts quoted below (ESP-NN README), and the
    priors below, each with its reason.
../shared/reference/latency-extra.csv is NOT read here: its whole-model rows are
the validation set (tests and docs/latency-model.md report the error on them).

Model (the same as src/cost/cost_estimate.c):
    cycles(op) = units(op) * cycles_per_unit[class] + op_overhead_cycles
    latency_ms = sum(cycles) / (clock_mhz * 1000)
For each table (runtime@version, core, dtype) three numbers are fitted by
least squares on log(estimate / measured): conv, conv_1x1 and fc cycles per
MAC. Depthwise is tied to conv_1x1, the element classes to fc, recurrent to fc
(PROFILE below), with weak priors (conv_1x1 ~ conv, fc ~ conv) that only decide
what the data leave open (a table measured on one benchmark).

Outputs: data/cost/<runtime>.json and the calibration section of
docs/latency-model.md (between its markers). Python 3 standard library only.
"""
import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys
from collections import OrderedDict, defaultdict

KINDS = ["conv", "conv_1x1", "depthwise", "fc", "recurrent", "pool", "elementwise",
         "softmax", "data_move"]
MAC_KINDS = {"conv", "conv_1x1", "depthwise", "fc", "recurrent"}

CAL_CSV = "reference/latency-calibration.csv"
CAL_SOURCE = "MLPerf Tiny closed division (../shared/reference/latency-calibration.csv)"

# ---- priors: how the classes a benchmark does not isolate relate to the fitted ones

# depthwise cycles/MAC = conv_1x1 cycles/MAC x this. Optimised libraries run
# depthwise far below their 1x1 rate: ESP-NN on ESP32-S3 (espressif/esp-nn
# README @5f0a807e kernel table) 4.7-5.0 vs 0.81 cycles/MAC (x6 on a 64-channel
# 1x1, x2 against its 16-channel one); TFLM's Corstone-300 per-op ticks for
# CMSIS-NN (tensorflow/tflite-micro tools/benchmarking/README.md @e425abb6)
# 0.92 vs 0.23 ticks/MAC on person_detect's 128-channel layers (x4). Reference C
# kernels run both at a similar rate (ESP-NN ANSI C: 31.5 / 20.9 vs 11.5
# cycles/MAC, x1.8-2.7).
DW_RATIO = {"optimised": 3.0, "reference": 2.0}
DW_SOURCE = {
    "optimised": "prior: 3 x conv_1x1 (optimised depthwise kernels: ESP-NN S3 README 4.7-5.0 vs 0.81-2.4 cycles/MAC for 1x1; TFLM Corstone-300 CMSIS-NN per-op ticks 0.92 vs 0.23 per MAC)",
    "reference": "prior: 2 x conv_1x1 (plain C kernels: ESP-NN ANSI C README 20.9-31.5 vs 11.5 cycles/MAC for 1x1)",
}
# element classes in cycles per element as multiples of the fitted fc cycles/MAC
ELEM_PROFILE = {
    "recurrent": (1.5, "prior: 1.5 x fc per MAC (gate matmuls plus sigmoid/tanh per state element)"),
    "pool": (1.0, "prior: 1 x fc per MAC per input element (one load and add or compare per element; ESP-NN S3 avg/max pool 16x16x16 3x3: 48-118 k cycles)"),
    "elementwise": (3.0, "prior: 3 x fc per MAC per element (int8 add/mul requantise each element with two fixed-point multiplies; ESP-NN S3 elementwise add 46 cycles/element from PSRAM, mul 22)"),
    "softmax": (20.0, "prior: 20 x fc per MAC per element (exp lookup, sum and division per element; ESP-NN softmax 8x32: 43 cycles/element optimised, 59 ANSI C)"),
    "data_move": (0.25, "prior: 0.25 x fc per MAC per element (reshape is a no-op in TFLM, concat/pad copy bytes)"),
}
# fixed cycles per op: interpreter dispatch and kernel setup.
OVERHEAD = {
    "interpreter": (2000.0, "prior: 2000 cycles per op for a TFLM-style interpreter (Invoke dispatch, per-channel quantisation setup; ESP-NN S3 1x1 conv a + b x MACs fit over the 16- and 64-channel cases gives ~27 k fixed cycles per call from PSRAM, TFLM Corstone-300 RESHAPE 28 ticks: a few thousand is the middle)"),
    "generated": (500.0, "prior: 500 cycles per op for generated code (no interpreter; call and loop setup only)"),
}

# Each runtime: display name, the depthwise profile, overhead kind, float
# fallback, int16 and soft-float factors (with sources).
RUNTIMES = OrderedDict([
    ("tflm", dict(name="TensorFlow Lite Micro, reference kernels", dw="reference", ovh="interpreter")),
    ("tflm-cmsis-nn", dict(name="TensorFlow Lite Micro + Arm CMSIS-NN kernels", dw="optimised", ovh="interpreter", float_runtime="tflm")),
    ("tflm-esp-nn", dict(name="TensorFlow Lite Micro + Espressif ESP-NN kernels", dw="optimised", ovh="interpreter", float_runtime="tflm")),
    ("x-cube-ai", dict(name="ST X-CUBE-AI / STM32Cube.AI / ST Edge AI (generated C, network runtime library)", dw="optimised", ovh="generated")),
    ("tflm-andes-nn", dict(name="TensorFlow Lite Micro + Andes NN library (MLPerf Tiny edition)", dw="optimised", ovh="interpreter", float_runtime="tflm")),
    ("tflm-silabs-mvp", dict(name="TensorFlow Lite Micro + Silicon Labs MVP accelerator kernels (Gecko SDK)", dw="optimised", ovh="interpreter", float_runtime="tflm")),
    ("plumerai", dict(name="Plumerai Inference Engine", dw="optimised", ovh="generated")),
    ("microtvm-cmsis-nn", dict(name="Apache microTVM with CMSIS-NN kernels", dw="optimised", ovh="generated")),
    ("microtvm", dict(name="Apache microTVM (native TVM schedules)", dw="optimised", ovh="generated")),
    ("hale", dict(name="Bosch HALE (code generator)", dw="optimised", ovh="generated")),
    ("onnc", dict(name="Skymizer ONNC (compiler, CMSIS-NN backend)", dw="optimised", ovh="generated")),
    ("onnc-andes", dict(name="Skymizer ONNC with the Andes NN library (Linux)", dw="optimised", ovh="generated")),
    ("leip", dict(name="Latent AI LEIP", dw="optimised", ovh="generated")),
    ("syntiant-ndp", dict(name="Syntiant NDP SDK (Syntiant Core 2 neural accelerator)", dw="optimised", ovh="generated")),
    ("gapflow", dict(name="GreenWaves GAPflow (GAP9 cluster + NE16)", dw="optimised", ovh="generated")),
    ("qualcomm-ai", dict(name="Qualcomm AI Stack (Sensing Hub)", dw="optimised", ovh="generated")),
    ("fpgaconvnet", dict(name="fpgaConvNet (Zynq FPGA fabric)", dw="optimised", ovh="generated")),
    ("kj-self", dict(name="kai_jiang self-developed engine (MLPerf Tiny)", dw="optimised", ovh="generated")),
])
# Core families a runtime has no table for on purpose, with the reason the
# estimator gives instead of a number.
NOT_FOR = {
    "tflm": {"arm-a": "application processors (Linux boards) do not run TFLM's reference kernels: they run "
                      "TensorFlow Lite with XNNPACK/ruy, which no calibration point measures; MLPerf Tiny measured "
                      "Latent AI LEIP on a Raspberry Pi 4 (Cortex-A72): use --runtime leip"},
}
INT16 = (2.0, "prior: int16 (16x8) kernels move twice the activation bytes and use half the SIMD lanes of the int8 path (CMSIS-NN s16 kernels)")
SOFT_FLOAT = (10.0, "prior: a float multiply-add in software (libgcc __aeabi_fmul/__aeabi_fadd) takes tens of cycles against 1-3 with an FPU")

# Versions ordered oldest to newest where a runtime has numbered versions:
# the newest measured one on a core answers a request without "@version".
VERSION_ORDER = {"x-cube-ai": ["7.1", "7.3", "8.0", "8.1", "9.0", "10.2"]}

# ---- published per-kernel figures (calibration, not validation)
# espressif/esp-nn README @5f0a807e, kernel tables, cycles = esp_cpu_get_cycle_count()
# around one call of the esp-nn test app; ESP32-S3 240 MHz (LX7), ESP32-P4 360 MHz.
# Depthwise: the README times two shapes, 3x3 multiplier 1 (18x18x16, 36,864
# MACs) and 5x5 multiplier 8 (80,000); a class has one rate, so it is the
# row of the path that carries most depthwise MACs: 3x3 multiplier 1, 78% of
# the shared models' depthwise MACs (30 of their 36 depthwise ops,
# tools/kernel-cycles/results/grid.json).
ESPNN_S3_OPT = {"conv_1x1": 331008 / 409600, "conv": 394842 / 110592, "depthwise": 184176 / 36864,
                "fc": 1078 / 813}
ESPNN_S3_ANSI = {"conv_1x1": 4712500 / 409600, "conv": 2193289 / 110592, "depthwise": 1159831 / 36864,
                 "fc": 8443 / 813}
ESPNN_P4_OPT = {"conv_1x1": 572459 / 409600, "conv": 533318 / 110592, "depthwise": 482389 / 36864,
                "fc": 915 / 813}
ESPNN_SRC = "espressif/esp-nn README @5f0a807e kernel table"

# Core speed relative to the calibrated core of a runtime, for cores no
# measurement covers (priors; applied to every class).
CORE_FACTOR_SRC = {
    "cortex-m0plus": (4.3, "Bosch HALE measured the same generated code on Cortex-M0+ (NUCLEO-G0B1RE) and Cortex-M4F (NUCLEO-L4R5ZI): 4.2x (kws) and 4.5x (ic) the cycles (MLPerf Tiny v1.2)"),
    "cortex-m3": (2.0, "prior: Armv7-M has single-cycle 32-bit MAC but no SIMD (no SMLAD), half the Armv7E-M DSP rate"),
    "cortex-m7": (0.75, "MLPerf Tiny: plumerai, X-CUBE-AI and HALE take 0.7-0.8x the Cortex-M4F cycles on Cortex-M7 (dual issue)"),
    "cortex-m55": (1.3, "prior: Helium like the M85 but single-issue scalar pipeline"),
    "cortex-a": (0.3, "prior: out-of-order NEON cores at 3x an M4's cycles per MAC"),
    "same": (1.0, "prior: same integer pipeline"),
}


# ---- priors from the kernels' measured structure (issue #15)
# For runtimes whose kernels have the structure of CMSIS-NN's or TFLM's
# reference kernels on an Arm core, the priors that decide what a table's
# points leave open (the cycles per MAC of a class its benchmarks do not
# isolate) are not "every class alike" but the ratios of the instructions
# those open kernels execute per MAC, class by class, over every op shape of
# the shared models: measured on an emulator by tools/kernel-cycles
# (results/grid.json shapes x data/cost/kernels.json per-path instruction
# models). Nothing of a latency measurement enters them, so a model held out
# of the fit stays held out. The closed runtimes' own kernels are not
# measured; the ratios are the shape structure (1x1 vs 3x3 vs depthwise vs
# fully connected) of an optimised Armv7E-M int8 library, which is what
# X-CUBE-AI, Plumerai, HALE, microTVM and ONNC generate or call.
KERNEL_PRIOR_IMPL = {"tflm": "ref", "tflm-cmsis-nn": "cmsis_nn", "x-cube-ai": "cmsis_nn",
                     "plumerai": "cmsis_nn", "hale": "cmsis_nn", "microtvm": "cmsis_nn",
                     "microtvm-cmsis-nn": "cmsis_nn", "onnc": "cmsis_nn"}
KERNEL_PRIOR_CORE = "cortex-m4f"   # cores with no measured kernels use this one's ratios
KERNEL_PRIOR_FAMILIES = ("arm-m-dsp", "arm-m-base", "arm-m-main", "arm-m-helium")
_RATIO_CACHE = {}


def _shape_class(s):
    if s["op"] == "conv":
        one = (s["kh"] == 1 and s["kw"] == 1 and s["sh"] == 1 and s["sw"] == 1 and
               s["ph"] == 0 and s["pw"] == 0)
        return "conv_1x1" if one else "conv"
    return {"dwconv": "depthwise", "fc": "fc"}.get(s["op"])


def _shape_macs(s):
    if s["op"] == "fc":
        return s["n"] * s["c"] * (s["oc"] or s["c"])
    oc = s["c"] * s["ch_mult"] if s["op"] == "dwconv" else (s["oc"] or s["c"])
    taps = s["kh"] * s["kw"] * (s["c"] if s["op"] == "conv" else 1)
    return s["n"] * s["oh"] * s["ow"] * oc * taps


def kernel_ratios(runtime, core, family):
    """{"conv_1x1", "fc", "depthwise", "core", "impl"}: conv_1x1 / conv and
    fc / conv instructions per MAC, and depthwise / conv_1x1, of the open
    kernels whose structure the runtime's follows; None for runtimes and
    cores it does not apply to (accelerators, non-Arm cores)."""
    impl = KERNEL_PRIOR_IMPL.get(runtime)
    if impl is None or not (core.startswith("cortex-m") or family in KERNEL_PRIOR_FAMILIES):
        return None
    key = (impl, core)
    if key not in _RATIO_CACHE:
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel-cycles"))
        import features  # noqa: E402
        import fit_cpu  # noqa: E402
        ins = _RATIO_CACHE.get("ins") or fit_cpu.Instructions()
        _RATIO_CACHE["ins"] = ins
        rt = {"ref": "tflm", "cmsis_nn": "tflm-cmsis-nn"}[impl]
        # the release build's tables (build None), as TFLM's Makefile builds the kernels
        have = {c for (r, c, _, b) in ins.tables if r == rt and b is None}
        kc = core if core in have else KERNEL_PRIOR_CORE
        acc = defaultdict(lambda: [0.0, 0.0])
        for shapes in ins.layers.values():
            for s in shapes:
                k = _shape_class(s)
                if k is None:
                    continue
                path, fs = features.features(impl, s, kc)
                coef = ins.tables[(rt, kc, path, None)]
                acc[k][0] += sum(c * fs.get(f, 0) for f, c in coef.items())
                acc[k][1] += _shape_macs(s)
        ipm = {k: v[0] / v[1] for k, v in acc.items()}
        _RATIO_CACHE[key] = {"conv_1x1": ipm["conv_1x1"] / ipm["conv"], "fc": ipm["fc"] / ipm["conv"],
                             "depthwise": ipm["depthwise"] / ipm["conv_1x1"], "core": kc, "impl": impl}
    return _RATIO_CACHE[key]


def ratio_source(r):
    return ("%s's kernels on %s (instructions per MAC over every op shape of the shared models, "
            "tools/kernel-cycles: data/cost/kernels.json x results/grid.json)" % (
                {"ref": "TFLM's reference", "cmsis_nn": "CMSIS-NN"}[r["impl"]], r["core"]))


# ---- weights streamed from on-chip flash (issue #15)
# Generated-code runtimes (X-CUBE-AI, Plumerai, HALE, microTVM, ONNC, ...)
# keep the weights as constant arrays in on-chip flash and read each one per
# inference, and so do TFLM's interpreters (the model is a constant array in
# flash: MLPerf Tiny's TFLM firmwares, e.g. the EK-RA8D1's model.cc); every
# flash access stalls for the chip's wait states. The cost is physics, not a
# fit: weight bytes x wait states x flash clock divider / bytes per access
# (the flash read, or the data-cache line where the firmware runs with the
# data cache on), per chip from data/cost/flash.json (src/cost/cost_flash.c
# computes the same). The tables and the cycles per instruction
# (tools/kernel-cycles/fit_cpu.py) are fitted on what is left.
FLASH_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "cost", "flash.json")
FLASH_SOURCE = ("generated code reads each weight from on-chip flash once per inference: "
                "weight bytes x the chip's flash wait states per access (data/cost/flash.json) "
                "are added to the table's cycles, and the table is fitted on the rest (tools/calibrate.py)")
FLASH_SOURCE_INTERPRETER = (
    "TFLM reads each weight of the model, a constant array in on-chip flash, once per inference: "
    "weight bytes x the chip's flash wait states per access (data/cost/flash.json) are added to the "
    "kernel or table cycles, and the cycles per instruction (tools/kernel-cycles/fit_cpu.py) and the "
    "tables are fitted on the rest")
_FLASH = []


class Ops(list):
    """An op list ([(cost class, units)]) that knows its model's weight bytes."""
    weights_bytes = 0


def flash_chips():
    if not _FLASH:
        _FLASH.extend(json.load(open(FLASH_FILE))["chips"])
    return _FLASH


def flash_cycles_per_byte(mcu, clock):
    """Core cycles each weight byte costs from on-chip flash on chip mcu at
    clock MHz; 0 when data/cost/flash.json has no entry for it."""
    for c in flash_chips():
        if mcu and c["match"] in mcu:
            ws = max(0, math.ceil((c["wait_states"] + 1) * clock / c["clock_mhz"] - 1e-9) - 1)
            return ws * c["flash_clock_divider"] / c["access_bytes"]
    return 0.0


def flash_applies(runtime):
    """generated code and interpreters alike read the weights from on-chip
    flash; a chip without a data/cost/flash.json entry takes no term"""
    rt = runtime.partition("@")[0]
    return RUNTIMES[rt]["ovh"] in ("generated", "interpreter")


def flash_cycles(p):
    """The flash term of a calibration or validation point, in cycles: 0
    for runtimes it does not apply to, HALE's max-performance variant
    (weights copied to RAM) and proxies (no weight bytes known)."""
    if not flash_applies(p["runtime"]) or "max-performance" in p["runtime"]:
        return 0.0
    return getattr(p["ops"], "weights_bytes", 0) * flash_cycles_per_byte(p.get("board"), p["clock"])


def run_layers(tinyfit, model, dtype=None):
    cmd = [tinyfit, "layers", model, "--device", "nucleo_l4r5zi", "--runtime", "tflm", "--format", "json"]
    if dtype:
        cmd += ["--dtype", dtype]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    m = json.loads(out)["model"]
    ops = Ops()
    ops.weights_bytes = m["weights_bytes"]
    for l in m["layers"]:
        k = l.get("cost_class")
        if k is None:
            continue
        units = l["macs"] if k in MAC_KINDS else l["elem_ops"]
        ops.append((k, units))
    return ops


def table_costs(p, dw_ratio):
    """p = (conv, conv_1x1, fc) cycles/MAC -> all nine classes."""
    conv, c1, fc = p
    c = {"conv": conv, "conv_1x1": c1, "depthwise": c1 * dw_ratio, "fc": fc}
    for k, (f, _) in ELEM_PROFILE.items():
        c[k] = fc * f
    return c


def estimate_cycles(ops, costs, overhead):
    return sum(u * costs[k] + overhead for k, u in ops)


def solve3(a, b):
    # Gaussian elimination with partial pivoting, 3x3
    n = 3
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[piv] = m[piv], m[c]
        if abs(m[c][c]) < 1e-300:
            return [0.0] * n
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit(points, dw_ratio, overhead, lam=0.02, ratios=None):
    """points: [(ops, clock_mhz, measured_ms)]. Returns (conv, c1, fc).
    ratios: the priors' conv_1x1 / conv and fc / conv cycles per MAC
    (kernel_ratios()); None: both 1."""
    lr1, lrf = (math.log(ratios["conv_1x1"]), math.log(ratios["fc"])) if ratios else (0.0, 0.0)
    # start: every class at the mean cycles per MAC
    points = [p if len(p) == 4 else tuple(p) + (0.0,) for p in points]
    tot = [sum(u for k, u in ops) or 1 for ops, _, _, _ in points]
    c0 = sum(ms * clk * 1e3 / t for (ops, clk, ms, _), t in zip(points, tot)) / len(points)
    x = [math.log(max(c0, 1e-6))] * 3

    def resid(x):
        costs = table_costs([math.exp(v) for v in x], dw_ratio)
        r = []
        for ops, clk, ms, extra in points:
            est = (estimate_cycles(ops, costs, overhead) + extra) / (clk * 1e3)
            r.append(math.log(est / ms))
        s = math.sqrt(lam)
        r.append(s * (x[1] - x[0] - lr1))
        r.append(s * (x[2] - x[0] - lrf))
        return r

    mu = 1e-3
    for _ in range(200):
        r = resid(x)
        J = []
        for j in range(3):
            xp = x[:]
            xp[j] += 1e-6
            rp = resid(xp)
            J.append([(a - b) / 1e-6 for a, b in zip(rp, r)])
        JtJ = [[sum(J[i][k] * J[j][k] for k in range(len(r))) + (mu if i == j else 0) for j in range(3)]
               for i in range(3)]
        Jtr = [-sum(J[i][k] * r[k] for k in range(len(r))) for i in range(3)]
        dx = solve3(JtJ, Jtr)
        xn = [a + b for a, b in zip(x, dx)]
        if sum(v * v for v in resid(xn)) < sum(v * v for v in r):
            x = xn
            mu *= 0.3
            if max(abs(d) for d in dx) < 1e-10:
                break
        else:
            mu *= 10
    return [math.exp(v) for v in x]


def fmt(v):
    return float("%.4g" % v)


def load_inputs(tinyfit, shared, out):
    """The calibration map, the MLPerf rows and each benchmark's ops (int8, float32)."""
    cmap = json.load(open(os.path.join(out, "calibration-systems.json")))
    systems = {s["system"]: s for s in cmap["systems"]}
    rows = list(csv.DictReader(open(os.path.join(shared, CAL_CSV))))
    models = {}
    for b, f in cmap["models"].items():
        path = os.path.join(shared, "models", f)
        models[(b, "int8")] = run_layers(tinyfit, path)
        models[(b, "float32")] = run_layers(tinyfit, path, "float32")
    return cmap, systems, rows, models


def mlperf_points(rows, systems, models):
    """One point per calibration row: what build_tables() fits and the
    validation script holds out."""
    pts = []
    for i, r in enumerate(rows):
        s = systems[r["system_source"]]
        dtype = s.get("variant_dtypes", {}).get(r["model_variant"], s.get("dtype", "int8"))
        pts.append(dict(row=i + 2, source="mlperf", label=s["label"], variant=r["model_variant"],
                        bench=r["benchmark"], model=r["benchmark"], board=board_key(r["mcu"]),
                        runtime=s["runtime"], core=s["core"], family=s.get("family"),
                        clock=s["clock_mhz"], dtype=dtype, ms=float(r["latency_ms"]),
                        ops=models[(r["benchmark"], dtype)], system=s))
    for p in pts:
        p["flash"] = flash_cycles(p)
    return pts


def board_key(mcu):
    """The chip a point was measured on (STM32L4R5ZIT6 and STM32L4R5ZIT6P are one board)."""
    m = re.match(r"(STM32[A-Z0-9]{4})", mcu.upper().replace("STM32", "STM32") if mcu else "")
    if m:
        return m.group(1)
    if mcu.upper().startswith("U3C5"):
        return "STM32U3C5"
    return mcu


def build_tables(points):
    """Fit every table (runtime@version x core x dtype) on points and add the
    prior tables; returns {runtime: [table]}. Points are mlperf_points()."""
    groups = defaultdict(list)
    for p in points:
        rt, _, ver = p["runtime"].partition("@")
        groups[(rt, ver or None, p["core"], p["dtype"])].append(p)

    tables = defaultdict(list)   # runtime -> [table dict]
    for key in sorted(groups, key=lambda k: (k[0], k[1] or "", k[2], k[3])):
        rt, ver, core, dtype = key
        spec = RUNTIMES[rt]
        dwr = DW_RATIO[spec["dw"]]
        ovh, ovh_src = OVERHEAD[spec["ovh"]]
        pts = [(q["ops"], q["clock"], q["ms"], q.get("flash", 0.0)) for q in groups[key]]
        kr = kernel_ratios(rt, core, groups[key][0]["family"])
        if kr:
            dwr = kr["depthwise"]
        p = fit(pts, dwr, ovh, ratios=kr)
        benches = sorted({q["bench"] for q in groups[key]})
        labels = sorted({q["label"] for q in groups[key]})
        cal = "%s: %s (%d points: %s)" % (CAL_SOURCE, "; ".join(labels), len(pts), ", ".join(benches))
        costs = table_costs(p, dwr)
        src = {}
        for k in ("conv", "conv_1x1", "fc"):
            bench = {"conv": "ic", "conv_1x1": "kws", "fc": "ad"}[k]
            if bench in benches:
                src[k] = "fit (tools/calibrate.py) on " + cal
            else:
                src[k] = "no %s point for this table: set by the fit's prior (%s) from %s" % (
                    bench, "conv_1x1 = %.3g x conv, fc = %.3g x conv cycles per MAC as the instructions of %s" % (
                        kr["conv_1x1"], kr["fc"], ratio_source(kr)) if kr else "conv_1x1 ~ conv ~ fc", cal)
        src["depthwise"] = ("prior: %.3g x conv_1x1 as the instructions per MAC of %s" % (kr["depthwise"], ratio_source(kr))
                            if kr else DW_SOURCE[spec["dw"]])
        for k, (_, s_) in ELEM_PROFILE.items():
            src[k] = s_
        src["op_overhead_cycles"] = ovh_src
        fam = groups[key][0]["family"]
        t = OrderedDict()
        t["id"] = "%s%s/%s/%s" % (rt, "@" + ver if ver else "", core, dtype)
        t["cores"] = [core] + (["cortex-m4"] if core == "cortex-m4f" else [])
        if ver:
            t["version"] = ver
        t["dtype"] = dtype
        if dtype == "float32":
            t["requires_fpu"] = True
        t["basis"] = "calibrated: " + cal
        t["cycles_per_unit"] = OrderedDict((k, fmt(costs[k])) for k in KINDS)
        t["op_overhead_cycles"] = ovh
        t["sources"] = OrderedDict((k, src[k]) for k in KINDS + ["op_overhead_cycles"])
        t["_family"] = fam
        tables[rt].append(t)

    # current versions
    for rt, order in VERSION_ORDER.items():
        by_core = defaultdict(list)
        for t in tables[rt]:
            if t.get("version") in order:
                by_core[(t["cores"][0], t["dtype"])].append(t)
        for lst in by_core.values():
            newest = max(lst, key=lambda t: order.index(t["version"]))
            newest["current"] = True

    add_priors(tables)
    # family fallbacks: the first current table of a family stands in for its
    # other cores (every runtime).
    for rt, lst in tables.items():
        seen = set()
        for t in lst:
            fam = t.pop("_family", None)
            if fam and (t.get("current") or "version" not in t) and (fam, t["dtype"]) not in seen:
                t["families"] = [fam]
                seen.add((fam, t["dtype"]))
    return tables


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tinyfit", default="build/stage/bin/tinyfit")
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--out", default="data/cost")
    ap.add_argument("--doc", default="docs/latency-model.md")
    args = ap.parse_args()

    cmap, systems, rows, models = load_inputs(args.tinyfit, args.shared, args.out)
    tables = build_tables(mlperf_points(rows, systems, models))
    prior = attach_intervals(args, tables)

    for rt, spec in RUNTIMES.items():
        doc = OrderedDict()
        doc["$comment"] = ("Generated by tools/calibrate.py from %s and the priors and per-kernel "
                           "figures it quotes; do not edit by hand (docs/cost-format.md)." % CAL_SOURCE)
        doc["runtime"] = rt
        doc["name"] = spec["name"]
        if spec.get("float_runtime"):
            doc["float_runtime"] = spec["float_runtime"]
        doc["int16_factor"], doc["int16_source"] = INT16
        doc["soft_float_factor"], doc["soft_float_source"] = SOFT_FLOAT
        doc["prior_interval_pct"], doc["prior_interval_source"] = prior
        if rt in NOT_FOR:
            doc["not_for_families"] = NOT_FOR[rt]
        if spec["ovh"] == "generated":
            doc["flash_weights_source"] = FLASH_SOURCE
        elif flash_applies(rt):
            doc["flash_weights_source"] = FLASH_SOURCE_INTERPRETER
        doc["tables"] = tables[rt]
        with open(os.path.join(args.out, rt + ".json"), "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
    print("wrote %d runtime files, %d tables" % (len(RUNTIMES), sum(len(v) for v in tables.values())))
    report(args, rows, systems, models, tables)


# ---- uncertainty intervals from held-out residuals

INTERVAL_LEVEL = 0.8     # the share of held-out points an interval covers
INTERVAL_MIN_POINTS = 3  # fewer held-out points than this: pool over the runtime


def quantile_pct(res):
    """The INTERVAL_LEVEL quantile (nearest rank) of |ln(predicted/measured)|
    as a symmetric percentage: the interval is [est / (1+p), est x (1+p)]."""
    a = sorted(res)
    q = a[max(0, math.ceil(INTERVAL_LEVEL * len(a)) - 1)]
    return int(math.ceil((math.exp(q) - 1) * 100))


def proxy_note(n_proxy, n):
    """Say when held-out points are proxies (a model known only by its
    published MACs, costed as person_detect's op mix scaled to them): they
    test how latency scales with MACs, not an unseen model's op mix."""
    if not n_proxy:
        return ""
    return ("; %s of the %d points are proxies (published MACs x person_detect's op mix), "
            "so the interval is less sure than its width says" % (
                "all" if n_proxy == n else str(n_proxy), n))


def attach_intervals(args, tables):
    """Give every table interval_pct/interval_source from the
    leave-one-model-out residuals of the points it predicted
    (tools/validate_latency.py); returns the runtime files' prior interval
    (pct, source) for tables no held-out point supports."""
    import validate_latency as val
    import fit_cpu
    pts = val.all_points(args.tinyfit, args.shared, args.out)
    lomo = val.held_out(pts, "fold", {"cache": {}, "points": pts})
    by_table, by_rt, prior_res, all_res = defaultdict(list), defaultdict(list), [], []
    proxies = defaultdict(int)  # per table: points whose model is a proxy
    kernel_real_res = []        # kernel-model residuals on real (non-proxy) models
    kernel_tables = set()
    by_kernel = defaultdict(int)  # per table: points the kernel model predicted
    for p in pts:
        ms, tid = lomo[p["id"]]
        if ms is None:
            continue
        r = abs(math.log(ms / p["ms"]))
        all_res.append(r)
        by_kernel_model = tid.startswith("kernels/")
        if by_kernel_model and tid.split(" ")[0].count("/") > 2 and not p.get("proxy"):
            # a build's kernel model ("kernels/tflm/riscv32/esp-idf", the
            # ESP32-C3's TFLM as ESP-IDF builds it): the table the estimate
            # names costs only its other ops, and other chips' estimates
            # use it alone, so the point is not one of that table's
            kernel_real_res.append(r)
            continue
        if by_kernel_model:
            # the kernel model (docs/kernel-cost.md) costs this runtime x
            # core; its residuals belong to the table the estimate names
            t = lookup(tables, p["runtime"], p["core"], p["family"], p["dtype"])
            if t is None:
                continue
            tid = t["id"]
            kernel_tables.add(tid)
            by_kernel[tid] += 1
        by_table[tid].append(r)
        if p.get("proxy"):
            proxies[tid] += 1
        elif by_kernel_model and p["runtime"].partition("@")[0] not in fit_cpu.TABLE_RUNTIME:
            # TFLM's own kernel model only: microTVM's CPI is of other code
            kernel_real_res.append(r)
        by_rt[tid.split("/")[0].partition("@")[0]].append(r)
    basis = {t["id"]: t["basis"] for lst in tables.values() for t in lst}
    for tid, res in by_table.items():
        if basis.get(tid, "").startswith("prior"):
            prior_res += res
    level = int(INTERVAL_LEVEL * 100)
    pp, pa = quantile_pct(prior_res), quantile_pct(all_res)
    prior = (max(pp, pa),
             "prior: no held-out measurement supports this table, so the wider of: how far prior "
             "(uncalibrated) tables were off on the %d points they predicted (%d%% within +-%d%%) and "
             "how far every table was off with each model left out (%d points, %d%% within +-%d%%; "
             "tools/validate_latency.py)" % (len(prior_res), level, pp, len(all_res), level, pa))
    for rt, lst in tables.items():
        for t in lst:
            res = by_table.get(t["id"], [])
            if (len(res) >= INTERVAL_MIN_POINTS and t["id"] in kernel_tables and
                    proxies.get(t["id"], 0) == len(res) and kernel_real_res):
                # only proxies: they cannot tell how far off an unseen op mix
                # is, so the interval is at least what the kernel model did
                # on real models left out (issue #15)
                own, real = quantile_pct(res), quantile_pct(kernel_real_res)
                t["interval_pct"] = max(own, real)
                t["interval_source"] = (
                    "held-out: the kernel model (instructions x CPI refitted per fold) put %d%% of "
                    "this table's %d points within +-%d%% with each model left out, but all of them "
                    "are proxies (published MACs x person_detect's op mix), so the interval is the "
                    "wider of that and the kernel model's on the %d real models left out on other "
                    "cores (%d%% within +-%d%%; tools/validate_latency.py)" % (
                        level, len(res), own, len(kernel_real_res), level, real))
            elif len(res) >= INTERVAL_MIN_POINTS:
                nk = by_kernel.get(t["id"], 0)
                who = ("the kernel model (instructions x CPI refitted per fold)" if nk == len(res) else
                       "this table" if nk == 0 else
                       "this table (%d) and the kernel model (%d: instructions x CPI, a chip whose "
                       "build the kernel model covers)" % (len(res) - nk, nk))
                t["interval_pct"] = quantile_pct(res)
                t["interval_source"] = ("held-out: %d%% of the %d points %s predicted with "
                                        "each model left out of the fit were within it "
                                        "(tools/validate_latency.py)%s" % (
                                            level, len(res), who,
                                            proxy_note(proxies.get(t["id"], 0), len(res))))
            elif len(by_rt.get(rt, [])) >= INTERVAL_MIN_POINTS and not t["basis"].startswith("prior"):
                res = by_rt[rt]
                t["interval_pct"] = quantile_pct(res)
                t["interval_source"] = ("held-out, pooled: fewer than %d held-out points for this table, so "
                                        "%d%% of the %d points of every %s table with each model left "
                                        "out (tools/validate_latency.py)" % (INTERVAL_MIN_POINTS, level,
                                                                             len(res), rt))
    return prior


# ---- error report and docs (the unit test recomputes the same numbers in C)

def lookup(tables, runtime, core, family, dtype):
    rt, _, ver = runtime.partition("@")
    if dtype == "float32" and RUNTIMES[rt].get("float_runtime"):
        rt, ver = RUNTIMES[rt]["float_runtime"], ""
    def ok(t):
        if t["dtype"] != dtype:
            return False
        if ver:
            return t.get("version") == ver
        return t.get("current") or "version" not in t
    for t in tables[rt]:
        if ok(t) and core in t["cores"]:
            return t
    for t in tables[rt]:
        if ok(t) and family in t.get("families", []):
            return t
    return None


def est_ms(tables, ops, runtime, core, family, dtype, clock, extra=0.0):
    t = lookup(tables, runtime, core, family, dtype)
    if t is None:
        return None, None
    cyc = extra + sum(u * t["cycles_per_unit"][k] + t["op_overhead_cycles"] for k, u in ops)
    return cyc / (clock * 1e3), t["id"]


# Validation: whole-model rows of latency-extra.csv that name a runtime tinyfit
# has tables for. Models: person_detect.tflite exactly; MCUNet/ProxylessNAS/
# MobileNet rows with published MACs only, estimated with person_detect's op mix
# scaled to their MACs (a proxy, flagged).
VALIDATION_TARGETS = [
    # (board match, core id, family, clock, runtime by latency-extra runtime prefix)
    ("ESP32-S3", "xtensa-lx7", "xtensa", 240),
    ("ESP32 (", "xtensa-lx6", "xtensa", 240),
    ("ESP32-C3", "riscv32", "riscv", 160),
    ("ESP32-P4", "riscv32-pie", "riscv", 360),
    ("STM32H743", "cortex-m7", "arm-m-dsp", 480),
    ("STM32F746G", "cortex-m7", "arm-m-dsp", 216),
    ("Arduino Nano 33", "cortex-m4f", "arm-m-dsp", 64),
]


def val_runtime(rt_text, board):
    t = rt_text.lower()
    if t.startswith("tflm-reference"):
        return "tflm"
    if t.startswith("tflm-esp-nn"):
        return "tflm-esp-nn"
    if t.startswith("tflm-cmsis-nn") or t.startswith("cmsis-nn"):
        return "tflm-cmsis-nn"
    if t.startswith("x-cube-ai v7.3"):
        return "x-cube-ai@7.3"
    if t.startswith("x-cube-ai v7.1"):
        return "x-cube-ai@7.1"
    return None


def report(args, rows, systems, models, tables):
    lines = []
    errs = []
    lines.append("| # | system | benchmark | runtime | table | measured ms | estimate ms | error |")
    lines.append("|---|---|---|---|---|---:|---:|---:|")
    for i, r in enumerate(rows):
        s = systems[r["system_source"]]
        dtype = s.get("variant_dtypes", {}).get(r["model_variant"], s.get("dtype", "int8"))
        ops = models[(r["benchmark"], dtype)]
        fl = flash_cycles(dict(runtime=s["runtime"], ops=ops, board=board_key(r["mcu"]), clock=s["clock_mhz"]))
        e, tid = est_ms(tables, ops, s["runtime"], s["core"], s.get("family"), dtype, s["clock_mhz"], fl)
        m = float(r["latency_ms"])
        err = (e - m) / m
        errs.append(abs(err))
        lines.append("| %d | %s%s | %s | %s | %s | %.3f | %.3f | %+.1f%% |" % (
            i + 2, s["label"], " (%s)" % r["model_variant"] if r["model_variant"] else "", r["benchmark"],
            s["runtime"], tid, m, e, err * 100))
    errs_sorted = sorted(errs)
    n = len(errs_sorted)
    med = (errs_sorted[n // 2] + errs_sorted[(n - 1) // 2]) / 2
    summary = "%d calibration points: median absolute error %.1f%%, largest %.1f%%, %d above 15%%." % (
        n, med * 100, max(errs) * 100, sum(1 for e in errs if e > 0.15))
    print(summary)

    # validation
    extra = list(csv.DictReader(open(os.path.join(args.shared, "reference/latency-extra.csv"))))
    pd = run_layers(args.tinyfit, os.path.join(args.shared, "models/person_detect.tflite"))
    pd_macs = sum(u for k, u in pd if k in MAC_KINDS)
    vl = ["| # | board | runtime | model | measured ms | estimate ms | error | note |",
          "|---|---|---|---|---:|---:|---:|---|"]
    verrs = []
    for i, r in enumerate(extra):
        if r["source_kind"] != "whole_model" or not r["latency_ms"]:
            continue
        tgt = next((t for t in VALIDATION_TARGETS if r["board"].startswith(t[0])), None)
        rt = val_runtime(r["runtime"], r["board"]) if tgt else None
        if not tgt or not rt:
            continue
        if "person_detect" in r["model"]:
            ops, note = pd, "person_detect.tflite"
        elif r["macs"]:
            f = float(r["macs"]) / pd_macs
            ops, note = [(k, u * f) for k, u in pd], "proxy: person_detect op mix x %.2f (published MACs)" % f
        else:
            continue
        if "LOW TRUST" in r["notes"] or "low trust" in r["notes"].lower() or "Arduino" in r["board"]:
            note += "; low trust"
        if "TF-Lite Micro v2.1.0" in r["runtime"]:
            continue  # unknown kernels (see latency-extra.md 4)
        fl = flash_cycles(dict(runtime=rt, ops=ops, board=board_key(r["mcu"]), clock=tgt[3]))
        e, tid = est_ms(tables, ops, rt, tgt[1], tgt[2], "int8", tgt[3], fl)
        if e is None:
            continue
        m = float(r["latency_ms"])
        err = (e - m) / m
        verrs.append(abs(err))
        vl.append("| %d | %s @ %g MHz | %s | %s | %.1f | %.1f | %+.0f%% | %s |" % (
            i + 2, r["board"][:40], tgt[3], rt, r["model"][:48], m, e, err * 100, note))
    vs = sorted(verrs)
    vmed = (vs[len(vs) // 2] + vs[(len(vs) - 1) // 2]) / 2 if vs else 0
    vsummary = "%d validation points: median absolute error %.0f%%, largest %.0f%%." % (
        len(vs), vmed * 100, max(vs) * 100 if vs else 0)
    print(vsummary)

    text = open(args.doc).read() if os.path.exists(args.doc) else ""
    begin, end = "<!-- calibration:begin -->", "<!-- calibration:end -->"
    body = "\n".join([begin, "", "Generated by `tools/calibrate.py`; `tests/unit/test_cost_calibration.c` recomputes the calibration errors from the data files.", "",
                      "### Calibration points", "", summary, ""] + lines +
                     ["", "### Validation points (not used by the fit)", "", vsummary, ""] + vl + ["", end])
    if begin in text and end in text:
        text = text[:text.index(begin)] + body + text[text.index(end) + len(end):]
    else:
        text = text + "\n" + body + "\n"
    with open(args.doc, "w") as f:
        f.write(text)


def derived(base, factor, fsrc, tid, cores, fam, dtype, basis_extra, requires_fpu=False):
    if base is None:
        return None
    t = OrderedDict()
    t["id"] = tid
    t["cores"] = cores
    t["dtype"] = dtype
    if requires_fpu:
        t["requires_fpu"] = True
    t["basis"] = "prior: %s x %g (%s)%s" % (base["id"], factor, fsrc, basis_extra)
    t["cycles_per_unit"] = OrderedDict((k, fmt(v * factor)) for k, v in base["cycles_per_unit"].items())
    t["op_overhead_cycles"] = base["op_overhead_cycles"]
    t["sources"] = OrderedDict((k, "%s x %g: %s" % (base["id"], factor, fsrc)) for k in KINDS)
    t["sources"]["op_overhead_cycles"] = base["sources"]["op_overhead_cycles"]
    t["_family"] = fam
    return t


def per_kernel_table(tid, cores, fam, costs, src, ovh):
    t = OrderedDict()
    t["id"] = tid
    t["cores"] = cores
    t["dtype"] = "int8"
    t["basis"] = "calibrated: per-kernel cycle counts of " + src
    full = {"conv": costs["conv"], "conv_1x1": costs["conv_1x1"], "depthwise": costs["depthwise"], "fc": costs["fc"]}
    for k, (f, _) in ELEM_PROFILE.items():
        full[k] = costs["fc"] * f
    t["cycles_per_unit"] = OrderedDict((k, fmt(full[k])) for k in KINDS)
    t["op_overhead_cycles"] = ovh[0]
    t["sources"] = OrderedDict()
    for k in KINDS:
        t["sources"][k] = ("%s: %s" % (src, {"conv": "conv2d 10x10x3 filter 64x3x3x3", "conv_1x1": "conv2d 10x10x64 filter 64x1x1x64",
                                             "depthwise": "depthwise 18x18x16 3x3 ch_mult 1, the path of 78% of the shared models' depthwise MACs (the 5x5 ch_mult 8 row is the other)",
                                             "fc": "fully_connected 271x3"}[k])
                           if k in costs else ELEM_PROFILE[k][1])
    t["sources"]["op_overhead_cycles"] = ovh[1]
    t["_family"] = fam
    return t


def find(tables, rt, core, dtype="int8"):
    """The current table of rt on core; None when the points fitted have none
    (a validation fold that held it out)."""
    for t in tables[rt]:
        if core in t["cores"] and t["dtype"] == dtype and (t.get("current") or "version" not in t):
            return t
    return None


def put(tables, rt, t):
    if t is not None:
        tables[rt].append(t)


def ref_over_espnn():
    """(cycle ratio, source) of TFLM's reference kernels built as ESP-IDF does
    (tools/kernel-cycles/results/riscv32-asserts.json) to ESP-NN's generic
    kernels (results/riscv32.json) over person_detect's layers, in the ESP32-C3
    pipeline model (cycles_rv32.py); (None, None) without the results."""
    kc = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel-cycles")
    res = os.path.join(kc, "results")
    try:
        grid = json.load(open(os.path.join(res, "grid.json")))
        ref = {p["id"]: p for p in json.load(open(os.path.join(res, "riscv32-asserts.json")))["points"]}
        esp = {p["id"]: p for p in json.load(open(os.path.join(res, "riscv32.json")))["points"]}
    except OSError:
        return None, None
    sys.path.insert(0, kc)
    import cycles_rv32
    ids = [g["id"] for g in grid for s in g["sources"] if s.split("#")[0] == "person_detect.tflite"]
    if not all(i in ref and i in esp for i in ids):
        return None, None
    r = sum(cycles_rv32.cycles(ref[i]["ref_classes"]) for i in ids) / \
        sum(cycles_rv32.cycles(esp[i]["esp_nn_classes"]) for i in ids)
    ins = sum(ref[i]["ref"] for i in ids) / sum(esp[i]["esp_nn"] for i in ids)
    return round(r, 2), ("TFLM's reference kernels as ESP-IDF builds them (no NDEBUG) over ESP-NN's generic "
                         "kernels, person_detect, measured on RV32IMC (tools/kernel-cycles/results/riscv32*.json: "
                         "%.2fx the cycles of the ESP32-C3 pipeline model, %.2fx the instructions); a proxy "
                         "for the LX6, whose ESP-NN runs at the LX7 ANSI C rates" % (r, ins))


def add_priors(tables):
    """Tables for the four runtimes device profiles name, on the cores no
    calibration point covers: scaled from a calibrated table by a core factor."""
    f = CORE_FACTOR_SRC
    ovh = OVERHEAD["interpreter"]
    # tflm reference kernels: calibrated on RV32 (PCL Scepu02); ESP-NN's ANSI C
    # kernels (plain C like TFLM's reference kernels) give the LX7 table.
    rv = find(tables, "tflm", "riscv32")
    if rv:
        rv["_family"] = "riscv"
    lx7 = per_kernel_table("tflm/xtensa-lx7/int8", ["xtensa-lx7"], "xtensa", ESPNN_S3_ANSI,
                           ESPNN_SRC + " (ESP32-S3, ANSI C reference kernels)", ovh)
    put(tables, "tflm", lx7)
    # The ESP32 (LX6) is not priced with the LX7's ESP-NN ANSI C rates: TFLM's
    # reference kernels as ESP-IDF builds them (no NDEBUG: TFLITE_DCHECKs in
    # every Offset()) run REF_OVER_ESPNN times the cycles of ESP-NN's generic
    # kernels, measured on RV32IMC (tools/kernel-cycles, person_detect, the
    # ESP32-C3 pipeline model); the ESP32's ESP-NN runs at the LX7 ANSI C rates
    # (tflm-esp-nn/xtensa-lx6 below, +0% on its published point). A proxy: the
    # ratio is RISC-V code's, not Xtensa's, so the table stays a prior.
    ratio, why = ref_over_espnn()
    if ratio:
        put(tables, "tflm", derived(lx7, ratio, why, "tflm/xtensa-lx6/int8", ["xtensa-lx6"], "xtensa",
                                    "int8", ""))
    m4 = derived(rv, 1.0, f["same"][1] + " as RV32IMAC (both single-issue 32-bit cores with a 1-cycle multiplier)",
                 "tflm/cortex-m4f/int8", ["cortex-m4f", "cortex-m4", "cortex-m33", "arc-em", "rxv2"], "arm-m-dsp", "int8", "")
    put(tables, "tflm", m4)
    put(tables, "tflm", derived(rv, f["cortex-m7"][0], f["cortex-m7"][1], "tflm/cortex-m7/int8", ["cortex-m7"], None, "int8", ""))
    put(tables, "tflm", derived(rv, f["cortex-m0plus"][0], f["cortex-m0plus"][1], "tflm/cortex-m0plus/int8", ["cortex-m0plus", "avr"], "arm-m-base", "int8", ""))
    put(tables, "tflm", derived(rv, f["cortex-m3"][0], f["cortex-m3"][1], "tflm/cortex-m3/int8", ["cortex-m3"], "arm-m-main", "int8", ""))
    put(tables, "tflm", derived(rv, 0.8, "prior: Armv8.1-M cores run scalar C a little faster than an M4", "tflm/cortex-m55/int8", ["cortex-m55", "cortex-m85"], "arm-m-helium", "int8", ""))
    # no tflm table for Cortex-A: Linux boards do not run TFLM's reference
    # kernels (NOT_FOR below says why and what to use instead)
    # float32 reference kernels: same loop nest as int8 without the offsets
    # and requantisation; with an FPU (prior 1.0 x int8)
    for t in list(tables["tflm"]):
        if t["dtype"] == "int8" and "version" not in t:
            if t["id"] == "tflm/xtensa-lx6/int8":
                continue    # the LX6 ratio was measured on int8 kernels: float32 keeps the LX7 prior
            ft = derived(t, 1.0, "prior: TFLM's float reference kernels run the same loops as the int8 ones (an FPU multiply-add per MAC instead of an integer one plus offsets)",
                         t["id"].replace("/int8", "/float32"), list(t["cores"]), t.get("_family"), "float32", "", requires_fpu=True)
            if t["id"] == "tflm/xtensa-lx7/int8":
                ft["cores"].append("xtensa-lx6")
            put(tables, "tflm", ft)
    # tflm-cmsis-nn: calibrated on M4F, M33, RXv2, M85
    cm4 = find(tables, "tflm-cmsis-nn", "cortex-m4f")
    put(tables, "tflm-cmsis-nn", derived(cm4, f["cortex-m7"][0], f["cortex-m7"][1], "tflm-cmsis-nn/cortex-m7/int8", ["cortex-m7"], None, "int8", ""))
    put(tables, "tflm-cmsis-nn", derived(cm4, f["cortex-m0plus"][0], f["cortex-m0plus"][1] + "; CMSIS-NN's portable C path on Armv6-M", "tflm-cmsis-nn/cortex-m0plus/int8", ["cortex-m0plus"], "arm-m-base", "int8", ""))
    put(tables, "tflm-cmsis-nn", derived(cm4, f["cortex-m3"][0], f["cortex-m3"][1], "tflm-cmsis-nn/cortex-m3/int8", ["cortex-m3"], "arm-m-main", "int8", ""))
    m85 = find(tables, "tflm-cmsis-nn", "cortex-m85")
    put(tables, "tflm-cmsis-nn", derived(m85, f["cortex-m55"][0], f["cortex-m55"][1], "tflm-cmsis-nn/cortex-m55/int8", ["cortex-m55"], None, "int8", ""))
    # tflm-esp-nn: ESP-NN per-kernel tables (S3 SIMD, P4 PIE). The ESP32 (LX6)
    # and ESP32-C3 have no SIMD path: espressif/esp-nn @d45b843c include/esp_nn.h
    # selects esp_nn_generic_opt.h for them, which maps fully connected, pooling,
    # add, mul and activations to the ANSI C kernels and conv / depthwise to
    # src/convolution/esp_nn_{conv,depthwise_conv}_opt.c: the ANSI C loop nest
    # with the input-channel loop unrolled by 4 in C, the same scalar
    # load-offset-multiply-add per MAC. So their cycles per MAC are the ANSI C
    # kernels' (measured on the S3, whose LX7 runs scalar Xtensa code like the
    # LX6 and has zero-overhead loops, so the unroll saves no loop overhead).
    # The C3 (RV32IMC, no hardware loops) gains something from the unroll that
    # no measurement in ../shared gives: same cycles is the prior.
    put(tables, "tflm-esp-nn", per_kernel_table("tflm-esp-nn/xtensa-lx7/int8", ["xtensa-lx7"], "xtensa", ESPNN_S3_OPT,
                                                  ESPNN_SRC + " (ESP32-S3, optimised SIMD kernels)", ovh))
    put(tables, "tflm-esp-nn", per_kernel_table("tflm-esp-nn/riscv32-pie/int8", ["riscv32-pie"], None, ESPNN_P4_OPT,
                                                  ESPNN_SRC + " (ESP32-P4, PIE SIMD kernels)", ovh))
    generic = ("ESP-NN on the ESP32 and ESP32-C3 runs its generic C kernels (espressif/esp-nn @d45b843c "
               "include/esp_nn_generic_opt.h: ANSI C, conv and depthwise with the channel loop unrolled by 4), "
               "so the ANSI C kernels' cycles per MAC measured on the ESP32-S3")
    lx6 = derived(lx7, 1.0, generic + " (LX6: the same scalar Xtensa pipeline with zero-overhead loops)",
                  "tflm-esp-nn/xtensa-lx6/int8", ["xtensa-lx6"], None, "int8", "")
    put(tables, "tflm-esp-nn", lx6)
    put(tables, "tflm-esp-nn", derived(lx7, 1.0, generic + " (RV32IMC: no measurement of these kernels on RISC-V; "
                                       "without hardware loops the unroll saves some loop overhead the prior leaves out)",
                                       "tflm-esp-nn/riscv32/int8", ["riscv32"], "riscv", "int8", ""))
    # x-cube-ai: calibrated M4F, M7, M33; M0+ and M55 by core factor
    xm4 = find(tables, "x-cube-ai", "cortex-m4f")
    put(tables, "x-cube-ai", derived(xm4, f["cortex-m0plus"][0], f["cortex-m0plus"][1], "x-cube-ai/cortex-m0plus/int8", ["cortex-m0plus"], "arm-m-base", "int8", ""))
    put(tables, "x-cube-ai", derived(xm4, f["cortex-m3"][0], f["cortex-m3"][1], "x-cube-ai/cortex-m3/int8", ["cortex-m3"], "arm-m-main", "int8", ""))
    xm7 = find(tables, "x-cube-ai", "cortex-m7")
    put(tables, "x-cube-ai", derived(xm7, 0.8, "prior: Helium doubles the M7's DSP-extension SIMD width but the M55 is single-issue", "x-cube-ai/cortex-m55/int8", ["cortex-m55", "cortex-m85"], "arm-m-helium", "int8", ""))
    # x-cube-ai float32 on cores with FPU: no float calibration; HALE measured
    # float32 at 2.0-2.7x its int8 cycles on M7 (MLPerf Tiny v1.2 ic, ad)
    for t in list(tables["x-cube-ai"]):
        if t["dtype"] == "int8" and (t.get("current") or "version" not in t):
            put(tables, "x-cube-ai", derived(t, 2.5, "Bosch HALE float32 vs int8 on NUCLEO-H7A3ZI (MLPerf Tiny v1.2): 2.7x (ic), 3.9x (ad, weights-bound); generated float code is 2-3x the int8 cycles",
                                               t["id"].replace("/int8", "/float32"), list(t["cores"]), t.get("_family"), "float32", "", requires_fpu=True))


if __name__ == "__main__":
    main()
