"""build_rv32.py - compile the harnesses, ESP-NN's generic kernels and TFLM's
reference kernels for RV32IMC (the ESP32-C3's ISA) with Debian's
gcc-riscv64-unknown-elf, linked with picolibc's C library into one bare
image for emu_rv32.py.

Flags: -march=rv32imc -mabi=ilp32 (ESP-IDF's for the ESP32-C3, less its
zicsr/zifencei, which the kernels do not use); -O2 as ESP-NN's
CMakeLists.txt sets for its sources and as TFLM's Makefile
(KERNEL_OPTIMIZATION_LEVEL) sets for the kernels. ESP-NN is built as for a
target without S3/P4 assembly: its CMakeLists.txt's common source list (the
_ansi and _opt C files), which is what esp_nn_generic_opt.h maps to.

ESP-IDF builds TFLM differently: espressif/esp-tflite-micro's CMakeLists.txt
(@99f49e1, and components/tflite-lib/CMakeLists.txt @7b68078, the commit of
the README's performance table) compiles the whole component, reference
kernels included, with -O3 and no -DNDEBUG; ESP-IDF adds -DNDEBUG only with
CONFIG_COMPILER_OPTIMIZATION_ASSERTIONS_DISABLE (not the default). build()
with asserts=True, opt='-O3' is that build (measure_rv32.py --esp-idf)."""
import glob
import os
from concurrent.futures import ThreadPoolExecutor

from build import run, stale

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = 'riscv64-unknown-elf-'
PICOLIBC = '/usr/lib/picolibc/riscv64-unknown-elf'
# riscv32: the ESP32-C3's RV32IMC; riscv32-pie: the ESP32-P4's HP core,
# RV32IMAFC (ESP-IDF's toolchain-esp32p4.cmake adds zicsr, zifencei and
# Espressif's xesppie, which only ESP-NN's P4 assembly and intrinsics use:
# the compiler does not generate PIE instructions from C)
CORE_FLAGS = {'riscv32': ['-march=rv32imc', '-mabi=ilp32'],
              'riscv32-pie': ['-march=rv32imafc', '-mabi=ilp32f']}
# picolibc's multilib directory of each core's flags
LIBDIR = {'riscv32': ('rv32im', 'ilp32'), 'riscv32-pie': ('rv32imafc', 'ilp32f')}
COMMON = ['-O2', '-ffunction-sections', '-fdata-sections', '-fno-common', '-DNDEBUG']
# ESP-NN's CMakeLists.txt: the sources every target builds (the generic kernels)
ESPNN_SOURCES = (
    'src/activation_functions/esp_nn_relu_ansi.c', 'src/basic_math/esp_nn_add_ansi.c',
    'src/basic_math/esp_nn_mul_ansi.c', 'src/convolution/esp_nn_conv_ansi.c',
    'src/convolution/esp_nn_conv_opt.c', 'src/convolution/esp_nn_depthwise_conv_ansi.c',
    'src/convolution/esp_nn_depthwise_conv_opt.c',
    'src/fully_connected/esp_nn_fully_connected_ansi.c', 'src/softmax/esp_nn_softmax_ansi.c',
    'src/softmax/esp_nn_softmax_opt.c', 'src/pooling/esp_nn_avg_pool_ansi.c',
    'src/pooling/esp_nn_max_pool_ansi.c')


def flags_for(core, asserts=False, opt='-O2'):
    """the compiler flags of a build (without -DNDEBUG when asserts; opt
    replaces -O2)"""
    return CORE_FLAGS[core] + [opt if f == '-O2' else f for f in COMMON
                               if not (asserts and f == '-DNDEBUG')]


def build(core, tflm, esp_nn, gemmlowp, work, asserts=False, opt='-O2'):
    """asserts: build without -DNDEBUG, as ESP-IDF does by default
    (CONFIG_COMPILER_OPTIMIZATION_ASSERTION_LEVEL: assertions enabled), which
    leaves TFLM's TFLITE_DCHECKs (kernels/op_macros.h) in the reference
    kernels; opt: the optimisation level ('-O3': esp-tflite-micro's)"""
    out = os.path.join(work, core + ('-asserts' if asserts else '') +
                       ('' if opt == '-O2' else opt))
    os.makedirs(out, exist_ok=True)
    flags = flags_for(core, asserts, opt)
    libc_inc = ['-isystem', os.path.join(PICOLIBC, 'include')]
    inc = ['-I' + HERE, '-I' + os.path.join(esp_nn, 'include'),
           '-I' + os.path.join(esp_nn, 'src', 'common')] + libc_inc
    jobs = []
    for src in ESPNN_SOURCES:
        obj = os.path.join(out, 'nn_' + os.path.basename(src)[:-2] + '.o')
        jobs.append([TOOLS + 'gcc'] + flags + inc + ['-c', os.path.join(esp_nn, src), '-o', obj])
    jobs.append([TOOLS + 'gcc'] + flags + inc +
                ['-c', os.path.join(HERE, 'harness_espnn.c'), '-o',
                 os.path.join(out, 'harness_espnn.o')])
    # Debian ships no libstdc++ for riscv64-unknown-elf: the reference
    # kernels take the host's libstdc++ 12 headers (<algorithm>, <limits>,
    # <cmath>: templates only, no library code is linked), with a features.h
    # shim for their glibc test, over picolibc's C headers.
    shim = os.path.join(out, 'shim')
    os.makedirs(shim, exist_ok=True)
    with open(os.path.join(shim, 'features.h'), 'w') as f:
        f.write('#define __GLIBC_PREREQ(maj, min) 0\n')
    cxx = [TOOLS + 'g++', '-std=c++17', '-fno-exceptions', '-fno-rtti',
           '-fno-threadsafe-statics', '-DTF_LITE_STATIC_MEMORY'] + flags + [
        '-isystem', '/usr/include/c++/12', '-isystem', '/usr/include/x86_64-linux-gnu/c++/12',
        '-isystem', shim]
    jobs.append(cxx + ['-I' + HERE, '-I' + os.path.join(HERE, 'stub'), '-I' + tflm,
                       '-I' + gemmlowp] + libc_inc +
                ['-c', os.path.join(HERE, 'harness_ref.cc'), '-o',
                 os.path.join(out, 'harness_ref.o')])
    jobs.append(cxx + ['-I' + tflm, '-I' + gemmlowp] + libc_inc + [
        '-c', os.path.join(tflm, 'tensorflow/lite/kernels/internal/common.cc'), '-o',
        os.path.join(out, 'tflite_common.o')])

    with ThreadPoolExecutor(max_workers=2) as ex:
        list(ex.map(run, [j for j in jobs if stale(j)]))
    elf = os.path.join(out, 'kernels.elf')
    libdir = os.path.join(PICOLIBC, 'lib', *LIBDIR[core])
    run([TOOLS + 'g++'] + CORE_FLAGS[core] + [
        '-nostartfiles', '-nostdlib', '-T', os.path.join(HERE, 'link_rv32.ld'),
        '-Wl,--gc-sections', '-Wl,-e,kc_espnn_conv', '-o', elf] +
        sorted(glob.glob(os.path.join(out, '*.o'))) +
        [os.path.join(libdir, 'libc.a'), '-lgcc', os.path.join(libdir, 'libc.a')])
    return elf
