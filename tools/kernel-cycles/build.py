"""build.py - compile the harness, CMSIS-NN and TFLM's reference kernels for
one core with Debian's arm-none-eabi-gcc, TFLM's flags for that core and
optimisation levels (tensorflow/lite/micro/tools/make/Makefile:
KERNEL_OPTIMIZATION_LEVEL and THIRD_PARTY_KERNEL_OPTIMIZATION_LEVEL are -O2)."""
import glob
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = 'arm-none-eabi-'

# -mcpu/-mfpu/-mfloat-abi as TFLM's cortex_m_generic_makefile.inc sets them
# for TARGET_ARCH cortex-m0plus, cortex-m4+fp, cortex-m7+fp, cortex-m33.
CORE_FLAGS = {
    'cortex-m0plus': ['-mcpu=cortex-m0plus', '-mfloat-abi=soft'],
    'cortex-m4f': ['-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard'],
    'cortex-m7': ['-mcpu=cortex-m7', '-mfpu=fpv5-d16', '-mfloat-abi=hard'],
    'cortex-m33': ['-mcpu=cortex-m33', '-mfpu=fpv5-sp-d16', '-mfloat-abi=hard'],
    # TARGET_ARCH cortex-m55: FLOAT=hard, -mfpu=auto; __ARM_FEATURE_MVE 3, so
    # CMSIS-NN's arm_nn_math_types.h defines ARM_MATH_MVEI (Helium paths).
    # Debian's gcc 12.2 has no -mcpu=cortex-m85 (TFLM's cortex-m85 target):
    # the M85 executes the same Armv8.1-M + MVE code (measure_qemu.py).
    'cortex-m55': ['-mcpu=cortex-m55', '-mfpu=auto', '-mfloat-abi=hard'],
}
# cores measured on QEMU (measure_qemu.py) rather than Unicorn (no MVE there)
QEMU_CORES = ('cortex-m55',)
COMMON = ['-mthumb', '-O2', '-ffunction-sections', '-fdata-sections', '-fno-common',
          '-DNDEBUG']

# CMSIS-NN versions other than the one TFLM pins today (measure.py
# --cmsis-version): the source a calibration point's firmware ran, its
# compile-time differences from harness_cmsis.c's default calls, and where
# it comes from. Nothing of them is committed; --cmsis-nn names the NN folder
# of the exported tree, --cmsis-include the CMSIS Core and DSP headers the old
# arm_nnsupportfunctions.h includes.
CMSIS_VERSIONS = {
    'renesas-v0.7': {
        # arm_fully_connected_s8 with per-tensor quant params: that tree has no
        # arm_fully_connected_wrapper_s8, and its TFLM fully_connected.cc calls
        # arm_fully_connected_s8 directly
        'defines': ['-DKC_CMSIS_FC_S8'],
        'source': 'mlcommons/tiny_results_v0.7@64623f4 closed/renesas/code/EK_RA6M4/src/'
                  'tensorflow/lite/micro/tools/make/downloads/cmsis/CMSIS/NN (the CMSIS-NN '
                  'and TFLM kernels/ the EK-RA6M4 submission built; headers from '
                  'closed/renesas/code/EK_RA6M4/ra/arm/CMSIS_5/CMSIS/Core/Include and '
                  '.../downloads/cmsis/CMSIS/DSP/Include)',
    },
    'tf-v2.3.1': {
        # TensorFlow v2.3's kernels/cmsis-nn/*.cc with CMSIS_5 1150e71e (20 May
        # 2020): arm_convolve_wrapper_s8 with the ctx/params structs, the
        # flat-argument arm_depthwise_conv_s8_opt (multiplier 1) /
        # arm_depthwise_conv_s8, arm_fully_connected_s8, arm_avgpool_s8 and
        # arm_max_pool_s8_opt of before 27 May 2020
        'defines': ['-DKC_CMSIS_TF23'],
        # the per-Eval requantisation of that TensorFlow's cmsis-nn/*.cc
        # (harness_tf23.cc), compiled from the tree measure.py --tf names
        'eval_sources': ['tensorflow/lite/kernels/kernel_util.cc',
                         'tensorflow/lite/kernels/internal/quantization_util.cc'],
        'eval_source': 'eliberis/mcu-deployment-tutorial@3d91507 (TensorFlow v2.3.0 as its Mbed '
                       'project generation exports it; kernel_util.cc and quantization_util.cc '
                       'are identical to v2.3.1\'s in mlcommons/tiny_results_v0.5 '
                       'closed/PengChengLaboratory/code/kws)',
        'source': 'CMSIS_5 1150e71e (the CMSIS-NN TensorFlow v2.3 downloads) as exported by '
                  'TensorFlow v2.3.0\'s Mbed project generation: eliberis/mcu-deployment-'
                  'tutorial@3d91507 tensorflow/lite/micro/tools/make/downloads/cmsis/CMSIS/NN '
                  '(with TF\'s __SXTB16_RORn patch for Mbed OS; docs/kernel-cost.md); '
                  'headers: its .../downloads (cmsis/CMSIS/DSP/Include) and CMSIS_5 '
                  '1150e71e CMSIS/Core/Include',
    },
    'renesas-v1.2': {
        # CMSIS-NN V.12.4.0 (10 November 2023): arm_fully_connected_s8 with
        # per-tensor parameters, and the four-argument arm_vector_sum_s8 its
        # TFLM cmsis_nn/fully_connected.cc calls in Prepare
        'defines': ['-DKC_CMSIS_FC_S8', '-DKC_CMSIS_VSUM4'],
        'source': 'mlcommons/tiny_results_v1.2@cadb362 closed/Renesas/code/EK-RA8D1/src/'
                  'tflite-micro/cmsis_nn (CMSIS-NN V.12.4.0, the EK-RA8D1 submission\'s, '
                  'which it built with LLVM Embedded Toolchain 17)',
    },
}


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        raise SystemExit('build failed: %s\n%s' % (' '.join(cmd[:3] + cmd[-3:]), r.stderr[-3000:]))


