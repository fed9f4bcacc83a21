#!/usr/bin/env python3
"""fit_cpu.py - from instructions to milliseconds: cycles per instruction
of TFLM + CMSIS-NN and TFLM's reference kernels per Cortex-M core, fitted on
the published whole-model latencies of ../shared/reference
(latency-calibration.csv, latency-extra.csv, as tools/validate_latency.py
reads them), and written into data/cost/kernels.json ("cpus").

usage (repository root, after fit.py wrote the tables and a build):
  fit_cpu.py [--tinyfit build/stage/bin/tinyfit] [--shared ../shared] [--write]

A model's instructions are the sum, over its int8 conv, depthwise, fully
connected, pooling, softmax, add and mul ops (their shapes are the grid
entries results/grid.json names after the model), of the shipped per-path
instruction model. A latency point gives
    cycles = ms x clock = CPI x instructions + overhead x ops
with the per-op overhead a prior (calibrate.py's interpreter overhead);
points latency-extra.md marks as low trust are predicted but not fitted on;
CPI per runtime x core is the geometric mean over the points. A runtime x
core no point covers borrows the other runtime's CPI on that core and says
so. MCUNet/ProxylessNAS rows have only published MACs: their instructions
are person_detect's scaled by the MAC ratio (as validate_latency.py does).

A core with no TFLM point at all (the Cortex-M0+: ../shared has no
published TFLM latency on one) gets a prior CPI, marked "prior:", from a
closed runtime that published the same models on it and on a fitted core
(RATIO_PRIORS: Bosch HALE on NUCLEO-G0B1RE and NUCLEO-L4R5ZI, MLPerf Tiny
v1.1/v1.2): the fitted core's TFLM + CMSIS-NN latency of each model x the
cycle ratio that runtime measured between the two cores, divided by the
prior core's instructions for the model. It stands for the memory system
and instruction mix of that runtime's code, not of CMSIS-NN's plain-C path,
which is why it stays a prior (with the runtime's wide prior interval).
Python 3 standard library only."""
import argparse
import functools
import json
import math
import os
import sys
from collections import OrderedDict, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import features as F  # noqa: E402
import jobs  # noqa: E402

KERNELS = os.path.join(ROOT, 'data', 'cost', 'kernels.json')
IMPL = {'tflm-cmsis-nn': 'cmsis_nn', 'tflm': 'ref', 'tflm-esp-nn': 'esp_nn',
        'microtvm-cmsis-nn': 'cmsis_nn'}
# Runtimes that run another runtime's measured kernels: microTVM's CMSIS-NN
# BYOC (apache/tvm python/tvm/relay/op/contrib/cmsisnn.py, pattern_table)
# offloads every int8 conv (depthwise with a bias), fully connected, average
# and max pool, add, mul and softmax to the same CMSIS-NN calls TFLM's
# cmsis_nn kernels make, so their instructions are the tflm-cmsis-nn tables';
# what differs is the code around them (TVM's generated C and AOT executor,
# no interpreter), which the runtime's own CPI and per-op overhead stand for.
TABLE_RUNTIME = {'microtvm-cmsis-nn': 'tflm-cmsis-nn'}
MODEL_FILES = {'kws': 'kws_ref_model.tflite', 'ic': 'pretrainedResnet_quant.tflite',
               'ad': 'ad01_int8.tflite', 'vww': 'vww_96_int8.tflite',
               'person_detect': 'person_detect.tflite'}
OVERHEAD_CYCLES = 2000.0
# per-op overhead of the runtimes whose code is generated (calibrate.py's
# OVERHEAD "generated" prior: no interpreter, call and loop setup only)
GENERATED_OVERHEAD_CYCLES = 500.0


def overhead_cycles(runtime):
    """per-op overhead prior of a runtime: calibrate.py's interpreter or
    generated-code figure"""
    return GENERATED_OVERHEAD_CYCLES if base(runtime) in TABLE_RUNTIME else OVERHEAD_CYCLES


def table_runtime(runtime):
    """the runtime whose instruction tables a runtime's kernels use"""
    return TABLE_RUNTIME.get(base(runtime), base(runtime))


