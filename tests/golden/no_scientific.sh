#!/usr/bin/env bash
# No scientific notation in any report but JSON (issue #14): every expected
# stdout of tests/golden that is not a JSON document must be free of
# printf %g exponents such as 6.94e-07 or 1.927e+04 (tfit_units_format_sig
# prints fixed decimals instead). Lines starting "== " (the commands an sh
# case echoes) and error messages quoting the user's input (--efficiency
# 4.9e-324) are not report text.
# usage: no_scientific.sh GOLDEN_DIR
set -u
dir=$1
fail=0
n=0
for f in "$dir"/*/stdout; do
  first=$(grep -m1 -o '[^[:space:]]' "$f" || true)
  [ "$first" = "{" ] || [ "$first" = "[" ] && continue
  n=$((n + 1))
  if grep -nE '[0-9]\.?[0-9]*e[-+][0-9]' "$f" | grep -v -e '^[0-9]*:== ' -e ': error: ' | grep -q .; then
    echo "$f: scientific notation:"
    grep -nE '[0-9]\.?[0-9]*e[-+][0-9]' "$f" | grep -v -e '^[0-9]*:== ' -e ': error: ' | head -5
    fail=1
  fi
done
echo "checked $n non-JSON golden outputs"
exit $fail
