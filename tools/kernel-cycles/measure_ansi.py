#!/usr/bin/env python3
"""measure_ansi.py - the esp-nn README's kernel tables as cycles per RV32
instruction: count what ESP-NN's ANSI C kernels execute on the README's
unit-test shapes (RV32IMAFC, the ESP32-P4's ISA, on Unicorn), beside the
ticks Espressif measured for the same calls on the ESP32-P4 and the
ESP32-S3 (../shared/reference/latency-extra.csv, per_kernel rows "esp-nn
ansi-c"; espressif/esp-nn README.md @5f0a807e).

usage: measure_ansi.py --tflm DIR --esp-nn DIR --gemmlowp DIR
                       [--shared ../shared] [--work DIR] --out results/espnn-ansi.json

Each README row's call is rebuilt from esp-nn's tests/src/*_test.c (the
shapes, paddings and strides of the case the row names) and run once on
the same image as measure_rv32.py --core riscv32-pie (ESP-NN at -O2, its
CMakeLists.txt's flag for every target but the S3, which adds
-fno-unroll-loops: -O2 does not unroll). Two README typos are resolved to
the test code, as latency-extra.csv's rows note: the 3x3x3 convolution's
input is 10x10 (the S3 row says 8x8) and the 3x3 depthwise convolution's
18x18 (the P4 row says 16x16). The pooling rows time the last call of the
pooling tests, 16x16x16 3x3 without padding (ROWS below).

The recorded ratio ticks / instructions is what cycles_p4.py turns into the
P4's cycles per instruction (and the S3's cycles per RV32 instruction). The
ticks are one call each (test_app/main/main.c: esp_cpu_get_cycle_count()
around the call), with the operands where the README's Memory column says
(External = PSRAM behind the cache)."""
import argparse
import csv
import json
import os
import subprocess
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build_rv32  # noqa: E402
import emu_rv32  # noqa: E402
import jobs  # noqa: E402

CORE = 'riscv32-pie'
# (name, README "layer_or_kernel" text start in latency-extra.csv, the call as
# a kc_job shape, harness function). Shapes from esp-nn tests/src: the
# convolution tests' cases 0 and 2 and the 1x1 16-channel case, the
# depthwise tests' cases 0 and 5, fully connected's first iteration
# (row_len 271, 3 channels), basic_math's size 1615 (its only profiled
# iteration). Pooling: the call the README's ticks time, which is the last of
# each pooling test, 16x16x16, 3x3, stride 1, no padding (14x14 outputs), not
# its "original test case" (pad 1, 16x16 outputs). Both README tables (P4
# @5f0a807e, S3 @79d59ae, 2026-03-30) were measured with the test app of
# bc820fe (2026-03-25): tests/src/pooling_test.c runs twelve shapes ending
# with that one and prints no cycles of its own; test_app/main/main.c's
# print_profile() prints the totals profile_c_end() left, i.e. the last
# call's. The convolution, depthwise and fully connected tests print every
# iteration's cycles, and add and mul profile iteration 0 only, so those
# rows can be the named shapes. The 2024 P4 table (562ffb43, one pad-1
# pooling call) gave 601,843 and 392,947 ticks where 5f0a807e gives
# 482,184 and 303,210.
ROWS = (
    ('add', 'elementwise_add size 1615', dict(op='add', c=1615), 'kc_espnn_add'),
    ('mul', 'elementwise_mul size 1615', dict(op='mul', c=1615), 'kc_espnn_mul'),
    ('conv 10x10x64 1x1x64', 'conv2d input 10x10x64, filter 64x1x1x64',
     dict(op='conv', h=10, w=10, c=64, oc=64), 'kc_ansi_conv'),
    ('conv 8x8x16 1x1x16', 'conv2d input 8x8x16, filter 16x1x1x16',
     dict(op='conv', h=8, w=8, c=16, oc=16), 'kc_ansi_conv'),
    ('conv 10x10x3 3x3x64', 'conv2d input ', dict(op='conv', h=10, w=10, c=3, oc=64, kh=3, kw=3),
     'kc_ansi_conv'),
    ('dwconv 18x18x16 3x3', 'depthwise_conv2d input 1', dict(op='dwconv', h=18, w=18, c=16, kh=3,
                                                            kw=3), 'kc_ansi_dwconv'),
    ('dwconv 12x12x4 5x5 x8 pad 1', 'depthwise_conv2d input 12x12x4',
     dict(op='dwconv', h=12, w=12, c=4, ch_mult=8, kh=5, kw=5, pad=1), 'kc_ansi_dwconv'),
    ('max_pool 16x16x16 3x3 no pad', 'max_pool2d input 16x16x16',
     dict(op='maxpool', h=16, w=16, c=16, kh=3, kw=3, padding='valid'), 'kc_espnn_maxpool'),
    ('avg_pool 16x16x16 3x3 no pad', 'avg_pool2d input 16x16x16',
     dict(op='avgpool', h=16, w=16, c=16, kh=3, kw=3, padding='valid'), 'kc_espnn_avgpool'),
    ('fc 271x3', 'fully_connected row_len 271', dict(op='fc', c=271, oc=3), 'kc_espnn_fc'),
)
CHIPS = ('ESP32-P4', 'ESP32-S3')
# text a row must also contain (the README's shapes share their openings)
MUST = {'conv 10x10x3 3x3x64': ('filter 64x3x3x3',),
        'dwconv 18x18x16 3x3': ('filter 1x3x3x16',)}


