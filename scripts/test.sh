#!/usr/bin/env bash
# Build tinyfit and run the whole test suite (ctest): once with gcc and
# warnings as errors, once with clang and warnings as errors, and once with
# AddressSanitizer + UndefinedBehaviorSanitizer. Works from any directory and
# when run again. Tests that need ../shared/ (real models and reference data
# beside the checkout) are reported as skipped when it is absent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
jobs="$(nproc)"

run() { # name, cmake options...
  local name=$1; shift
  echo "== tinyfit tests: $name"
  cmake -S "$root" -B "$root/build/$name" "$@" >/dev/null
  cmake --build "$root/build/$name" -j"$jobs" >/dev/null
  ctest --test-dir "$root/build/$name" --output-on-failure -j"$jobs"
}

run gcc-werror -DCMAKE_C_COMPILER=gcc -DTFIT_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
run clang-werror -DCMAKE_C_COMPILER=clang -DTFIT_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run asan-ubsan -DCMAKE_C_COMPILER=gcc -DTFIT_SANITIZE=ON -DTFIT_WERROR=ON -DCMAKE_BUILD_TYPE=Debug
echo "== tinyfit tests: all passed"
