#!/usr/bin/env python3
"""measure.py - measure the flash a TFLM build's runtime and its kernels take.

usage: measure.py TFLM_DIR TARGET_ARCH [--kernels cmsis_nn] [--validate NAME:op,op ...]

Links tinyfit's probe application (probe.cc, probe_model.c) against the
build's libtensorflow-microlite.a with --gc-sections and newlib-nano:
  * once with no kernel registered: base_bytes (text + data of the image);
  * once per MicroMutableOpResolver::Add*() whose op tinyfit knows.
It lists every symbol each image keeps in flash (arm-none-eabi-objdump -t) to find the code
that kernels share: a symbol the base lacks belongs to the set of kernels
whose images hold it, and symbols with the same set form one shared group.
A kernel's own figure is its image's growth over the base less its shared
groups and less the part of that growth no symbol accounts for (padding,
code without a size, the probe's resolver), whose median over all kernels
goes to base_bytes instead. For any set of kernels
    base_bytes + sum(own) + sum(shared groups that any of them uses)
is then what linking them together takes: exactly for one kernel, and
within about 1.5% for the op sets of real models. The --validate sets are linked for real and
reported beside that prediction. Prints one JSON document. Standard library
only; needs arm-none-eabi-gcc, newlib and libstdc++ for arm-none-eabi.
"""
import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
from collections import OrderedDict, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))

IRREGULAR = {
    'AddConv2D': 'conv_2d', 'AddDepthwiseConv2D': 'depthwise_conv_2d',
    'AddAveragePool2D': 'average_pool_2d', 'AddMaxPool2D': 'max_pool_2d',
    'AddL2Pool2D': 'l2_pool_2d', 'AddL2Normalization': 'l2_normalization',
    'AddUnidirectionalSequenceLSTM': 'unidirectional_sequence_lstm',
    'AddRelu6': 'relu6', 'AddPadV2': 'padv2', 'AddSelectV2': 'select_v2',
    'AddReverseV2': 'reverse_v2', 'AddBatchMatMul': 'batch_matmul', 'AddAddN': 'add_n',
}


# TFLM's signal-processing kernels, which models name as custom ops "Signal<X>"
SIGNAL = {'Delay', 'Energy', 'FftAutoScale', 'FilterBank', 'FilterBankLog',
          'FilterBankSpectralSubtraction', 'FilterBankSquareRoot', 'Framer', 'Irfft',
          'OverlapAdd', 'PCAN', 'Rfft', 'Stacker', 'Window'}


# Sections of the image that take no flash.
NOT_FLASH = {'.bss', '.noinit', '.persistent', '.comment', '.ARM.attributes', '.heap',
             '.stack'}


def run(cmd, cwd, **kw):
    return subprocess.run(cmd, cwd=cwd, check=True, text=True, **kw)


def make_vars(tflm, arch, kernels):
    args = ['make', '-s', '-f', 'tensorflow/lite/micro/tools/make/Makefile',
            'TARGET=cortex_m_generic', 'TARGET_ARCH=' + arch, 'BUILD_TYPE=release',
            'TARGET_TOOLCHAIN_ROOT=/usr/bin/']
    if kernels:
        args.append('OPTIMIZED_KERNEL_DIR=' + kernels)
    names = ['CXX', 'CC', 'CXXFLAGS', 'CCFLAGS', 'INCLUDES', 'LDFLAGS',
             'MICROLITE_LIB_PATH', 'CORE_OPTIMIZATION_LEVEL']
    # $(info) in the recipe prints each value as make holds it, without a shell
    rule = 'tfit_vars: ; @' + ''.join('$(info %s=$(%s))' % (n, n) for n in names) + 'true'

    out = run(args + ['--eval', rule, 'tfit_vars'], tflm, capture_output=True).stdout
    v = {}
    for line in out.splitlines():
        k, _, val = line.partition('=')
        if k in names:
            v[k] = val
    return v


def op_pairs(tflm):
    header = open(os.path.join(tflm, 'tensorflow/lite/micro/micro_mutable_op_resolver.h')).read()
    oplist = open(os.path.join(SRC, 'include/tinyfit/op_list.h')).read()
    names = set(re.findall(r'^TFIT_OP\(\s*\w+,\s*"([a-z0-9_]+)"', oplist, re.M))
    adds = sorted({m.group(1) for m in re.finditer(
        r'TfLiteStatus (Add[A-Za-z0-9]+)\(([^;{]*)\)\s*[{;]', header)
        if not m.group(2).strip() or '=' in m.group(2)})   # callable without arguments
    pairs = OrderedDict()
    for a in adds:
        n = IRREGULAR.get(a) or re.sub(r'(?<!^)(?=[A-Z])', '_', a[3:]).lower()
        if n in names:
            pairs[n] = a
        elif a[3:] in SIGNAL:   # custom ops of TFLM's signal library
            pairs['custom:Signal' + a[3:]] = a
    return pairs


