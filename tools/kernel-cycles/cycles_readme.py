#!/usr/bin/env python3
"""cycles_readme.py - cycles per RV32 instruction on the ESP32-P4 and the
ESP32-S3 from the esp-nn README's kernel tables (results/espnn-ansi.json,
measure_ansi.py): Espressif's ticks for ten calls of ESP-NN's ANSI C
kernels on each chip over the RV32IMAFC instructions the same calls
execute. No whole-model latency enters, so Espressif's person_detect
figures for these chips stay held out (tools/validate_latency.py).

usage: cycles_readme.py [--results results/espnn-ansi.json]

The figure is sum(ticks) / sum(instructions) over the README rows (the same
definition as cycles_rv32.py's per-layer sums: cycles per instruction of
the work, so a long call weighs more than a short one). It is applied to
TFLM's reference kernels as ESP-IDF builds them (build 'esp-idf') with the
instruction tables of core 'riscv32' (instructions_core): RV32IMAFC
executes the same instructions as RV32IMC for these kernels
(results/riscv32-pie-asserts.json, checked by tests/unit/test_kernel_cost.c).

* ESP32-P4 (core riscv32-pie): its HP core runs RV32IMAFC plus Espressif's
  Xhwlp hardware loops and PIE (developer.espressif.com/blog/2024/12/
  pie-introduction), which GCC does not emit from C (espressif/esp-dsp#102),
  and a branch predictor ESP-IDF switches on (docs/kernel-cost.md, "The P4
  figure's sources, read again").
* ESP32-S3 (core xtensa-lx7): a proxy. Its own Xtensa instructions are not
  counted (Debian has no Xtensa LX7 compiler, only gcc-xtensa-lx106 for the
  ESP8266's core); the assumption is that an LX7 build of TFLM's reference
  kernels takes as many LX7 cycles per RV32 instruction of the same source
  as ESP-NN's ANSI C kernels do.

Both assume the reference kernels run at the ANSI C kernels' cycles per
instruction. They do not on the ESP32-C3's pipeline model (cycles_rv32.py:
1.53 for the ESP-IDF build, 1.10 for ESP-NN): the reference build has 16
load-use pairs and 18 taken branches per 100 instructions (person_detect),
the README calls 0-4 and 5-13. Neither chip's penalties are published, so
the figure is what the ANSI C kernels give, and the estimate is expected
low (docs/kernel-cost.md, "ESP32-P4 and ESP32-S3")."""
import argparse
import json
import os
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, 'results', 'espnn-ansi.json')
INSTRUCTIONS_CORE = 'riscv32'
BUILD = 'esp-idf'
# core id -> (chip in the results, source text)
CHIPS = OrderedDict([
    ('riscv32-pie', ('ESP32-P4',
                     'ESP32-P4 ticks per RV32IMAFC instruction of ESP-NN\'s ANSI C kernels (esp-nn '
                     'README kernel table, %d calls); no latency fitted')),
    ('xtensa-lx7', ('ESP32-S3',
                    'proxy: ESP32-S3 ticks per RV32 instruction of ESP-NN\'s ANSI C kernels '
                    '(esp-nn README kernel table, %d calls); LX7 instructions not measured; no '
                    'latency fitted')),
])
DETAIL = ('tools/kernel-cycles/cycles_readme.py: sum of Espressif\'s ticks (espressif/esp-nn '
          'README.md @5f0a807e, ../shared/reference/latency-extra.csv per_kernel rows) over sum '
          'of the instructions the same ANSI C calls execute on RV32IMAFC '
          '(results/espnn-ansi.json, measure_ansi.py); applied to the reference kernels as '
          'ESP-IDF builds them, instructions from the riscv32 tables')

DETAIL_ESPNN = ('tools/kernel-cycles/cycles_readme.py ESPNN_P4: sum of Espressif\'s ESP32-P4 '
                'ticks over sum of RV32IMAFC instructions of ESP-NN\'s ANSI C calls '
                '(results/espnn-ansi.json); instructions from the riscv32 tflm-esp-nn tables '
                '(measure_rv32.py); which kernels the P4 ran: espressif/esp-nn 562ffb43 '
                'include/esp_nn_esp32p4.h')


