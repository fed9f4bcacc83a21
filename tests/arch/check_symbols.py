#!/usr/bin/env python3
"""One naming prefix: every global symbol tinyfit defines starts with tfit_.

Runs nm on the linked executable (the core library is linked into it
statically) and lists each defined global symbol that does not start with
tfit_, apart from what the C runtime and the linker define (names starting
with '_', main, data_start) and the prefixes in KNOWN_PREFIXES.

KNOWN_PREFIXES is empty: the internal helpers of src/model/ that carried a
short prefix of their own (fb_, keras_, lower_, tfl_) are tfit_fb_*,
tfit_keras_*, tfit_lower_* and tfit_tfl_* now, or static (issue #16). A
prefix listed that no longer occurs fails the test too, so the list can
only shrink; do not add to it.

A sanitizer build made by clang links the sanitizer runtimes into the
executable statically (gcc links libasan.so), which defines hundreds of
globals (accept, calloc, ...) that are not tinyfit's; that build passes
--objects and the core library and the CLI's object files instead of the
executable (tests/CMakeLists.txt).

Usage: check_symbols.py TINYFIT_EXECUTABLE [NM], or
check_symbols.py --objects NM FILE... (archives or object files).
Exit 1 on a violation.
"""
import subprocess
import sys

KNOWN_PREFIXES = ()
RUNTIME = {"main", "data_start"}


def main():
    if sys.argv[1] == "--objects":
        nm, files = sys.argv[2], sys.argv[3:]
    else:
        files = [sys.argv[1]]
        nm = sys.argv[2] if len(sys.argv) > 2 else "nm"
    out = subprocess.run([nm, "-g", "--defined-only", *files], check=True,
                         capture_output=True, text=True).stdout
    # an archive's or several files' listing names each member ("x.c.o:")
    names = sorted({line.split()[-1] for line in out.splitlines()
                    if line.strip() and not line.rstrip().endswith(":")})
    problems = []
    seen = set()
    for name in names:
        if name.startswith("tfit_") or name.startswith("_") or name in RUNTIME or "@" in name:
            continue
        known = [p for p in KNOWN_PREFIXES if name.startswith(p)]
        if known:
            seen.add(known[0])
            continue
        problems.append(f"{name}: a global symbol without the tfit_ prefix "
                        "(make it static, or name it tfit_<module>_<verb>)")
    for p in KNOWN_PREFIXES:
        if p not in seen:
            problems.append(f"no symbol starts with {p} any more: remove it from KNOWN_PREFIXES")
    for p in problems:
        print(p)
    print(f"{len(names)} global symbols checked, {len(problems)} naming violations")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
