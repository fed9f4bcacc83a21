#!/usr/bin/env python3
"""measure.py - count the instructions TFLM's reference kernels and CMSIS-NN
execute per invocation, for every entry of results/grid.json, on Unicorn's
model of one Cortex-M core.

usage: measure.py --tflm DIR --cmsis-nn DIR --gemmlowp DIR --core CORE
                  [--grid results/grid.json] [--work DIR] > results/CORE.json

Each entry is run once with CMSIS-NN (harness_cmsis.c: the calls TFLM's
kernels/cmsis_nn/*.cc make) and once with TFLM's reference kernels
(harness_ref.cc), on the same pseudo-random data; the two outputs are
compared (CMSIS-NN is bit-exact with the reference kernels). The count is
every instruction executed between the harness function's entry and its
return, including the few that fill the kernels' parameter structs. The
CMSIS-NN functions entered are listed, which names the code path taken."""
import argparse
import json
import os
import subprocess
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build  # noqa: E402
import jobs  # noqa: E402

# CMSIS-NN functions whose entry tells which code path a call took
PATH_FUNCS = (
    'arm_convolve_1x1_s8_fast', 'arm_convolve_1x1_s8', 'arm_convolve_1_x_n_s8',
    'arm_convolve_s8', 'arm_nn_mat_mult_kernel_s8_s16', 'arm_nn_mat_mult_nt_t_s8',
    'arm_nn_mat_mul_core_1x_s8', 'arm_nn_mat_mul_core_4x_s8',
    'arm_depthwise_conv_3x3_s8', 'arm_depthwise_conv_s8_opt', 'arm_depthwise_conv_s8',
    'arm_nn_depthwise_conv_nt_t_s8', 'arm_nn_depthwise_conv_nt_t_padded_s8',
    'arm_nn_depthwise_conv_s8_core', 'arm_fully_connected_s8', 'arm_nn_vec_mat_mult_t_s8',
    'arm_avgpool_s8', 'arm_max_pool_s8', 'arm_softmax_s8', 'arm_elementwise_add_s8',
    'arm_elementwise_mul_s8', 'arm_q7_to_q15_with_offset', 'arm_s8_to_s16_unordered_with_offset')


# the harness_tf23.cc function of an op whose TensorFlow v2.3 cmsis-nn
# wrapper requantises on every Eval (pooling computes only integer padding)
EVAL_OF = {'conv': 'conv', 'dwconv': 'dwconv', 'fc': 'fc', 'add': 'add', 'softmax': 'softmax'}


