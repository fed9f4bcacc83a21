#!/usr/bin/env python3
"""measure_qemu.py - count the instructions CMSIS-NN (and TFLM's reference
kernels) execute per invocation on a core Unicorn does not model: the
Cortex-M55 with MVE (Helium), on Debian's qemu-system-arm machine mps3-an547.

usage: measure_qemu.py --tflm DIR --cmsis-nn DIR --gemmlowp DIR [--core cortex-m55]
                       [--grid results/grid.json] [--work DIR] [--only ID ...]
                       > results/cortex-m55.json

How the count is taken (QEMU has no instruction-counting plugin in Debian's
build): each grid entry is one QEMU run under `-icount shift=5` (the virtual
clock advances 2^5 ns per instruction executed, whatever the instruction).
qemu_main.c runs on the machine, reads SysTick (clocked from the CPU clock,
so from the virtual clock) before and after the harness call, and prints the
ticks through semihosting. Ticks per instruction come from a calibration loop
of known length in the same run (2,000,002 instructions); an empty call gives
the ticks the two timer reads themselves add, which are subtracted. Reads of
SysTick are I/O, which QEMU's icount mode performs at the exact instruction.
The job (jobs.py's layout, the same data as measure.py) is loaded into the
AN547's DDR with `-device loader`. The CMSIS-NN functions entered (the code
path) are the ones QEMU translated between the driver's cmsis_begin and
cmsis_end marks (`-d in_asm`: every block is translated the first time it
runs, and each run is a fresh QEMU)."""
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build  # noqa: E402
import jobs  # noqa: E402
from measure import PATH_FUNCS, arguments, toolchain, version_fields  # noqa: E402

DDR = 0x60000000                 # link_qemu.ld / qemu_main.c KC_HEADER_ADDR
DDR_SIZE = 0x01000000            # the part of the DDR the jobs use
HEADER_BYTES = 64
MAGIC = 0x4b43514d
SHIFT = 5
CALIB_INSNS = 2 * 1000000 + 1    # calib_loop(1000000): subs+bne per iteration, bx
QEMU = 'qemu-system-arm'
# scratch for every job: above any MVE buffer CMSIS-NN's *_get_buffer_size
# asks for on the grid (the largest, arm_depthwise_conv_s8_opt's, is
# 4 x 124 x filter taps bytes: 12 KiB for a 5x5 filter)
SCRATCH = 256 * 1024


class Image:
    """jobs.place()'s machine: allocations in a bytearray standing for the DDR"""

    def __init__(self):
        self.mem = bytearray()
        self.heap = DDR + HEADER_BYTES

        class UC:
            def __init__(uc):
                uc.img = self

            def mem_write(uc, addr, data):
                off = addr - DDR
                if off + len(data) > len(self.mem):
                    self.mem.extend(bytes(off + len(data) - len(self.mem)))
                self.mem[off:off + len(data)] = data
        self.uc = UC()

    def reset_heap(self):
        self.heap = DDR + HEADER_BYTES

    def alloc(self, data_or_size, align=16):
        self.heap = (self.heap + align - 1) & ~(align - 1)
        addr = self.heap
        n = data_or_size if isinstance(data_or_size, int) else len(data_or_size)
        if isinstance(data_or_size, int):
            self.uc.mem_write(addr, bytes(max(n, 4)))
        else:
            self.uc.mem_write(addr, bytes(data_or_size))
        self.heap += max(n, 4)
        if self.heap >= DDR + DDR_SIZE:
            raise MemoryError('job does not fit the DDR window')
        return addr


def run_entry(elf, s, with_ref, work):
    img = Image()
    job = jobs.place(img, s, scratch_bytes=SCRATCH)
    op = s['op']
    oc = s['c'] * s['ch_mult'] if op == 'dwconv' else (s['oc'] or s['c'])
    per = oc if op in ('conv', 'dwconv', 'fc') else s['c']
    nout = s['n'] * s['oh'] * s['ow'] * per
    copy = img.alloc(max(nout, 4)) if with_ref else 0
    hdr = (MAGIC.to_bytes(4, 'little') + jobs.OPS.index(op).to_bytes(4, 'little') +
           job.to_bytes(4, 'little') + nout.to_bytes(4, 'little') + copy.to_bytes(4, 'little'))
    img.uc.mem_write(DDR, hdr)
    fd, blob = tempfile.mkstemp(suffix='.bin', dir=work)
    log = blob[:-4] + '.log'
    with os.fdopen(fd, 'wb') as f:
        f.write(img.mem)
    try:
        r = subprocess.run([QEMU, '-M', 'mps3-an547', '-nographic', '-semihosting',
                            '-icount', 'shift=%d' % SHIFT, '-kernel', elf,
                            '-device', 'loader,file=%s,addr=0x%x,force-raw=on' % (blob, DDR),
                            '-d', 'in_asm', '-D', log],
                           capture_output=True, text=True, timeout=3600)
        trans = open(log).read()
    finally:
        os.unlink(blob)
        if os.path.exists(log):
            os.unlink(log)
    # semihosting's SYS_WRITE0 goes to QEMU's stderr
    out = dict(re.findall(r'^\s*(\w+) (\d+)\s*$', r.stdout + r.stderr, re.M))
    if r.returncode or 'cmsis_ticks' not in out:
        raise SystemExit('QEMU run failed (exit %d): %r %r' % (r.returncode, r.stdout[-500:],
                                                               r.stderr[-500:]))
    return {k: int(v) for k, v in out.items()}, trans


