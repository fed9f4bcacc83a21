#!/usr/bin/env bash
# Run one golden CLI case: run_case.sh TINYFIT CASE_DIR SOURCE_DIR
#
# CASE_DIR/cmd      the arguments, one shell line (run from SOURCE_DIR, so
#                   paths in it and in messages are relative to the repo)
# CASE_DIR/sh       instead of cmd: a bash script run with $TINYFIT set to the
#                   executable and $TFIT_TMP to a scratch directory
# CASE_DIR/stdout   expected standard output
# CASE_DIR/stderr   expected standard error (absent = must be empty)
# CASE_DIR/exit     expected exit code (absent = 0)
# CASE_DIR/stdin    optional standard input
# CASE_DIR/needs-shared  present: skip (exit 77) when ../shared is missing
#
# UPDATE_GOLDEN=1 rewrites stdout/stderr/exit from the actual run.
# TFIT_GOLDEN_WRAPPER="valgrind --error-exitcode=99 ..." runs every tinyfit
# of the case under that command (ctest -L valgrind); its own messages go to
# a log that is printed when the case fails, so the expected output is the
# same.
set -u
tinyfit=$1
case_dir=$2
src=$3
cd "$src" || exit 2
if [ -e "$case_dir/needs-shared" ] && [ ! -d "$src/../shared/models" ]; then
  echo "skipped: ../shared is not present"
  exit 77
fi
tmp=$(mktemp -d)
wrap=
trap 'rm -rf "$tmp" ${wrap:+"$wrap"}' EXIT
if [ -n "${TFIT_GOLDEN_WRAPPER:-}" ]; then
  # a stand-in executable, so that sh cases calling $TINYFIT are wrapped too
  wrap=$(mktemp -d)
  printf '#!/bin/sh\nexec %s --log-file=%s/wrapper.%%p.log "%s" "$@"\n' \
    "$TFIT_GOLDEN_WRAPPER" "$wrap" "$tinyfit" >"$wrap/tinyfit"
  chmod +x "$wrap/tinyfit"
  tinyfit=$wrap/tinyfit
fi
stdin=/dev/null
[ -e "$case_dir/stdin" ] && stdin=$case_dir/stdin
# A fixed environment: no colour, fixed width, no user device directories.
if [ -e "$case_dir/sh" ]; then
  env -u TINYFIT_DEVICES NO_COLOR=1 COLUMNS=100 LC_ALL=C TFIT_TMP="$tmp" TINYFIT="$tinyfit" \
    bash "$case_dir/sh" <"$stdin" >"$tmp/stdout" 2>"$tmp/stderr"
else
  env -u TINYFIT_DEVICES NO_COLOR=1 COLUMNS=100 LC_ALL=C TFIT_TMP="$tmp" \
    bash -c "exec \"$tinyfit\" $(cat "$case_dir/cmd")" <"$stdin" >"$tmp/stdout" 2>"$tmp/stderr"
fi
code=$?
echo "$code" >"$tmp/exit"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$tmp/stdout" "$case_dir/stdout"
  if [ -s "$tmp/stderr" ]; then cp "$tmp/stderr" "$case_dir/stderr"; else rm -f "$case_dir/stderr"; fi
  if [ "$code" != 0 ]; then cp "$tmp/exit" "$case_dir/exit"; else rm -f "$case_dir/exit"; fi
  echo "updated $case_dir"
  exit 0
fi
fail=0
want_exit=0
[ -e "$case_dir/exit" ] && want_exit=$(cat "$case_dir/exit")
if [ "$code" != "$want_exit" ]; then
  echo "exit code: got $code, expected $want_exit"
  fail=1
fi
if ! diff -u "$case_dir/stdout" "$tmp/stdout"; then
  echo "stdout differs (above: expected vs actual)"
  fail=1
fi
if [ -e "$case_dir/stderr" ]; then
  if ! diff -u "$case_dir/stderr" "$tmp/stderr"; then echo "stderr differs"; fail=1; fi
elif [ -s "$tmp/stderr" ]; then
  echo "unexpected stderr:"; cat "$tmp/stderr"; fail=1
fi
if [ "$fail" != 0 ] && [ -n "$wrap" ]; then
  for log in "$wrap"/wrapper.*.log; do [ -s "$log" ] && cat "$log"; done
fi
exit $fail
