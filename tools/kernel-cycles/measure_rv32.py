#!/usr/bin/env python3
"""measure_rv32.py - count, by instruction class, what ESP-NN's generic
kernels and TFLM's reference kernels execute per invocation on RV32IMC (the
ESP32-C3's ISA), for entries of results/grid.json, on Unicorn's RISC-V model.

usage: measure_rv32.py --tflm DIR --esp-nn DIR --gemmlowp DIR
                       [--grid results/grid.json] [--work DIR] [--only ID ...]
                       [--merge results/riscv32.json] [--out results/riscv32.json]

Each entry runs once with ESP-NN (harness_espnn.c: the calls
esp-tflite-micro's kernels/esp_nn/*.cc make) and once with the reference
kernels (harness_ref.cc, the same file as the Cortex-M runs), on the same
pseudo-random data (jobs.py); the outputs are compared (ESP-NN's kernels are
bit-exact with TFLM's reference kernels). Entries run in order of cost,
model layers first; --out is rewritten after every entry so a long run can
be stopped and resumed with --merge. Counts are instructions, split by
class, plus load-use pairs and taken branches (emu_rv32.py); cycles come
from cycles_rv32.py."""
import argparse
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


def git_commit(path):
    r = subprocess.run(['git', '-C', path, 'rev-parse', 'HEAD'], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


def cost(s):
    """rough work of an entry (MACs or element operations), to order the runs"""
    if s['op'] == 'conv':
        return s['n'] * s['oh'] * s['ow'] * s['oc'] * s['kh'] * s['kw'] * s['c']
    if s['op'] == 'dwconv':
        return s['n'] * s['oh'] * s['ow'] * s['c'] * s['ch_mult'] * s['kh'] * s['kw']
    if s['op'] == 'fc':
        return s['n'] * s['oc'] * s['c']
    return s['n'] * s['h'] * s['w'] * s['c'] * s['kh'] * s['kw']


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tflm', required=True)
    ap.add_argument('--esp-nn', required=True)
    ap.add_argument('--gemmlowp', required=True)
    ap.add_argument('--grid', default=os.path.join(HERE, 'results', 'grid.json'))
    ap.add_argument('--work', default=os.path.join(os.getcwd(), 'kernel-cycles-build'))
    ap.add_argument('--tflm-commit', default='90b983c2b3f1')
    ap.add_argument('--esp-nn-commit', default='d45b843ca5f8')
    ap.add_argument('--only', type=int, nargs='*', help='grid ids to run (default all)')
    ap.add_argument('--max-cost', type=float, default=0,
                    help='skip entries with more MACs / element operations than this')
    ap.add_argument('--merge', help='a results file whose other points to keep')
    ap.add_argument('--model', help='only the grid entries of this model file')
    ap.add_argument('--asserts', action='store_true',
                    help='reference kernels only, built without -DNDEBUG as ESP-IDF builds them '
                         'by default (TFLM\'s TFLITE_DCHECKs stay in)')
    ap.add_argument('--esp-idf', action='store_true',
                    help='reference kernels only, built as ESP-IDF builds esp-tflite-micro by '
                         'default: -O3 (its CMakeLists.txt) and no -DNDEBUG (--asserts)')
    ap.add_argument('--core', default='riscv32', choices=sorted(build_rv32.CORE_FLAGS),
                    help='riscv32: RV32IMC (ESP32-C3); riscv32-pie: RV32IMAFC (ESP32-P4 HP core)')
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    a.asserts = a.asserts or a.esp_idf
    opt = '-O3' if a.esp_idf else '-O2'
    elf = build_rv32.build(a.core, os.path.abspath(a.tflm), os.path.abspath(a.esp_nn),
                           os.path.abspath(a.gemmlowp), os.path.abspath(a.work), a.asserts, opt)
    impls = ('ref',) if a.asserts else ('esp_nn', 'ref')
    m = emu_rv32.Machine(elf, build_rv32.TOOLS)
    grid = json.load(open(a.grid))
    kept = {}
    if a.merge and os.path.exists(a.merge):
        kept = {p['id']: p for p in json.load(open(a.merge))['points']}
    todo = [g for g in grid if (not a.only or g['id'] in a.only) and g['id'] not in kept and
            (not a.model or any(x.split('#')[0] == a.model for x in g['sources']))]
    todo.sort(key=lambda g: (g['sources'] == ['sweep'], cost(jobs.complete(g))))
    tool = subprocess.run([build_rv32.TOOLS + 'gcc', '--version'], capture_output=True,
                          text=True).stdout.splitlines()[0]
    points = dict(kept)
    for g in todo:
        s = jobs.complete(g)
        if a.max_cost and cost(s) > a.max_cost:
            continue
        rec = OrderedDict([('id', g['id'])])
        outs = {}
        for impl in impls:
            addr = jobs.place(m, s)
            status, counts = m.call('kc_%s_%s' % ('espnn' if impl == 'esp_nn' else 'ref',
                                                 s['op']), addr)
            if status:
                raise SystemExit('grid entry %d: %s returned %d' % (g['id'], impl, status))
            oc = s['c'] * s['ch_mult'] if s['op'] == 'dwconv' else (s['oc'] or s['c'])
            per = oc if s['op'] in ('conv', 'dwconv', 'fc') else s['c']
            nout = s['n'] * s['oh'] * s['ow'] * per
            out_addr = int.from_bytes(m.uc.mem_read(addr + 24 * 4, 4), 'little')
            outs[impl] = bytes(m.uc.mem_read(out_addr, nout))
            rec[impl] = sum(counts[k] for k in emu_rv32.CLASSES)
            rec[impl + '_classes'] = counts
        if not a.asserts:
            rec['outputs_match'] = outs['esp_nn'] == outs['ref']
        print('%d %s %s%s' % (g['id'], s['op'], ' '.join('%s %d' % (i, rec[i]) for i in impls),
                              '' if rec.get('outputs_match', True) else ' (outputs differ)'),
              file=sys.stderr, flush=True)
        points[g['id']] = rec
        doc = OrderedDict([
            ('core', a.core), ('emulator', 'unicorn %s' % emu_rv32.unicorn.__version__),
            ('toolchain', tool),
            ('flags', ' '.join(build_rv32.flags_for(a.core, a.asserts, opt))),
            ('tflite_micro', git_commit(a.tflm) or a.tflm_commit),
            ('esp_nn', git_commit(a.esp_nn) or a.esp_nn_commit),
            ('unit', 'instructions executed per kernel invocation, by class (emu_rv32.py)'),
            ('points', [points[k] for k in sorted(points)])])
        with open(a.out + '.tmp', 'w') as f:
            json.dump(doc, f, indent=1)
            f.write('\n')
        os.replace(a.out + '.tmp', a.out)


if __name__ == '__main__':
    main()