SOURCE_DETAIL = ('tools/kernel-cycles/fit_cpu.py: CPI = geometric mean of (ms x clock - '
                 'overhead x ops - flash wait-state cycles of the weights where the chip has a '
                 'data/cost/flash.json entry, calibrate.py) / kernel instructions over the MLPerf Tiny rows of '
                 '../shared/reference/latency-calibration.csv and the whole-model rows of '
                 'latency-extra.csv for this runtime x core (low-trust rows left out); '
                 'per-op overhead: calibrate.py\'s prior of 2000 cycles per op for a '
                 'TFLM-style interpreter')
GENERATED_DETAIL = ('tools/kernel-cycles/fit_cpu.py: CPI = geometric mean of (ms x clock - '
                    'overhead x ops - flash wait-state cycles of the weights, calibrate.py) / '
                    'kernel instructions over the MLPerf Tiny rows of '
                    '../shared/reference/latency-calibration.csv for this runtime x core; per-op '
                    'overhead: calibrate.py\'s prior of 500 cycles per op for generated code')
PRIOR_DETAIL = ('tools/kernel-cycles/fit_cpu.py ratio_prior_cpis: CPI = geometric mean over '
                'the models of (ms x clock of TFLM + CMSIS-NN on the reference core x the cycle '
                'ratio a closed runtime measured between the two cores on that model - '
                'overhead x ops) / kernel instructions on this core; a prior, not a fit on '
                'this core (../shared/reference/latency-calibration.csv)')


def base(runtime):
    return runtime.partition('@')[0]


class Instructions:
    """Instructions of a model's kernels per runtime x core, from the shipped tables."""

    def __init__(self, kernels=KERNELS, grid=os.path.join(HERE, 'results', 'grid.json')):
        doc = json.load(open(kernels))
        self.tables = {(t['runtime'], t['core'], t['path'], t.get('build')): t['coef']
                       for t in doc['tables']}
        self.builds = doc.get('builds', [])
        self.layers = defaultdict(list)          # model file -> [completed grid entry]
        for g in json.load(open(grid)):
            for src in g['sources']:
                if src != 'sweep':
                    self.layers[src.split('#')[0]].append(jobs.complete(g))

    def by_path(self, runtime, core, model_file, build=None):
        """{code path: instructions} of a model's kernels (of a build: None =
        release), or None when a table is missing"""
        impl, out = IMPL.get(base(runtime)), defaultdict(float)
        if impl is None or model_file not in self.layers:
            return None
        core = instructions_core(base(runtime), core, build)
        for s in self.layers[model_file]:
            path, fs = F.features(impl, s, core)
            coef = self.tables.get((table_runtime(runtime), core, path, build))
            if coef is None:
                return None
            out[path] += sum(c * fs.get(k, 0) for k, c in coef.items())
        return dict(out)

    def model(self, runtime, core, model_file, build=None, skip=()):
        """instructions (of a build: None = release) of the paths not in skip,
        or None when a table is missing"""
        paths = self.by_path(runtime, core, model_file, build)
        return None if paths is None else sum(v for k, v in paths.items() if k not in skip)


# Calibration points whose firmware ran another CMSIS-NN than TFLM's pin, and
# the recorded counts of the kernels it ran (measure.py --cmsis-version, the
# model layers of results/grid.json): such a point is costed with those
# counts, not with the shipped tables, so the CPI fitted on it is the
# board's cycles per instruction of the code it executed. System description
# (latency-calibration.csv's system column) -> results file, from the
# kernels_ran field of data/cost/calibration-systems.json (EK-RA6M4:
# renesas-v0.7; EK-RA8D1: renesas-v1.2, measured on QEMU's Cortex-M55, the
# M85 runs the same code; NUCLEO-L4R5ZI v0.5 reference: TensorFlow v2.3.1's
# kernels and CMSIS_5 1150e71e built -Os as Mbed OS's develop profile does,
# with the requantisation its wrappers repeat on every Eval; README,
# "--cmsis-version"; docs/kernel-cost.md).
RAN = {s['system']: s['kernels_ran'] for s in json.load(open(os.path.join(
    ROOT, 'data', 'cost', 'calibration-systems.json')))['systems'] if 'kernels_ran' in s}
