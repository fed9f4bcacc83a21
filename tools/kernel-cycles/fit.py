#!/usr/bin/env python3
"""fit.py - fit the kernel instruction-count model on the recorded counts.

usage: fit.py [--results DIR] [--out data/cost/kernel-instructions.json] [--report]

For every runtime (CMSIS-NN, TFLM reference; ESP-NN on riscv32) x core x code path
(features.py), and for the builds of BUILD_RUNS (TFLM's reference kernels as
ESP-IDF builds them, results/riscv32-asserts.json), it fits count = sum(coef[f] * feature[f]) with non-negative
coefficients, by least squares on the relative error (every shape weighs
the same, whatever its size), then a few rounds of reweighting towards the
worst shapes. Writes the coefficients and each group's worst and median
error on the recorded points. Python 3 standard library only."""
import argparse
import json
import os
import sys
from collections import OrderedDict, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import features as F  # noqa: E402
import jobs  # noqa: E402

RUNTIMES = (('cmsis_nn', 'tflm-cmsis-nn'), ('ref', 'tflm'))
CORES = ('cortex-m0plus', 'cortex-m4f', 'cortex-m7', 'cortex-m33', 'cortex-m55', 'riscv32')
# Cores that execute another measured core's code: the Cortex-M85 runs the
# Cortex-M55 build's Armv8.1-M + MVE instructions (Debian's gcc 12.2 has no
# -mcpu=cortex-m85; TFLM's cortex-m85 target differs from cortex-m55 in the
# -mcpu only, cortex_m_generic_makefile.inc), so its tables are the M55's.
SAME_CODE = {'cortex-m55': ('cortex-m85',)}
# riscv32 (RV32IMC, measure_rv32.py): ESP-NN's generic kernels and TFLM's
# reference kernels
RUNTIMES_OF = {'riscv32': (('esp_nn', 'tflm-esp-nn'), ('ref', 'tflm'))}

# Builds other than TFLM's release build (-O2 -DNDEBUG, the tables without a
# "build"): the chips whose SDK builds TFLM that way ("match": part of a
# board's mcu) and where the flags come from (kernel_cost.h; kernels.json
# "builds"). A table or cpu of a build is used for those chips only.
BUILDS = [OrderedDict([
    ('id', 'esp-idf'),
    ('match', 'ESP32'),
    ('summary', "ESP-IDF (esp-tflite-micro: -O3, assertions on)"),
    ('source', "espressif/esp-tflite-micro@7b68078:components/tflite-lib/CMakeLists.txt (the "
               "commit of the README's performance table) and @99f49e1:CMakeLists.txt: the "
               "component's C and C++ sources, TFLM's reference kernels included, are compiled "
               "with -O3 and without -DNDEBUG; espressif/esp-idf tools/cmake/build.cmake adds "
               "-DNDEBUG only with CONFIG_COMPILER_OPTIMIZATION_ASSERTIONS_DISABLE, which is "
               "not the default, so TFLM's TFLITE_DCHECKs stay in")])]
# Recorded runs of a build: results file -> (core, build id, ((key, runtime), ...))
BUILD_RUNS = OrderedDict([
    ('riscv32-asserts.json', ('riscv32', 'esp-idf', (('ref', 'tflm'),))),  # measure_rv32.py --esp-idf
])


def solve(a, b):
    """least squares a x = b by normal equations with a tiny ridge"""
    k = len(a[0])
    m = [[sum(r[i] * r[j] for r in a) for j in range(k)] for i in range(k)]
    v = [sum(r[i] * y for r, y in zip(a, b)) for i in range(k)]
    for i in range(k):
        m[i][i] += 1e-12 * (m[i][i] or 1)
    for i in range(k):                       # Gauss-Jordan, partial pivoting
        piv = max(range(i, k), key=lambda r: abs(m[r][i]))
        m[i], m[piv] = m[piv], m[i]
        v[i], v[piv] = v[piv], v[i]
        d = m[i][i]
        if abs(d) < 1e-300:
            continue
        for r in range(k):
            if r != i and m[r][i]:
                q = m[r][i] / d
                m[r] = [x - q * y for x, y in zip(m[r], m[i])]
                v[r] -= q * v[i]
    return [v[i] / m[i][i] if abs(m[i][i]) > 1e-300 else 0.0 for i in range(k)]