def git_commit(path):
    """the commit of the checkout at path; None when path is not the top of
    a git checkout (an exported tree inside another repository would
    otherwise report that repository's commit)"""
    top = subprocess.run(['git', '-C', path, 'rev-parse', '--show-toplevel'],
                         capture_output=True, text=True)
    if top.returncode or os.path.realpath(top.stdout.strip()) != os.path.realpath(path):
        return None
    r = subprocess.run(['git', '-C', path, 'rev-parse', 'HEAD'], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


def arguments(cores, default_core=None):
    """the options measure.py and measure_qemu.py share"""
    ap = argparse.ArgumentParser()
    ap.add_argument('--tflm', required=True)
    ap.add_argument('--cmsis-nn', required=True)
    ap.add_argument('--gemmlowp', required=True)
    ap.add_argument('--core', required=default_core is None, default=default_core,
                    choices=sorted(cores))
    ap.add_argument('--grid', default=os.path.join(HERE, 'results', 'grid.json'))
    ap.add_argument('--work', default=os.path.join(os.getcwd(), 'kernel-cycles-build'))
    ap.add_argument('--tflm-commit', default='90b983c2b3f1')
    ap.add_argument('--cmsis-nn-commit', default='4ab83cc3cc98')
    ap.add_argument('--only', type=int, nargs='*', help='grid ids to run (default all)')
    ap.add_argument('--merge', help='a results file whose other points to keep')
    ap.add_argument('--cmsis-only', action='store_true',
                    help='run CMSIS-NN only (no reference kernels, no output check)')
    ap.add_argument('--cmsis-version', choices=sorted(build.CMSIS_VERSIONS),
                    help='measure another CMSIS-NN than TFLM\'s pin (build.CMSIS_VERSIONS: the '
                         'source a calibration point ran; --cmsis-nn names its NN folder)')
    ap.add_argument('--cmsis-include', action='append', default=[],
                    help='a header folder that version needs (CMSIS Core, DSP); repeatable')
    ap.add_argument('--tf', help='the TensorFlow tree of a version whose kernel wrappers '
                                 'requantise on every Eval (build.CMSIS_VERSIONS eval_sources; '
                                 'harness_tf23.cc)')
    ap.add_argument('--cc', default='gcc', choices=sorted(build.CC),
                    help='compiler of CMSIS-NN and harness_cmsis.c (build.CC; default gcc)')
    return ap


def toolchain(a):
    """the results file's toolchain field: the compiler of CMSIS-NN (and,
    when that is not gcc, gcc's for the reference kernels and the link)"""
    gcc = subprocess.run([build.TOOLS + 'gcc', '--version'], capture_output=True,
                         text=True).stdout.splitlines()[0]
    if a.cc == 'gcc':
        return gcc
    other = subprocess.run([build.CC[a.cc][0], '--version'], capture_output=True,
                           text=True).stdout.splitlines()[0]
    return '%s (CMSIS-NN, harness_cmsis.c); %s (reference kernels, link)' % (other, gcc)


def version_fields(a, core_flags):
    """the results file's flags, cmsis_nn (and cmsis_version) fields"""
    v = build.CMSIS_VERSIONS.get(a.cmsis_version) if a.cmsis_version else None
    if a.cc != 'gcc':
        core_flags = [f for f in core_flags if f != '-mfpu=auto']
    return ([('flags', ' '.join(core_flags + (v['defines'] if v else [])))] +
            [('tflite_micro', git_commit(a.tflm) or a.tflm_commit),
             ('cmsis_nn', v['source'] if v else git_commit(a.cmsis_nn) or a.cmsis_nn_commit)] +
            ([('cmsis_version', a.cmsis_version)] if v else []) +
            ([('eval_requant', 'instructions of the per-Eval requantisation of that '
                               'TensorFlow\'s kernel wrappers (harness_tf23.cc), from ' +
               v['eval_source'])] if v and v.get('eval_sources') else []))


def main():
    ap = arguments([c for c in build.CORE_FLAGS if c not in build.QEMU_CORES])
    ap.add_argument('--opt', default='-O2',
                    help='optimisation level instead of TFLM\'s -O2 (e.g. -Os, as Mbed OS\'s '
                         'default develop profile builds; docs/kernel-cost.md)')
    a = ap.parse_args()
    import emu  # python3-unicorn, needed here only (measure_qemu.py imports this file)
    elf = build.build(a.core, os.path.abspath(a.tflm), os.path.abspath(a.cmsis_nn),
                      os.path.abspath(a.gemmlowp), os.path.abspath(a.work), a.opt,
                      a.cmsis_version, a.cmsis_include, a.cc,
                      os.path.abspath(a.tf) if a.tf else None)
    m = emu.Machine(elf, a.core, build.TOOLS)
    evals = a.cmsis_version and build.CMSIS_VERSIONS[a.cmsis_version].get('eval_sources')
    entry = {m.syms[f]: f for f in PATH_FUNCS if f in m.syms}
    grid = json.load(open(a.grid))
    points = []
    for g in grid:
        if a.only and g['id'] not in a.only:
            continue
        s = jobs.complete(g)
        rec = OrderedDict([('id', g['id'])])
        outs = {}
        for impl in ('cmsis_nn',) if a.cmsis_only else ('cmsis_nn', 'ref'):
            addr = jobs.place(m, s)
            entered = []
            hook = m.uc.hook_add(
                emu.unicorn.UC_HOOK_BLOCK,
                lambda uc, ad, size, _: entered.append(entry[ad]) if ad in entry and
                entry[ad] not in entered else None)
            status, count = m.call('kc_%s_%s' % ('cmsis' if impl == 'cmsis_nn' else 'ref',
                                                 s['op']), addr)
            m.uc.hook_del(hook)
            if status:
                raise SystemExit('grid entry %d: %s returned %d' % (g['id'], impl, status))
            oc = s['c'] * s['ch_mult'] if s['op'] == 'dwconv' else (s['oc'] or s['c'])
            per = oc if s['op'] in ('conv', 'dwconv', 'fc') else s['c']
            nout = s['n'] * s['oh'] * s['ow'] * per
            outs[impl] = bytes(m.uc.mem_read(
                json_addr(m, addr), nout))
            rec[impl] = count
            if impl == 'cmsis_nn':
                rec['cmsis_nn_path'] = entered
        if not a.cmsis_only:
            rec['outputs_match'] = outs['cmsis_nn'] == outs['ref']
        if evals and s['op'] in EVAL_OF:
            # the wrapper's per-Eval requantisation, on a fresh copy of the job
            status, rec['eval_requant'] = m.call('kc_eval_' + EVAL_OF[s['op']],
                                                 jobs.place(m, s))
            if status:
                raise SystemExit('grid entry %d: kc_eval_%s returned %d' %
                                 (g['id'], EVAL_OF[s['op']], status))
        print('%d/%d %s cmsis %d ref %s%s' % (g['id'], len(grid), s['op'], rec['cmsis_nn'],
                                              rec.get('ref', '-'), '' if rec.get('outputs_match', True)
                                              else ' (outputs differ)'), file=sys.stderr)
        points.append(rec)
    if a.merge:
        new = {p['id'] for p in points}
        points = sorted([p for p in json.load(open(a.merge))['points'] if p['id'] not in new] +
                        points, key=lambda p: p['id'])
    tool = toolchain(a)
    doc = OrderedDict([
        ('core', a.core), ('emulator', 'unicorn %s' % emu.unicorn.__version__),
        ('toolchain', tool)] + version_fields(a, build.CORE_FLAGS[a.core] + build.common(a.opt)) + [
        ('unit', 'instructions executed per kernel invocation'),
        ('points', points)])
    json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write('\n')


def json_addr(m, job_addr):
    """the output pointer of the job at job_addr (kc_job.out, word 24)"""
    return int.from_bytes(m.uc.mem_read(job_addr + 24 * 4, 4), 'little')


if __name__ == '__main__':
    main()