def entered_funcs(trans, syms):
    """names of PATH_FUNCS whose entry QEMU translated inside the CMSIS-NN call"""
    addr = {v & ~1: k for k, v in syms.items() if k in PATH_FUNCS}
    seen = []
    # TFLM's reference kernels call none of them, so the whole run's
    # translations name the CMSIS-NN call's path
    for m in re.finditer(r'^0x([0-9a-f]{8}):', trans, re.M):
        a = int(m.group(1), 16)
        if a in addr and addr[a] not in seen:
            seen.append(addr[a])
    return seen


def main():
    ap = arguments(build.QEMU_CORES, 'cortex-m55')
    ap.add_argument('--out', help='write the results here after every entry (else stdout)')
    ap.add_argument('--opt', default='-O2',
                    help='optimisation level instead of TFLM\'s -O2 (as measure.py; e.g. -O3 '
                         'with --cc clang: docs/latency-model.md, EK-RA8D1)')
    a = ap.parse_args()
    work = os.path.abspath(a.work)
    elf = build.build(a.core, os.path.abspath(a.tflm), os.path.abspath(a.cmsis_nn),
                      os.path.abspath(a.gemmlowp), work, opt=a.opt, version=a.cmsis_version,
                      includes=a.cmsis_include, cc=a.cc)
    nm = subprocess.run([build.TOOLS + 'nm', elf], check=True, capture_output=True,
                        text=True).stdout
    syms = {f[2]: int(f[0], 16) for f in (ln.split() for ln in nm.splitlines()) if len(f) == 3}
    grid = json.load(open(a.grid))
    old = json.load(open(a.merge))['points'] if a.merge else []
    points = []
    tool = toolchain(a)
    qemu = subprocess.run([QEMU, '--version'], capture_output=True,
                          text=True).stdout.splitlines()[0]

    def write():
        new = {p['id'] for p in points}
        pts = sorted([p for p in old if p['id'] not in new] + points, key=lambda p: p['id'])
        doc = OrderedDict([
            ('core', a.core),
            ('emulator', '%s, -M mps3-an547 -icount shift=%d, SysTick ticks / calibration loop'
             % (qemu, SHIFT)),
            ('toolchain', tool)] + version_fields(a, build.CORE_FLAGS[a.core] + build.common(a.opt)) + [
            ('unit', 'instructions executed per kernel invocation'),
            ('points', pts)])
        text = json.dumps(doc, indent=1) + '\n'
        if a.out:
            with open(a.out + '.tmp', 'w') as f:
                f.write(text)
            os.replace(a.out + '.tmp', a.out)
        return text

    for g in grid:
        if a.only and g['id'] not in a.only:
            continue
        s = jobs.complete(g)
        out, trans = run_entry(elf, s, not a.cmsis_only, work)
        per_insn = out['calib_ticks'] / CALIB_INSNS
        # the empty call executes its own 2 instructions (cmp/movs.. bx) plus
        # the timer reads; the harness call's count is what is left over it
        empty = out['empty_ticks'] / per_insn
        rec = OrderedDict([('id', g['id'])])
        if out.get('cmsis_status'):
            raise SystemExit('grid entry %d: CMSIS-NN returned %d' % (g['id'],
                                                                     out['cmsis_status']))
        rec['cmsis_nn'] = int(round(out['cmsis_ticks'] / per_insn - empty))
        if not a.cmsis_only:
            rec['ref'] = int(round(out['ref_ticks'] / per_insn - empty))
        rec['cmsis_nn_path'] = entered_funcs(trans, syms)
        if not a.cmsis_only:
            rec['outputs_match'] = bool(out['outputs_match'])
        print('%d/%d %s cmsis %d ref %s%s' % (g['id'], len(grid), s['op'], rec['cmsis_nn'],
                                              rec.get('ref', '-'), '' if rec.get('outputs_match', True)
                                              else ' (outputs differ)'), file=sys.stderr)
        points.append(rec)
        if a.out:
            write()
    text = write()
    if not a.out:
        sys.stdout.write(text)


if __name__ == '__main__':
    main()