def fit_group(rows):
    """rows: [(features dict, count)] -> {feature: coef} (non-negative)"""
    names = sorted({f for fs, _ in rows for f, v in fs.items() if v})
    weights = [1.0] * len(rows)
    coef = {}
    for _ in range(8):                        # reweight towards the worst points
        active = list(names)
        while True:
            scale = [max(abs(fs.get(f, 0)) / y for fs, y in rows) or 1 for f in active]
            a = [[fs.get(f, 0) / y / sc * w for f, sc in zip(active, scale)]
                 for (fs, y), w in zip(rows, weights)]
            x = solve(a, list(weights))
            x = [xi / sc for xi, sc in zip(x, scale)]
            neg = [i for i, xi in enumerate(x) if xi < 0]
            if not neg:
                break
            del active[min(neg, key=lambda i: x[i] * scale[i])]
        coef = dict(zip(active, x))
        errs = [abs(pred(coef, fs) - y) / y for fs, y in rows]
        worst = max(errs)
        if worst < 0.01:
            break
        weights = [w * (1 + 4 * e / worst) for w, e in zip(weights, errs)]
    return coef


def pred(coef, fs):
    return sum(c * fs.get(f, 0) for f, c in coef.items())


def load(results):
    """grid, [(core, build or None, runtimes, results doc)]"""
    grid = {g['id']: jobs.complete(g) for g in json.load(open(os.path.join(results, 'grid.json')))}
    data = []
    for core in CORES:
        path = os.path.join(results, core + '.json')
        if os.path.exists(path):
            data.append((core, None, RUNTIMES_OF.get(core, RUNTIMES), json.load(open(path))))
    for name, (core, build, runtimes) in BUILD_RUNS.items():
        path = os.path.join(results, name)
        if os.path.exists(path):
            data.append((core, build, runtimes, json.load(open(path))))
    return grid, data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--results', default=os.path.join(HERE, 'results'))
    ap.add_argument('--out')
    a = ap.parse_args()
    grid, data = load(a.results)
    tables, report = [], []
    for core, build, runtimes, doc in data:
        for impl, runtime in runtimes:
            groups = defaultdict(list)
            for pt in doc['points']:
                s = grid[pt['id']]
                p, fs = F.features(impl, s, core)
                groups[p].append((fs, pt[impl], pt['id']))
            for p in sorted(groups):
                rows = [(fs, y) for fs, y, _ in groups[p]]
                coef = fit_group(rows)
                errs = sorted(abs(pred(coef, fs) - y) / y for fs, y in rows)
                worst_id = max(groups[p], key=lambda r: abs(pred(coef, r[0]) - r[1]) / r[1])[2]
                for c in (core,) + SAME_CODE.get(core, ()):
                    tables.append(OrderedDict(
                        [('runtime', runtime), ('core', c)] +
                        ([('build', build)] if build else []) +
                        [('path', p), ('points', len(rows)),
                         ('max_error', round(errs[-1], 4)),
                         ('median_error', round(errs[len(errs) // 2], 4)),
                         ('coef', OrderedDict((k, round(v, 6)) for k, v in sorted(coef.items())))]))
                report.append('%-14s %-21s %-15s %4d points  median %5.2f%%  worst %5.2f%% (grid %d)'
                              % (runtime, core + ('/' + build if build else ''), p, len(rows),
                                 100 * errs[len(errs) // 2],
                                 100 * errs[-1], worst_id))
    print('\n'.join(report), file=sys.stderr)
    if a.out:
        cpus = []
        if os.path.exists(a.out):     # keep the cycles per instruction fit_cpu.py wrote
            cpus = json.load(open(a.out), object_pairs_hook=OrderedDict).get('cpus', [])
        doc = OrderedDict([
            ('source', 'tools/kernel-cycles/fit.py on tools/kernel-cycles/results (instructions '
                       'executed per kernel invocation, counted on Unicorn)'),
            ('tables', tables), ('cpus', cpus), ('builds', BUILDS)])
        with open(a.out, 'w') as f:
            json.dump(doc, f, indent=1)
            f.write('\n')


if __name__ == '__main__':
    main()