def stale(cmd):
    """a compile command ('... -c SRC -o OBJ') whose object is missing or older
    than its source or harness.h"""
    obj, src = cmd[-1], cmd[-3]
    return not os.path.exists(obj) or os.path.getmtime(obj) < max(
        os.path.getmtime(src), os.path.getmtime(os.path.join(HERE, 'harness.h')))


def common(opt='-O2'):
    """COMMON with another optimisation level (measure.py --opt)"""
    return [opt if f == '-O2' else f for f in COMMON]


# The C compiler of CMSIS-NN and harness_cmsis.c (measure.py --cc): Debian's
# arm-none-eabi-gcc by default; clang (Debian's clang 14, its own arm_mve.h,
# newlib's headers) for submissions built with LLVM (the EK-RA8D1's LLVM
# Embedded Toolchain 17). TFLM's reference kernels and the link stay gcc's.
CC = {'gcc': [TOOLS + 'gcc'],
      'clang': ['clang', '--target=arm-none-eabi', '-isystem', '/usr/lib/arm-none-eabi/include']}


def cc_core_flags(cc, core):
    """CORE_FLAGS for cc: clang has no -mfpu=auto (-mcpu and the float ABI
    select the same FPU and MVE)"""
    return [f for f in CORE_FLAGS[core] if cc == 'gcc' or f != '-mfpu=auto']