def ratio(doc, chip):
    """(sum ticks / sum instructions, calls) over the rows with ticks for chip"""
    rows = [p for p in doc['points'] if chip in p]
    t = sum(p[chip]['ticks'] for p in rows)
    i = sum(p['instructions'] for p in rows)
    return (t / i if i else None), len(rows)


# ESP-NN on the ESP32-P4 as Espressif's published person_detect figure ran it
# (73 ms: espressif/esp-tflite-micro README, row added by 56e9c0d3 on
# 2024-09-16 with "ESP32-P4 optimisation is work in progress", esp-nn
# "^1.1.0"; the first P4 kernels are esp-nn 562ffb43 of 2024-09-09, and the
# depthwise, pooling, add and mul mappings stay as below until 2026-03):
# 562ffb43's include/esp_nn_esp32p4.h maps the
# convolution to esp_nn_conv_s8_esp32p4 (PIE inline assembly, not emulated
# here), the depthwise convolution to esp_nn_depthwise_conv_s8_opt and the
# softmax to esp_nn_softmax_s8_opt (the generic C optimisations the ESP32-C3
# runs: the riscv32 tables), and fully connected, pooling, add and mul to the
# ANSI C kernels (also the riscv32 tables). So every op but the convolution
# costs RV32 instructions x the P4's ticks per instruction of plain C; the
# convolution paths stay on the README's PIE kernel table (unmeasured_paths).
# Check (tests/unit/test_kernel_cost.c): the README's P4 "optimized" depthwise
# 3x3 row, 482,389 ticks (unchanged from 562ffb43 to 5f0a807e), is the generic
# C kernel; the model gives 492,408 for the test's 18x18x16 shape.
ESPNN_P4 = ('tflm-esp-nn', 'riscv32-pie', ['conv.1x1', 'conv.opt'],
            'ESP32-P4 ticks per RV32IMAFC instruction of ESP-NN\'s ANSI C kernels (esp-nn README '
            'kernel table, %d calls) on the C kernels esp-nn 562ffb43 (2024-09, the published '
            'person_detect figure) runs on the P4: generic depthwise and softmax, ANSI C fully '
            'connected, pooling, add, mul; its PIE convolution is not measured and keeps the '
            'per-kernel cost table; no latency fitted')


def cpu_entries(doc):
    """kernels.json "cpus" entries of TFLM's ESP-IDF build on the P4 and the S3,
    and of ESP-NN's C kernels on the P4 (ESPNN_P4)"""
    out = []
    for core, (chip, src) in CHIPS.items():
        cpi, n = ratio(doc, chip)
        if cpi is None:
            continue
        out.append(OrderedDict([
            ('runtime', 'tflm'), ('core', core), ('build', BUILD),
            ('instructions_core', INSTRUCTIONS_CORE),
            ('cycles_per_instruction', round(cpi, 4)), ('op_overhead_cycles', 2000.0),
            ('source', src % n), ('source_detail', DETAIL)]))
    cpi, n = ratio(doc, CHIPS[ESPNN_P4[1]][0])
    if cpi is not None:
        out.append(OrderedDict([
            ('runtime', ESPNN_P4[0]), ('core', ESPNN_P4[1]),
            ('instructions_core', INSTRUCTIONS_CORE),
            ('unmeasured_paths', ESPNN_P4[2]),
            ('cycles_per_instruction', round(cpi, 4)), ('op_overhead_cycles', 2000.0),
            ('source', ESPNN_P4[3] % n), ('source_detail', DETAIL_ESPNN)]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--results', default=RESULTS)
    a = ap.parse_args()
    doc = json.load(open(a.results))
    for p in doc['points']:
        print('%-28s %9d instructions %s' % (p['kernel'], p['instructions'], '  '.join(
            '%s %.3f' % (c, p[c]['ticks'] / p['instructions'])
            for _, (c, _) in CHIPS.items() if c in p)))
    for e in cpu_entries(doc):
        print('%s: %.4f cycles per instruction (%s)' % (e['core'], e['cycles_per_instruction'],
                                                        e['source']), file=sys.stderr)


if __name__ == '__main__':
    main()