# the CMSIS-NN function that names a recorded call's code path (breakdown)
PATH_OF = (('arm_convolve_1x1_s8_fast', 'conv.1x1_fast'), ('arm_convolve_1x1_s8', 'conv.1x1'),
           ('arm_convolve_1_x_n_s8', 'conv.1xn'), ('arm_nn_mat_mult_kernel_s8_s16', 'conv.im2col'),
           ('arm_convolve_s8', 'conv.im2col'),
           ('arm_depthwise_conv_3x3_s8', 'dwconv.3x3'), ('arm_depthwise_conv_s8_opt', 'dwconv.opt'),
           ('arm_depthwise_conv_s8', 'dwconv.generic'), ('arm_nn_vec_mat_mult_t_s8', 'fc'),
           ('arm_avgpool_s8', 'avgpool'), ('arm_max_pool_s8', 'maxpool'),
           ('arm_softmax_s8', 'softmax'), ('arm_elementwise_add_s8', 'add'),
           ('arm_elementwise_mul_s8', 'mul'))


@functools.lru_cache(maxsize=None)
def recorded(results_file):
    """{grid id: (CMSIS-NN instructions, path, per-Eval requantisation
    instructions)} of a results file"""
    doc = json.load(open(os.path.join(HERE, 'results', results_file)))
    out = {}
    for r in doc['points']:
        path = next((name for f, name in PATH_OF if f in r.get('cmsis_nn_path', ())), 'other')
        out[r['id']] = (r['cmsis_nn'], path, r.get('eval_requant', 0))
    return out


def ran_paths(ins, p):
    """{code path: instructions} of the kernels a point's firmware ran, when
    they are recorded (RAN), else None"""
    f = RAN.get((p.get('system') or {}).get('system'))
    model_file = MODEL_FILES.get(p['model'])
    if f is None or model_file not in ins.layers or base(p['runtime']) != 'tflm-cmsis-nn':
        return None
    rec, out = recorded(f), defaultdict(float)
    for s in ins.layers[model_file]:
        if s['id'] not in rec:
            raise SystemExit('%s: grid entry %d (%s) not recorded' % (f, s['id'], model_file))
        out[rec[s['id']][1]] += rec[s['id']][0]
        if rec[s['id']][2]:
            # the wrapper's per-Eval requantisation (TensorFlow v2.3's cmsis-nn)
            out['eval.requant'] += rec[s['id']][2]
    return dict(out)


def point_paths(ins, p, build=None):
    """{code path: instructions} of a point's model: the kernels it ran where
    recorded, else the shipped tables"""
    ran = ran_paths(ins, p)
    if ran is not None:
        return ran
    return ins.by_path(p['runtime'], p['core'], MODEL_FILES.get(p['model'], ''), build)


def point_instructions(ins, p, pd_macs, build=None, skip=()):
    """instructions of the model of a validation point (tools/validate_latency.py),
    without the paths in skip"""
    if p['model'] in MODEL_FILES:
        ran = ran_paths(ins, p)
        if ran is not None:
            return sum(v for k, v in ran.items() if k not in skip)
        return ins.model(p['runtime'], p['core'], MODEL_FILES[p['model']], build, skip)
    if p.get('proxy'):
        i = ins.model(p['runtime'], p['core'], MODEL_FILES['person_detect'], build, skip)
        macs = sum(u for k, u in p['ops'] if k in pd_macs[1])
        return None if i is None else i * macs / pd_macs[0]
    return None


# Cores whose cycles per instruction come from no latency: the ESP32-C3's
# pipeline (cycles_rv32.py), the ESP32-P4's and ESP32-S3's ticks per
# instruction of ESP-NN's ANSI C kernels (cycles_readme.py). Their latency
# points are never fitted on, so every one of them stays held out.
PIPELINE_CORES = ('riscv32', 'riscv32-pie', 'xtensa-lx7')
HOW = {'riscv32': 'ESP32-C3 pipeline', 'riscv32-pie': 'ESP32-P4 ANSI C kernel ticks',
       'xtensa-lx7': 'ESP32-S3 ANSI C kernel ticks, RV32 instructions'}