def build(core, tflm, cmsis_nn, gemmlowp, work, opt='-O2', version=None, includes=(), cc='gcc',
          tf=None):
    """the image for core; version: a CMSIS_VERSIONS id (None: TFLM's pin),
    includes: extra header folders that version needs, cc: a CC key"""
    out = os.path.join(work, (core if opt == '-O2' else core + opt) +
                       ('-' + version if version else '') + ('-' + cc if cc != 'gcc' else ''))
    os.makedirs(out, exist_ok=True)
    flags = CORE_FLAGS[core] + common(opt)
    cflags = cc_core_flags(cc, core) + common(opt)
    inc = ['-I' + HERE, '-I' + os.path.join(cmsis_nn, 'Include')]
    if version:
        flags = flags + CMSIS_VERSIONS[version]['defines']
        cflags = cflags + CMSIS_VERSIONS[version]['defines']
        inc += ['-I' + os.path.abspath(d) for d in includes]
    jobs = []
    for src in sorted(glob.glob(os.path.join(cmsis_nn, 'Source', '*', '*.c'))):
        if src.endswith(('_f16.c', '_f32.c')):   # float kernels: not used by TFLM's int8 path
            continue
        obj = os.path.join(out, 'nn_' + os.path.basename(src)[:-2] + '.o')
        jobs.append(CC[cc] + cflags + inc + ['-c', src, '-o', obj])
    jobs.append(CC[cc] + cflags + inc +
                ['-c', os.path.join(HERE, 'harness_cmsis.c'), '-o',
                 os.path.join(out, 'harness_cmsis.o')])
    jobs.append([TOOLS + 'g++', '-std=c++17', '-fno-exceptions', '-fno-rtti',
                 '-fno-threadsafe-statics', '-DTF_LITE_STATIC_MEMORY'] + flags +
                ['-I' + HERE, '-I' + os.path.join(HERE, 'stub'), '-I' + tflm, '-I' + gemmlowp,
                 '-c', os.path.join(HERE, 'harness_ref.cc'), '-o',
                 os.path.join(out, 'harness_ref.o')])
    # MultiplyByQuantizedMultiplier and friends, which the reference kernels call
    jobs.append([TOOLS + 'g++', '-std=c++17', '-fno-exceptions', '-fno-rtti',
                 '-DTF_LITE_STATIC_MEMORY'] + flags +
                ['-I' + tflm, '-I' + gemmlowp, '-c',
                 os.path.join(tflm, 'tensorflow/lite/kernels/internal/common.cc'), '-o',
                 os.path.join(out, 'tflite_common.o')])
    if version and CMSIS_VERSIONS[version].get('eval_sources'):
        if not tf:
            raise SystemExit('--cmsis-version %s needs --tf (the TensorFlow tree whose '
                             'kernel wrappers it measures)' % version)
        # -Dtflite=kc_tf23: that TensorFlow's functions and inline templates
        # get their own namespace, apart from the pinned TFLM's in harness_ref.o
        tfflags = [TOOLS + 'g++', '-std=c++17', '-fno-exceptions', '-fno-rtti',
                   '-fno-threadsafe-statics', '-DTF_LITE_STATIC_MEMORY', '-Dtflite=kc_tf23'] + \
            flags + ['-I' + HERE, '-I' + tf]
        jobs.append(tfflags + ['-c', os.path.join(HERE, 'harness_tf23.cc'), '-o',
                               os.path.join(out, 'harness_tf23.o')])
        for src in CMSIS_VERSIONS[version]['eval_sources']:
            jobs.append(tfflags + ['-c', os.path.join(tf, src), '-o',
                                   os.path.join(out, 'tf23_' + os.path.basename(src)[:-3] + '.o')])
    with ThreadPoolExecutor(max_workers=2) as ex:
        list(ex.map(run, [j for j in jobs if stale(j)]))
    if core in QEMU_CORES:
        # the bare-metal driver for QEMU's mps3-an547 (qemu_main.c, link_qemu.ld)
        main_cmd = [TOOLS + 'gcc'] + flags + ['-I' + HERE, '-c',
                                               os.path.join(HERE, 'qemu_main.c'), '-o',
                                               os.path.join(out, 'qemu_main.o')]
        if stale(main_cmd):
            run(main_cmd)
        link, entry = 'link_qemu.ld', 'reset_handler'
    else:
        link, entry = 'link.ld', 'kc_cmsis_conv'
    objs = sorted(o for o in glob.glob(os.path.join(out, '*.o'))
                  if core in QEMU_CORES or not o.endswith('qemu_main.o'))
    elf = os.path.join(out, 'kernels.elf')
    run([TOOLS + 'g++'] + CORE_FLAGS[core] + ['-mthumb', '-nostartfiles', '-T',
         os.path.join(HERE, link), '-Wl,--gc-sections', '-Wl,-e,' + entry,
         '--specs=nano.specs', '--specs=nosys.specs', '-o', elf] + objs + ['-lm'])
    return elf
