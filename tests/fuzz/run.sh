#!/usr/bin/env bash
# Fuzz every harness for SECONDS each: run.sh SECONDS [HARNESS...]
#
# Builds the libFuzzer targets with clang (-DTFIT_FUZZ=ON) in their own
# build directory (build/fuzz/, or $TFIT_FUZZ_BUILD), then runs each harness
# in turn on a working copy of its checked-in corpus (tests/fuzz/corpus/<h>/
# is only read; new inputs go to the build directory). A finding stops with
# exit 1 and leaves crash-*/leak-*/timeout-* files in
# $build/findings/<h>/: reduce one, add it to corpus/<h>/ as a regression
# input, and fix the module that crashed. Exit 77 (with a message) when
# clang or libFuzzer is not available. $TFIT_FUZZ_JOBS harnesses run at
# once (default 1). Each run's log is $build/logs/<h>.log; the last lines
# give libFuzzer's stat::number_of_executed_units. $TFIT_FUZZ_TIMEOUT
# (seconds per input, default 10) and $TFIT_FUZZ_RSS_MB (default 2048) set
# libFuzzer's -timeout and -rss_limit_mb: on a machine shared with other
# work, a wall-clock timeout of 10 s under ASan can fire on an input that
# takes 0.1 s alone.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
secs=${1:?usage: run.sh SECONDS [HARNESS...]}
shift
build=${TFIT_FUZZ_BUILD:-$root/build/fuzz}
jobs=${TFIT_FUZZ_JOBS:-1}
timeout=${TFIT_FUZZ_TIMEOUT:-10}
rss_mb=${TFIT_FUZZ_RSS_MB:-2048}

if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz: skipped: clang is not installed" >&2
  exit 77
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\n%s\n' \
  'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' \
  >"$probe/p.c"
if ! clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
  echo "fuzz: skipped: clang cannot link libFuzzer (install libclang-rt-dev for your clang)" >&2
  exit 77
fi

if [ $# -eq 0 ]; then
  set -- $(cd "$here" && ls fuzz_*.c | sed -e 's/^fuzz_//' -e 's/\.c$//' | grep -v '^pipeline$')
fi
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DTFIT_FUZZ=ON -DTFIT_WERROR=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target $(printf 'fuzz_%s ' "$@") >/dev/null

# Leaks are findings; a slow input (over $timeout s) or more than $rss_mb MB of RSS too.
fuzz_one() {
  local h=$1 work="$build/corpus/$1" out="$build/findings/$1" log="$build/logs/$1.log"
  mkdir -p "$work" "$out" "$build/logs"
  local rc=0
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/tests/fuzz/fuzz_$h" -max_total_time="$secs" -timeout="$timeout" -rss_limit_mb="$rss_mb" \
      -print_final_stats=1 -artifact_prefix="$out/" "$work" "$here/corpus/$h" >"$log" 2>&1 || rc=$?
  echo "fuzz: $h: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo '?') executions in ${secs}s, exit $rc"
  return $rc
}

fail=0
running=0
for h in "$@"; do
  if [ "$running" -ge "$jobs" ]; then
    # start the next harness as soon as any one ends, not the oldest
    wait -n || fail=1
    running=$((running - 1))
  fi
  ( fuzz_one "$h" || { echo "fuzz: $h: FINDING, see $build/logs/$h.log" >&2; exit 1; } ) &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || fail=1
  running=$((running - 1))
done
exit $fail