@functools.lru_cache(maxsize=None)
def pipeline_cpis():
    """{(runtime, core, build): (cpi, 0, entry)} from cycles_rv32.py: ESP-NN
    (release build) and TFLM's reference kernels as ESP-IDF builds them
    (build 'esp-idf', results/riscv32-asserts.json). TFLM's release build on
    riscv32 is not costed by the kernel model (docs/kernel-cost.md, "RV32IMC
    and the ESP32-C3": the id riscv32 also stands for the PCL Scepu02, whose
    TFLM build is not ESP-IDF's)"""
    import cycles_rv32
    path = os.path.join(HERE, 'results', 'riscv32.json')
    if not os.path.exists(path):
        return {}
    res = json.load(open(path))
    grid = json.load(open(os.path.join(HERE, 'results', 'grid.json')))
    out = {}
    for e in cycles_rv32.cpu_entries(res, grid):
        if e['runtime'] in cycles_rv32.SHIPPED:
            out[(e['runtime'], e['core'], None)] = (e['cycles_per_instruction'], 0, e)
    bpath = os.path.join(HERE, 'results', cycles_rv32.BUILD[0])
    if os.path.exists(bpath):
        for e in cycles_rv32.cpu_entries(json.load(open(bpath)), grid, cycles_rv32.BUILD[1],
                                         cycles_rv32.BUILD[2]):
            out[(e['runtime'], e['core'], e['build'])] = (e['cycles_per_instruction'], 0, e)
    import cycles_readme
    if os.path.exists(cycles_readme.RESULTS):
        for e in cycles_readme.cpu_entries(json.load(open(cycles_readme.RESULTS))):
            out[(e['runtime'], e['core'], e.get('build'))] = (e['cycles_per_instruction'], 0, e)
    return out


def unmeasured_paths(runtime, core, build):
    """the code paths a pipeline cpu does not cost (kernels.json
    unmeasured_paths: the ESP32-P4's PIE convolution, cycles_readme.py)"""
    e = pipeline_cpis().get((base(runtime), core, build))
    return tuple(e[2].get('unmeasured_paths', ())) if e else ()


# the op kinds (calibrate.py's) whose ops take an unmeasured path: ESP-NN's
# conv paths are every convolution's
PATH_KINDS = {'conv.1x1': ('conv', 'conv_1x1'), 'conv.opt': ('conv', 'conv_1x1')}


def unmeasured_kinds(paths):
    return {k for path in paths for k in PATH_KINDS[path]}


def instructions_core(runtime, core, build):
    """the core whose tables give runtime x core x build's instructions (a
    cpu entry's instructions_core, cycles_readme.py), else core"""
    e = pipeline_cpis().get((runtime, core, build))
    return e[2].get('instructions_core', core) if e else core


def build_for(ins, p):
    """the build (kernels.json "builds" id) a point's chip runs its runtime as,
    as tfit_kernel_build_find does: a build whose match is part of the chip's
    name and that has a CPI for the runtime x core; None: the release build"""
    for b in ins.builds:
        if b['match'] in p.get('board', '') and \
                (base(p['runtime']), p['core'], b['id']) in pipeline_cpis():
            return b['id']
    return None


def fit_cpis(points, ins, pd_macs):
    """{(runtime, core): (cpi, n points)} from points with a known instruction count"""
    logs = defaultdict(list)
    for p in points:
        if base(p['runtime']) not in IMPL or p.get('dtype', 'int8') != 'int8' or \
                p.get('low_trust') or p['core'] in PIPELINE_CORES:
            continue
        i = point_instructions(ins, p, pd_macs)
        if not i:
            continue
        cycles = p['ms'] * p['clock'] * 1e3 - overhead_cycles(p['runtime']) * len(p['ops']) - \
            p.get('flash', 0.0)
        if cycles > 0:
            logs[(base(p['runtime']), p['core'])].append(math.log(cycles / i))
    return {k: (math.exp(sum(v) / len(v)), len(v)) for k, v in logs.items()}


# core without TFLM points -> the fitted core a closed runtime measured the
# same models on (both boards in ../shared/reference/latency-calibration.csv)
RATIO_PRIORS = {'cortex-m0plus': 'cortex-m4f'}