class Prober:
    def __init__(self, tflm, v, work):
        self.tflm, self.v, self.work = tflm, v, work
        self.size = v['CXX'][:-3] + 'size'
        self.objdump = v['CXX'][:-3] + 'objdump'
        self.model = os.path.join(work, 'model.o')
        run([v['CC']] + shlex.split(v['CCFLAGS']) + [v['CORE_OPTIMIZATION_LEVEL']] +
            shlex.split(v['INCLUDES']) + ['-c', os.path.join(HERE, 'probe_model.c'),
                                          '-o', self.model], tflm)

    def link(self, adds):
        v, w = self.v, self.work
        defs = ['-DPROBE_N=%d' % max(1, len(adds))]
        if adds:
            defs.append('-DPROBE_OPS=' + ' '.join('X(%s)' % a for a in adds))
        obj, elf = os.path.join(w, 'probe.o'), os.path.join(w, 'probe.elf')
        flags = shlex.split(v['CXXFLAGS']) + [v['CORE_OPTIMIZATION_LEVEL']]
        run([v['CXX']] + flags + shlex.split(v['INCLUDES']) + defs +
            ['-c', os.path.join(HERE, 'probe.cc'), '-o', obj], self.tflm)
        run([v['CXX']] + flags + [obj, self.model, v['MICROLITE_LIB_PATH']] +
            shlex.split(v['LDFLAGS']) + ['--specs=nano.specs', '--specs=nosys.specs', '-lm',
                                         '-o', elf], self.tflm)
        out = run([self.size, elf], self.tflm, capture_output=True).stdout.splitlines()[1].split()
        flash = int(out[0]) + int(out[1])
        # Symbols in the sections flash holds (not .bss/.noinit), one per
        # address: aliases (C1/C2 constructors, weak names) share their bytes,
        # which must count once; the alphabetically first name stands for the
        # address, the same in every image. A symbol that runs into the next
        # one (libgcc's soft-float entry points) is cut at it, so that no
        # byte counts twice.
        at = {}
        for line in run([self.objdump, '-t', elf], self.tflm,
                        capture_output=True).stdout.splitlines():
            left, tab, right = line.partition('\t')
            fields, rest = left.split(), right.split(None, 1)
            if not tab or len(fields) < 3 or len(rest) != 2:
                continue
            section, addr = fields[-1], int(fields[0], 16) & ~1
            size, name = int(rest[0], 16), rest[1].split()[-1]
            if section in NOT_FLASH or section.startswith(('.debug', '*')) or not size:
                continue
            if addr not in at or name < at[addr][0]:
                at[addr] = (name, max(size, at.get(addr, ('', 0))[1]))
        starts = sorted(at)
        for here, nxt in zip(starts, starts[1:]):
            name, size = at[here]
            at[here] = (name, min(size, nxt - here))
        return flash, set(at.values())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('tflm')
    ap.add_argument('arch')
    ap.add_argument('--kernels', default='')
    ap.add_argument('--commit', default=os.environ.get('TFLM_COMMIT', 'unknown'))
    ap.add_argument('--validate', action='append', default=[], metavar='NAME:op,op')
    a = ap.parse_args()
    tflm = os.path.abspath(a.tflm)
    v = make_vars(tflm, a.arch, a.kernels)
    if not os.path.isfile(os.path.join(tflm, v['MICROLITE_LIB_PATH'])):
        sys.exit('measure.py: %s is not built (see README.md)' % v['MICROLITE_LIB_PATH'])
    pairs = op_pairs(tflm)
    with tempfile.TemporaryDirectory() as work:
        p = Prober(tflm, v, work)
        base, base_syms = p.link([])
        alone, syms = {}, {}
        for i, (op, add) in enumerate(pairs.items()):
            print('%d/%d %s' % (i + 1, len(pairs), op), file=sys.stderr)
            f, s = p.link([add])
            alone[op] = f - base
            syms[op] = s - base_syms
        owners = defaultdict(set)
        for op, s in syms.items():
            for sym in s:
                owners[sym].add(op)
        groups = defaultdict(int)
        for sym, ops in owners.items():
            if len(ops) > 1:
                groups[tuple(sorted(ops))] += sym[1]
        # What symbols cannot see (padding, code without a symbol size, the
        # probe's own resolver code) differs from one image to the next by a
        # roughly constant amount; its median goes to the core, so that a
        # kernel's own figure holds only its own code.
        core = int(statistics.median(alone[op] - sum(s[1] for s in syms[op]) for op in pairs))
        own = {}
        for op in pairs:
            shared = sum(b for ks, b in groups.items() if op in ks)
            own[op] = max(0, alone[op] - core - shared)
        validation = []
        for spec in a.validate:
            name, _, ops = spec.partition(':')
            ops = [o for o in ops.split(',') if o in pairs]
            f, _ = p.link([pairs[o] for o in ops])
            pred = base + core + sum(own[o] for o in ops) + sum(
                b for ks, b in groups.items() if set(ks) & set(ops))
            validation.append(OrderedDict([('name', name), ('ops', ops), ('measured', f),
                                           ('predicted', pred),
                                           ('sum_of_alone', base + sum(alone[o] for o in ops))]))
    toolchain = run([v['CXX'], '--version'], tflm, capture_output=True).stdout.splitlines()[0]
    doc = OrderedDict([
        ('tflite_micro', a.commit), ('toolchain', toolchain), ('target_arch', a.arch),
        ('optimized_kernel_dir', a.kernels or 'reference'), ('base_bytes', base + core),
        ('image_without_kernels_bytes', base),
        ('kernels', OrderedDict(sorted(own.items()))),
        ('shared', [OrderedDict([('kernels', list(ks)), ('bytes', b)])
                    for ks, b in sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))]),
        ('alone', OrderedDict(sorted(alone.items()))),
        ('validation', validation),
    ])
    json.dump(doc, sys.stdout, indent=2)
    print()


if __name__ == '__main__':
    main()
