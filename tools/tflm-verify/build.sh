#!/usr/bin/env bash
# Build the part of TFLM that verify.cc needs, on the host (x86-64), from a
# checkout prepared with setup.sh: TFLM's library sources (its Makefile's
# list_library_sources) minus the kernels verify.cc does not register,
# compiled with the Makefile's defines (TF_LITE_STATIC_MEMORY,
# TF_LITE_DISABLE_X86_NEON, TF_LITE_USE_CTIME, NDEBUG,
# TF_LITE_STRIP_ERROR_STRINGS) at -O1 (arena sizes and kernel results do not
# depend on the optimisation level; a loaded 2-core machine builds this in
# minutes, the whole library in an hour). Prints the verifier's path.
# usage: build.sh TFLM OUTDIR
set -euo pipefail
tflm=$(cd "$1" && pwd); out=$(mkdir -p "$2" && cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
dl=$tflm/tensorflow/lite/micro/tools/make/downloads
srcs=$(cd "$tflm" && PATH=/usr/bin:/bin:$PATH make -s -f tensorflow/lite/micro/tools/make/Makefile \
  list_library_sources 2>/dev/null | tr ' ' '\n' | grep '\.cc$')
# the kernels verify.cc registers (AddOps) and the files they share
keep='/(kernel_util|micro_tensor_utils|((add|pooling|concatenation|conv|depthwise_conv|dequantize|fully_connected|logistic|reduce|mul|pad|quantize|activations|reshape|softmax|squeeze|strided_slice|sub|tanh|expand_dims|leaky_relu|hard_swish|transpose)(_common)?))\.cc$'
flags="-std=c++17 ${OPT:--O1} -fno-rtti -fno-exceptions -DTF_LITE_STATIC_MEMORY -DTF_LITE_DISABLE_X86_NEON"
flags="$flags -DTF_LITE_USE_CTIME -DNDEBUG -DTF_LITE_STRIP_ERROR_STRINGS -I$tflm -I$dl"
flags="$flags -I$dl/flatbuffers/include -I$dl/gemmlowp -I$dl/ruy -I$dl/kissfft"
for s in $srcs; do
  case $s in
    *micro/kernels/*) echo "$s" | grep -Eq "$keep" || continue ;;
    signal/*|*test_helper*|*mock_micro_graph*|*fake_micro_context*) continue ;;
  esac
  [ -e "$out/obj/$s.o" ] || echo "$s"
done | xargs -r -P"${JOBS:-2}" -I{} sh -c "mkdir -p \"\$(dirname '$out/obj/{}')\" && g++ $flags -c '$tflm/{}' -o '$out/obj/{}.o'" >&2
# an archive: the linker takes only the objects verify.cc needs
rm -f "$out/libtflm_host.a"
find "$out/obj" -name '*.o' | sort | xargs ar qc "$out/libtflm_host.a"
g++ $flags "$here/verify.cc" "$out/libtflm_host.a" -o "$out/tflm_verify"
echo "$out/tflm_verify"
