#!/usr/bin/env python3
"""cycles_rv32.py - from the instruction classes measure_rv32.py recorded to
ESP32-C3 cycles, and the cycles per instruction data/cost/kernels.json ships
for riscv32 (tflm-esp-nn and tflm).

usage: cycles_rv32.py [--results results/riscv32.json] [--report]

The ESP32-C3's CPU (ESP32-C3 Technical Reference Manual v1.2, chapter 1
"ESP-RISC-V CPU"): RV32IMC, a 4-stage, in-order, scalar (single-issue)
pipeline, with zero wait cycles to on-chip SRAM and to the cache for
program and data. Every instruction issues in one cycle; what the pipeline
adds is charged per event below (PENALTY). The TRM gives the pipeline's
shape, not per-instruction latencies: the penalties are the usual ones of
such a pipeline and are stated as assumptions, each with how far the
result moves if it is off (--report prints the sensitivity).

Not modelled: flash cache misses (ESP-IDF runs code and reads the model's
weights from external SPI flash through a 16 KB cache, ESP32-C3 datasheet
3.1.5: a miss stalls the core for the SPI transfer), interrupts (Wi-Fi off
in Espressif's benchmark), and whether the arena was in internal RAM (the
C3 has no PSRAM). The CPI written is the ratio of modelled cycles to
instructions summed over every recorded layer of the shared models
(results/grid.json entries with a model source), one figure per runtime;
the per-layer spread is printed so the error of one figure is visible.
Python 3 standard library only."""
import argparse
import json
import os
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))

# extra cycles per event on the ESP32-C3 (issue: 1 cycle per instruction)
PENALTY = OrderedDict([
    # a taken conditional branch redirects fetch after it resolves: the
    # instructions fetched behind it (IF, ID of a 4-stage pipeline) are lost
    ('branch_taken', (2, 'assumed: taken branch resolved in EX of a 4-stage in-order pipeline '
                         'without a branch predictor, 2 fetch slots lost')),
    ('jump', (2, 'assumed: jal/jalr/ret redirect fetch like a taken branch')),
    # a load's value is ready one cycle after the next instruction would read it
    ('load_use', (1, 'assumed: one stall when the next instruction reads a load\'s result')),
    ('mul', (0, 'assumed: single-cycle pipelined multiplier (RV32M mul/mulh)')),
    ('div', (32, 'assumed: a bit-serial divider, 33 cycles')),
])
SOURCE = ('ESP32-C3 Technical Reference Manual v1.2, ch. 1 ESP-RISC-V CPU: RV32IMC, 4-stage '
          'in-order scalar pipeline, zero wait cycles to on-chip SRAM and cache')
IMPLS = (('esp_nn', 'tflm-esp-nn'), ('ref', 'tflm'))
# runtimes whose riscv32 CPI kernels.json ships for the release build
# (fit_cpu.py): ESP-NN only. TFLM's reference kernels are shipped for the
# build ESP-IDF makes of them (BUILD: results/riscv32-asserts.json), which the
# ESP32-C3 and -C6 run; the release build's riscv32 CPI is not shipped, so
# other RV32 chips (the PCL Scepu02 of the calibration) keep the cost tables.
SHIPPED = ('tflm-esp-nn',)
BUILD = ('riscv32-asserts.json', 'esp-idf', (('ref', 'tflm'),))


def cycles(cls, penalty=None):
    """modelled cycles of one recorded invocation (its class counts)"""
    pen = {k: v[0] for k, v in PENALTY.items()} if penalty is None else penalty
    ins = sum(cls[k] for k in ('load', 'store', 'mul', 'div', 'branch', 'jump', 'alu'))
    return ins + sum(pen[k] * cls[k] for k in pen)


def model_points(results, grid):
    model_ids = {g['id'] for g in grid if any(s != 'sweep' for s in g['sources'])}
    return [p for p in results['points'] if p['id'] in model_ids]


def cpis(results, grid, penalty=None, impls=IMPLS):
    """{runtime: (cpi, lowest layer cpi, highest, layers)}"""
    out = {}
    pts = model_points(results, grid)
    for impl, runtime in impls:
        cyc = [cycles(p[impl + '_classes'], penalty) for p in pts]
        ins = [p[impl] for p in pts]
        per = [c / i for c, i in zip(cyc, ins)]
        out[runtime] = (sum(cyc) / sum(ins), min(per), max(per), len(pts))
    return out


def cpu_entries(results, grid, build=None, impls=IMPLS):
    """kernels.json "cpus" entries for riscv32 (of a build: BUILD's results)"""
    out = []
    for runtime, (cpi, lo, hi, n) in cpis(results, grid, impls=impls).items():
        out.append(OrderedDict(
            [('runtime', runtime), ('core', 'riscv32')] + ([('build', build)] if build else []) + [
            ('cycles_per_instruction', round(cpi, 4)),
            ('op_overhead_cycles', 2000.0),
            ('source', 'ESP32-C3 pipeline model on the measured instruction classes (not fitted '
                       'on a latency; %d layers, %.2f-%.2f per layer)' % (n, lo, hi)),
            ('source_detail', 'tools/kernel-cycles/cycles_rv32.py: cycles = instructions + %s; '
                              '%s; flash cache misses not modelled; per-op overhead: '
                              'calibrate.py\'s prior of 2000 cycles per op'
             % (' + '.join('%g x %s' % (v[0], k) for k, v in PENALTY.items() if v[0]), SOURCE))]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--results', default=os.path.join(HERE, 'results', 'riscv32.json'))
    ap.add_argument('--grid', default=os.path.join(HERE, 'results', 'grid.json'))
    a = ap.parse_args()
    res, grid = json.load(open(a.results)), json.load(open(a.grid))
    base = cpis(res, grid)
    for rt, (cpi, lo, hi, n) in base.items():
        print('%-12s CPI %.3f over %d layers (per layer %.2f-%.2f)' % (rt, cpi, n, lo, hi))
    bpath = os.path.join(os.path.dirname(a.results), BUILD[0])
    bres = json.load(open(bpath)) if os.path.exists(bpath) else None
    if bres:
        for rt, (cpi, lo, hi, n) in cpis(bres, grid, impls=BUILD[2]).items():
            print('%-12s CPI %.3f over %d layers (per layer %.2f-%.2f), build %s (%s)'
                  % (rt, cpi, n, lo, hi, BUILD[1], BUILD[0]))
    print('sensitivity (CPI when one penalty changes by +1 cycle):')
    bbase = cpis(bres, grid, impls=BUILD[2]) if bres else {}
    for k in PENALTY:
        pen = {kk: v[0] for kk, v in PENALTY.items()}
        pen[k] += 1
        alt = cpis(res, grid, pen)
        balt = cpis(bres, grid, pen, BUILD[2]) if bres else {}
        print('  %-13s %s' % (k, ', '.join(
            ['%s %+.1f%%' % (rt, 100 * (alt[rt][0] / base[rt][0] - 1)) for rt in alt] +
            ['%s (%s) %+.1f%%' % (rt, BUILD[1], 100 * (balt[rt][0] / bbase[rt][0] - 1))
             for rt in balt])))
    json.dump(cpu_entries(res, grid) +
              (cpu_entries(bres, grid, BUILD[1], BUILD[2]) if bres else []), sys.stdout, indent=1)
    print()


if __name__ == '__main__':
    main()