def ratio_prior_cpis(points, ins, pd_macs):
    """{(runtime, core): (cpi, n, how)} for the cores of RATIO_PRIORS"""
    out = {}
    for core, ref in RATIO_PRIORS.items():
        ratios = defaultdict(list)             # model -> [cycles on core / on ref]
        by_key = defaultdict(dict)
        for p in points:
            if base(p['runtime']) in IMPL or p.get('dtype', 'int8') != 'int8' or \
                    p.get('low_trust') or p['core'] not in (core, ref):
                continue
            by_key[(p['runtime'], p['model'])][p['core']] = p['ms'] * p['clock']
        used = set()
        for (rt, model), cyc in sorted(by_key.items()):
            if core in cyc and ref in cyc:
                ratios[model].append(cyc[core] / cyc[ref])
                used.add(rt)
        logs = []
        for p in points:
            if base(p['runtime']) != 'tflm-cmsis-nn' or p['core'] != ref or \
                    p.get('low_trust') or p['model'] not in ratios:
                continue
            i = ins.model('tflm-cmsis-nn', core, MODEL_FILES.get(p['model'], ''))
            r = math.exp(sum(math.log(x) for x in ratios[p['model']]) / len(ratios[p['model']]))
            cycles = p['ms'] * p['clock'] * 1e3 * r - OVERHEAD_CYCLES * len(p['ops'])
            if i and cycles > 0:
                logs.append(math.log(cycles / i))
        if logs:
            how = ('prior: tflm-cmsis-nn on %s x the %s/%s cycle ratio of %s (%s); no TFLM '
                   'latency is published on this core'
                   % (ref, core, ref, '/'.join(sorted({base(r) for r in used})),
                      ', '.join('%s %.1fx' % (m, math.exp(sum(math.log(x) for x in v) / len(v)))
                                for m, v in sorted(ratios.items()))))
            out[('tflm-cmsis-nn', core)] = (math.exp(sum(logs) / len(logs)), len(logs), how)
    return out


def cpi_for(cpis, runtime, core, other_cores=False, build=None):
    """(cpi, how) for runtime x core (x build, pipeline cores), borrowing the
    other runtime's on that core; with other_cores, then the geometric mean
    over the other cores with (or without) MVE as this one"""
    rt = base(runtime)
    if core in PIPELINE_CORES:
        pc = pipeline_cpis().get((rt, core, build))
        return (pc[0], HOW[core]) if pc else (None, None)
    if rt == 'tflm-esp-nn':
        return None, None
    if (rt, core) in cpis:
        return cpis[(rt, core)][0], 'fitted'
    other = 'tflm' if rt == 'tflm-cmsis-nn' else 'tflm-cmsis-nn'
    # a runtime that runs another's kernels (TABLE_RUNTIME) has code of its
    # own around them: it borrows no TFLM CPI, only its own on other cores
    if rt not in TABLE_RUNTIME and (other, core) in cpis:
        return cpis[(other, core)][0], 'borrowed from ' + other
    # other cores of the same kind only: an MVE (Helium) instruction does up
    # to 16 MACs where a DSP instruction does 2, so the cycles per instruction
    # of an MVE build and of a scalar/DSP build do not stand for each other
    mve = core in F.MVE_CORES
    rest = [v[0] for (r, c), v in cpis.items()
            if c != core and r == rt and (c in F.MVE_CORES) == mve]
    if not rest and rt not in TABLE_RUNTIME:
        rest = [v[0] for (r, c), v in cpis.items()
                if c != core and r not in TABLE_RUNTIME and (c in F.MVE_CORES) == mve]
    if other_cores and rest:
        return math.exp(sum(math.log(v) for v in rest) / len(rest)), 'mean of other cores'
    return None, None


def predict(p, cpi, ins, pd_macs, build=None, skip=()):
    """ms of the point's kernel-model ops: every op but those on the paths
    in skip (costed by the caller)"""
    i = point_instructions(ins, p, pd_macs, build, skip)
    if i is None or cpi is None:
        return None
    kinds = unmeasured_kinds(skip)
    n_ops = sum(1 for k, _ in p['ops'] if k not in kinds)
    return (cpi * i + overhead_cycles(p['runtime']) * n_ops + p.get('flash', 0.0)) / \
        (p['clock'] * 1e3)


