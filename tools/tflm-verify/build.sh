#!/usr/bin/env bash
# Build the part of TFLM that verify.cc needs, from a checkout prepared with
# setup.sh: TFLM's library sources (its Makefile's list_library_sources)
# minus the kernels verify.cc does not register, compiled with the
# Makefile's defines (TF_LITE_STATIC_MEMORY, TF_LITE_DISABLE_X86_NEON,
# TF_LITE_USE_CTIME, NDEBUG, TF_LITE_STRIP_ERROR_STRINGS) at -O1 (arena
# sizes and kernel results do not depend on the optimisation level; a
# loaded 2-core machine builds this in minutes, the whole library in an
# hour), into an archive, and links verify.cc against it. Prints the
# verifier's path.
#
# TARGET=host (default): g++, the host's word size (x86-64: 8-byte pointers).
# TARGET=arm32: arm-none-eabi-g++ (Debian's gcc-arm-none-eabi with newlib,
#   the Cortex-M structure layout: 4-byte pointers, AAPCS, short enums, as
#   ../shared/models/TFLM-TRUTH.md was measured), Thumb-2 ARMv7-A with a
#   hardware FPU so that qemu-arm (Debian's qemu-user) runs it; newlib's
#   rdimon (semihosting) gives it files and argv. OUTDIR/tflm_verify is
#   then a script that runs OUTDIR/tflm_verify.elf under qemu-arm.
# usage: [TARGET=arm32] build.sh TFLM OUTDIR
set -euo pipefail
tflm=$(cd "$1" && pwd); out=$(mkdir -p "$2" && cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
dl=$tflm/tensorflow/lite/micro/tools/make/downloads
srcs=$(cd "$tflm" && PATH=/usr/bin:/bin:$PATH make -s -f tensorflow/lite/micro/tools/make/Makefile \
  list_library_sources 2>/dev/null | tr ' ' '\n' | grep '\.cc$')
# the kernels verify.cc registers (AddOps) and the files they share
keep='/(kernel_util|micro_tensor_utils|((add|pooling|concatenation|conv|depthwise_conv|dequantize|fully_connected|logistic|reduce|mul|pad|quantize|activations|reshape|softmax|squeeze|strided_slice|sub|tanh|expand_dims|leaky_relu|hard_swish|transpose|cast|div|maximum_minimum|svdf|transpose_conv|unidirectional_sequence_lstm|lstm_eval)(_common)?))\.cc$'
# the Signal library's kernels verify.cc registers (the audio front end)
signal_skip='/(delay|framer|irfft|overlap_add|stacker)\.cc$'
case ${TARGET:-host} in
  host) cxx=g++; arch="-DTF_LITE_DISABLE_X86_NEON"; link="" ;;
  arm32) cxx=arm-none-eabi-g++; arch="-mthumb -march=armv7-a+fp -mfloat-abi=hard"
         link="--specs=rdimon.specs" ;;
  *) echo "TARGET must be host or arm32" >&2; exit 2 ;;
esac
flags="-std=c++17 ${OPT:--O1} -fno-rtti -fno-exceptions -DTF_LITE_STATIC_MEMORY $arch"
flags="$flags -DTF_LITE_USE_CTIME -DNDEBUG -DTF_LITE_STRIP_ERROR_STRINGS -I$tflm -I$dl"
flags="$flags -I$dl/flatbuffers/include -I$dl/gemmlowp -I$dl/ruy -I$dl/kissfft"
for s in $srcs; do
  case $s in
    signal/micro/kernels/*) echo "$s" | grep -Eq "$signal_skip" && continue ;;
    tensorflow/lite/micro/kernels/*) echo "$s" | grep -Eq "$keep" || continue ;;
    *test_helper*|*mock_micro_graph*|*fake_micro_context*) continue ;;
  esac
  [ -e "$out/obj/$s.o" ] || echo "$s"
done | xargs -r -P"${JOBS:-2}" -I{} sh -c "mkdir -p \"\$(dirname '$out/obj/{}')\" && $cxx $flags -c '$tflm/{}' -o '$out/obj/{}.o'" >&2
# an archive: the linker takes only the objects verify.cc needs
rm -f "$out/libtflm.a"
find "$out/obj" -name '*.o' | sort | xargs ${cxx%g++}ar qc "$out/libtflm.a"
if [ "${TARGET:-host}" = arm32 ]; then
  $cxx $flags "$here/verify.cc" "$out/libtflm.a" $link -o "$out/tflm_verify.elf"
  printf '#!/bin/sh\nexec qemu-arm "%s" "$@"\n' "$out/tflm_verify.elf" >"$out/tflm_verify"
  chmod +x "$out/tflm_verify"
else
  $cxx $flags "$here/verify.cc" "$out/libtflm.a" -o "$out/tflm_verify"
fi
echo "$out/tflm_verify"
