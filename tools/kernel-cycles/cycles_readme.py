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
  pie-introduction); Espressif's compiler may use the hardware loops where
  Debian's GCC emits loop branches, which the ticks / instruction ratio
  absorbs for ANSI C code.
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


def ratio(doc, chip):
    """(sum ticks / sum instructions, calls) over the rows with ticks for chip"""
    rows = [p for p in doc['points'] if chip in p]
    t = sum(p[chip]['ticks'] for p in rows)
    i = sum(p['instructions'] for p in rows)
    return (t / i if i else None), len(rows)


def cpu_entries(doc):
    """kernels.json "cpus" entries of TFLM's ESP-IDF build on the P4 and the S3"""
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
