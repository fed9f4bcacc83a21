#!/usr/bin/env bash
# Build tinyfit and run the whole test suite (ctest): once with gcc and
# warnings as errors, once with clang and warnings as errors, once with gcc
# at Release (-O3, where gcc's -Wformat-truncation and other flow-based
# warnings see more) with warnings as errors, and with AddressSanitizer +
# UndefinedBehaviorSanitizer twice, with gcc and with clang (their UBSans
# check different things: clang's reports NULL + 0, -fsanitize=pointer-
# overflow, which gcc 12's does not; d29105d); then the golden tests of
# the gcc build under valgrind memcheck (ctest -L valgrind), and each fuzz
# harness for $TFIT_CI_FUZZ_SECONDS (default 20) seconds with clang's
# libFuzzer (tests/fuzz/run.sh). The valgrind and fuzz passes are skipped,
# with a message, when valgrind or libFuzzer is not installed. Works from any
# directory and when run again. Tests that need ../shared/ (real models and
# reference data beside the checkout) are reported as skipped when it is
# absent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
jobs="$(nproc)"

run() { # name, cmake options...
  local name=$1; shift
  echo "== tinyfit tests: $name"
  cmake -S "$root" -B "$root/build/$name" "$@" >/dev/null
  cmake --build "$root/build/$name" -j"$jobs" >/dev/null
  ctest --test-dir "$root/build/$name" --output-on-failure -j"$jobs" -LE valgrind
}

run gcc-werror -DCMAKE_C_COMPILER=gcc -DTFIT_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
run clang-werror -DCMAKE_C_COMPILER=clang -DTFIT_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
run gcc-release -DCMAKE_C_COMPILER=gcc -DTFIT_WERROR=ON -DCMAKE_BUILD_TYPE=Release
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run asan-ubsan -DCMAKE_C_COMPILER=gcc -DTFIT_SANITIZE=ON -DTFIT_WERROR=ON -DCMAKE_BUILD_TYPE=Debug
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run clang-asan-ubsan -DCMAKE_C_COMPILER=clang -DTFIT_SANITIZE=ON -DTFIT_WERROR=ON \
  -DCMAKE_BUILD_TYPE=Debug
echo "== tinyfit tests: golden tests under valgrind (gcc-werror build)"
if command -v valgrind >/dev/null 2>&1; then
  ctest --test-dir "$root/build/gcc-werror" --output-on-failure -j"$jobs" -L valgrind
else
  echo "skipped: valgrind is not installed"
fi
fuzz_secs=${TFIT_CI_FUZZ_SECONDS:-20}
echo "== tinyfit tests: fuzzing each harness for ${fuzz_secs}s (clang, libFuzzer)"
fuzz_rc=0
TFIT_FUZZ_BUILD="$root/build/fuzz" TFIT_FUZZ_JOBS="$jobs" \
  bash "$root/tests/fuzz/run.sh" "$fuzz_secs" || fuzz_rc=$?
if [ "$fuzz_rc" = 77 ]; then
  echo "skipped: libFuzzer is not available"
elif [ "$fuzz_rc" != 0 ]; then
  echo "fuzzing found a crash (see above)" >&2
  exit 1
fi
echo "== tinyfit tests: all passed"