def readme_ticks(shared):
    """{(chip, row name): (ticks, csv line, memory)} of the ANSI C rows"""
    out = {}
    path = os.path.join(shared, 'reference', 'latency-extra.csv')
    for line, r in enumerate(csv.DictReader(open(path)), start=2):
        if r['source_kind'] != 'per_kernel' or not r['runtime'].startswith('esp-nn ansi-c') or \
                r['mcu'] not in CHIPS:
            continue
        for name, text, shape, _ in ROWS:
            if r['layer_or_kernel'].startswith(text) and all(t in r['layer_or_kernel']
                                                             for t in MUST.get(name, ())):
                mem = 'External (PSRAM)' if 'External' in r['notes'] else 'Internal'
                out[(r['mcu'], name)] = (int(r['cycles']), line, mem)
    return out


def shape_of(spec):
    s = jobs.complete({k: v for k, v in spec.items() if k != 'pad'})
    if 'pad' in spec:                          # a padding TFLM's rules do not give
        p = spec['pad']
        s['ph'] = s['pw'] = p
        s['oh'] = (s['h'] + 2 * p - s['kh']) // s['sh'] + 1
        s['ow'] = (s['w'] + 2 * p - s['kw']) // s['sw'] + 1
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tflm', required=True)
    ap.add_argument('--esp-nn', required=True)
    ap.add_argument('--gemmlowp', required=True)
    ap.add_argument('--shared', default=os.path.join(HERE, '..', '..', '..', 'shared'))
    ap.add_argument('--work', default=os.path.join(os.getcwd(), 'kernel-cycles-build'))
    ap.add_argument('--esp-nn-commit', default='d45b843ca5f8')
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    ticks = readme_ticks(a.shared)
    elf = build_rv32.build(CORE, os.path.abspath(a.tflm), os.path.abspath(a.esp_nn),
                           os.path.abspath(a.gemmlowp), os.path.abspath(a.work))
    m = emu_rv32.Machine(elf, build_rv32.TOOLS)
    points = []
    for name, _, spec, fn in ROWS:
        s = shape_of(spec)
        addr = jobs.place(m, s)
        status, counts = m.call(fn, addr)
        if status:
            raise SystemExit('%s: %s returned %d' % (name, fn, status))
        rec = OrderedDict([('kernel', name), ('function', fn),
                           ('shape', OrderedDict((k, s[k]) for k in
                                                 ('n', 'h', 'w', 'c', 'oc', 'kh', 'kw', 'sh',
                                                  'sw', 'ph', 'pw', 'oh', 'ow', 'ch_mult'))),
                           ('instructions', sum(counts[k] for k in emu_rv32.CLASSES)),
                           ('classes', counts)])
        for chip in CHIPS:
            t = ticks.get((chip, name))
            if t:
                rec[chip] = OrderedDict([('ticks', t[0]), ('memory', t[2]),
                                         ('latency_extra_line', t[1])])
        print('%-28s %9d instructions %s' % (name, rec['instructions'], ' '.join(
            '%s %d (%.2f/instr)' % (c, rec[c]['ticks'], rec[c]['ticks'] / rec['instructions'])
            for c in CHIPS if c in rec)), file=sys.stderr)
        points.append(rec)
    r = subprocess.run(['git', '-C', a.esp_nn, 'rev-parse', 'HEAD'], capture_output=True,
                       text=True)
    tool = subprocess.run([build_rv32.TOOLS + 'gcc', '--version'], capture_output=True,
                          text=True).stdout.splitlines()[0]
    doc = OrderedDict([
        ('core', CORE), ('emulator', 'unicorn %s' % emu_rv32.unicorn.__version__),
        ('toolchain', tool), ('flags', ' '.join(build_rv32.flags_for(CORE))),
        ('esp_nn', r.stdout.strip() if r.returncode == 0 else a.esp_nn_commit),
        ('ticks_source', 'espressif/esp-nn README.md @5f0a807e kernel tables (ESP32-P4: 360 MHz, '
                         'HEX PSRAM 200 MHz, 128 KB L2 cache; ESP32-S3: 240 MHz, QPI PSRAM 80 MHz, '
                         '64 KB data cache), via ../shared/reference/latency-extra.csv'),
        ('unit', 'instructions executed per kernel call, by class (emu_rv32.py); ticks: CPU '
                 'cycles of the same call on the chip'),
        ('points', points)])
    with open(a.out, 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