def pd_mac_sum(pts, mac_kinds):
    pd = next(p for p in pts if p['model'] == 'person_detect')
    return (sum(u for k, u in pd['ops'] if k in mac_kinds), mac_kinds)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tinyfit', default='build/stage/bin/tinyfit')
    ap.add_argument('--shared', default='../shared')
    ap.add_argument('--write', action='store_true', help='write the cpus into ' + KERNELS)
    a = ap.parse_args()
    import calibrate as cal
    import validate_latency as vl
    pts = vl.all_points(a.tinyfit, a.shared, os.path.join(ROOT, 'data', 'cost'))
    ins = Instructions()
    pdm = pd_mac_sum(pts, cal.MAC_KINDS)
    cpis = fit_cpis(pts, ins, pdm)
    priors = {k: v for k, v in ratio_prior_cpis(pts, ins, pdm).items()
              if not any(c == k[1] for _, c in cpis)}
    cores = sorted({k[1] for k in ins.tables} | {k[1] for k in pipeline_cpis()})
    out = []
    pipe = pipeline_cpis()
    for rt in IMPL:
        for core in cores:
            if core in PIPELINE_CORES:
                for (prt, pcore, build), v in sorted(pipe.items(), key=lambda kv: kv[0][2] or ''):
                    if (prt, pcore) == (rt, core):
                        e = v[2]
                        print('%s %s%s: %.3f cycles/instruction (%s)'
                              % (rt, core, ' build ' + build if build else '',
                                 e['cycles_per_instruction'], e['source']), file=sys.stderr)
                        out.append(e)
                continue
            if rt == 'tflm-esp-nn':           # ESP-NN runs on Espressif chips only
                continue
            if rt in TABLE_RUNTIME and (rt, core) not in cpis:
                continue                      # only where its own latencies were published
            cpi, how = cpi_for(cpis, rt, core)
            prior = priors.get((rt, core)) or priors.get(('tflm-cmsis-nn', core))
            if cpi is None and prior:
                cpi, n = prior[0], prior[1]
                src = prior[2]
                how = 'prior'
            elif cpi is None:
                print('%s %s: no latency point, no CPI (the cost tables stay)' % (rt, core),
                      file=sys.stderr)
                continue
            else:
                n = cpis.get((rt, core), cpis.get(('tflm' if rt != 'tflm' else 'tflm-cmsis-nn',
                                                   core), (0, 0)))[1]
                src = ('%s on %d published latencies' % (how, n))
                if rt in TABLE_RUNTIME:
                    src += ('; instructions: the %s tables (TVM offloads these ops to the same '
                            'CMSIS-NN calls: apache/tvm python/tvm/relay/op/contrib/cmsisnn.py)'
                            % TABLE_RUNTIME[rt])
            print('%s %s: %.3f cycles/instruction (%s, %d points)' % (rt, core, cpi, how, n),
                  file=sys.stderr)
            out.append(OrderedDict([('runtime', rt), ('core', core),
                                    ('cycles_per_instruction', round(cpi, 4)),
                                    ('op_overhead_cycles', overhead_cycles(rt)), ('source', src),
                                    ('source_detail', PRIOR_DETAIL if how == 'prior' else
                                     GENERATED_DETAIL if rt in TABLE_RUNTIME else
                                     SOURCE_DETAIL)]))
    for p in pts:
        if base(p['runtime']) in IMPL:
            build = build_for(ins, p)
            if unmeasured_paths(p['runtime'], p['core'], build):
                continue        # part cost table: tools/validate_latency.py prints it
            cpi, _ = cpi_for(cpis, p['runtime'], p['core'], build=build)
            ms = predict(p, cpi, ins, pdm, build)
            if ms:
                print('  %-14s %-12s %-14s %-20s measured %8.2f ms, model %8.2f ms (%+.0f%%, %s)'
                      % (p['runtime'], p['core'] + ('/' + build if build else ''), p['board'],
                         p['model'], p['ms'], ms, 100 * (ms - p['ms']) / p['ms'],
                         'held out: CPI from no latency' if p['core'] in PIPELINE_CORES
                         else 'fitted on it'), file=sys.stderr)
    if a.write:
        doc = json.load(open(KERNELS), object_pairs_hook=OrderedDict)
        doc['cpus'] = out
        with open(KERNELS, 'w') as f:
            json.dump(doc, f, indent=1)
            f.write('\n')


if __name__ == '__main__':
    main()
