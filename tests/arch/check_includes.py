#!/usr/bin/env python3
"""The include rules of ARCHITECTURE.md, checked on every source file.

Each folder of src/ is a module, and each public header in include/tinyfit/
belongs to one module (HEADER_MODULE). A file may include:
  - public headers of its own module or of a module its module may use
    (USES, a layering without cycles);
  - private headers ("x.h" or "dir/x.h") of its own folder, or of util/;
  - <cJSON.h> only in the files listed in CJSON_FILES (cJSON stays at the
    edges: readers convert the tree into tinyfit structs, and the JSON
    renderer builds one).
Outside src/cli/ (and src/gen/, the build-time tools), no file may print to stdout/stderr, exit, or read the
environment (the core never prints, exits or reads the environment).

Usage: check_includes.py SOURCE_DIR. Prints every violation; exit 1 if any.
"""
import os
import re
import sys

# The layering: a module may use the modules listed (and, through them,
# nothing else). cli sits on top and may use everything.
USES = {
    "util": set(),
    "model": {"util"},
    "plan": {"util", "model"},
    "device": {"util"},
    "cost": {"util", "model", "plan", "device"},
    "quant": {"util", "model"},
    "fit": {"util", "model", "plan", "device", "cost"},
    "report": {"util", "model", "plan", "device", "cost", "fit", "quant"},
    # the engine: one library call per command (load, analyse, fill the
    # report data); it uses report for the plain report structs it fills,
    # never to render
    "engine": {"util", "model", "plan", "device", "cost", "quant", "fit", "report"},
    # build-time tools (tfit_datagen) and the data they compile in; the CLI
    # hands that data to the engine in its requests
    "gen": {"util", "model", "plan", "device", "cost"},
    "cli": {"util", "model", "plan", "device", "cost", "quant", "fit", "report", "engine", "gen"},
}

# Public headers by module (a new header must be added here: the test fails
# on an unknown one, so the layering is decided when the header is made).
HEADER_MODULE = {
    "checked.h": "util", "error.h": "util", "fileio.h": "util",
    "strbuf.h": "util", "units.h": "util",
    "graph.h": "model", "model_io.h": "model", "ops.h": "model",
    "op_list.h": "model",
    "plan.h": "plan", "runtime.h": "plan",
    "device.h": "device",
    "cost.h": "cost", "registry.h": "cost", "kernel_cost.h": "cost",
    "quant.h": "quant",
    "fit.h": "fit", "optimize.h": "fit",
    "report.h": "report", "table.h": "report", "quant_report.h": "report",
    "device_report.h": "report",
    "engine.h": "engine",
    "shipped.h": "gen",
}

CJSON_FILES = {
    "src/util/json_util.h", "src/util/json_util.c", "src/util/json_locate.c",
    "src/model/json_readers.h", "src/model/keras_internal.h",
    "src/report/json_out.h",
    "src/device/device_internal.h",  # the device-profile reader's own header
}

# Violations that exist today and are scheduled to go (each with its issue).
# A violation listed here that no longer occurs fails the test too, so the
# list can only shrink.
KNOWN_VIOLATIONS = set()  # empty: the device -> report cycle is gone (issue #16)

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
# Printing, exiting or reading the environment: only the CLI may.
CORE_FORBIDDEN = re.compile(
    r'\b(printf|puts|putchar|perror|exit|_Exit|abort|getenv|secure_getenv)\s*\(|'
    r'\b(stdout|stderr)\b')

# libm's functions, beyond what compilers expand inline (fabs, isnan,
# isfinite; floor and ceil are listed: clang 14 and gcc -O0 call libm's):
# tinyfit links libm --as-needed and does not load it
# (about 300 KiB of every process's RSS, bench/README.md); src/util/numeric.h
# has the few it needs.
LIBM_CALLS = re.compile(
    r'\b(acosh?|asinh?|atanh?|atan2|cbrt|ceil|cosh?|erfc?|exp2?|expm1|fdim|floor|fma|fmax|fmin|'
    r'fmod|frexp|hypot|ldexp|lgamma|log|log10|log1p|log2|logb|l?lround|l?lrint|modf|'
    r'nearbyint|nextafter|pow|remainder|rint|round|scalbn|sinh?|sqrt|tanh?|tgamma|'
    r'trunc)[fl]?\s*\(')


def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'), text, flags=re.S)
    text = re.sub(r'//[^\n]*', '', text)
    return re.sub(r'"(\\.|[^"\\\n])*"', '""', text)


def module_of(rel):
    parts = rel.split("/")
    if parts[0] == "src":
        return parts[1]
    if parts[0] == "include":
        return HEADER_MODULE.get(parts[-1])
    return None


def check_file(root, rel, problems, seen_known):
    mod = module_of(rel)
    if mod is None:
        problems.append(f"{rel}: public header not assigned to a module "
                        "(add it to HEADER_MODULE in tests/arch/check_includes.py)")
        return
    if mod not in USES:
        problems.append(f"{rel}: folder src/{mod}/ is not a known module (add it to USES)")
        return
    allowed = USES[mod] | {mod}
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        text = f.read()
    for n, line in enumerate(text.splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        kind, name = m.groups()
        if (rel, name) in KNOWN_VIOLATIONS:
            seen_known.add((rel, name))
            continue
        if kind == "<":
            if name == "cJSON.h" or name.endswith("/cJSON.h"):
                if rel not in CJSON_FILES:
                    problems.append(f"{rel}:{n}: includes cJSON.h outside the readers "
                                    "and the JSON renderer")
            continue
        if name.startswith("tinyfit/"):
            hmod = HEADER_MODULE.get(name[len("tinyfit/"):])
            if hmod is None:
                problems.append(f"{rel}:{n}: {name} is not assigned to a module")
            elif hmod not in allowed:
                problems.append(f"{rel}:{n}: module {mod} may not include {name} "
                                f"(module {hmod}; {mod} may use: "
                                f"{', '.join(sorted(USES[mod])) or 'nothing'})")
            continue
        if "/" in name:
            folder = name.split("/")[0]
            if folder not in (mod, "util"):
                problems.append(f"{rel}:{n}: includes the private header {name} of "
                                f"src/{folder}/ (only its own folder's and util's)")
    # src/gen/ holds build-time programs (their own main), which report
    # errors like the CLI does
    if rel.startswith("src/"):
        for n, line in enumerate(strip_comments(text).splitlines(), 1):
            m = LIBM_CALLS.search(line)
            if m:
                problems.append(f"{rel}:{n}: calls libm's {m.group(1)}() (use or extend "
                                "src/util/numeric.h: tinyfit does not load libm.so)")
    if mod not in ("cli", "gen") and rel.startswith("src/"):
        for n, line in enumerate(strip_comments(text).splitlines(), 1):
            m = CORE_FORBIDDEN.search(line)
            if m:
                problems.append(f"{rel}:{n}: the core may not print, exit or read the "
                                f"environment ({m.group(0).strip()})")


def main():
    root = sys.argv[1]
    problems = []
    files = []
    for top in ("src", "include/tinyfit"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if name.endswith((".c", ".h")):
                    files.append(os.path.relpath(os.path.join(dirpath, name), root))
    seen_known = set()
    for rel in sorted(files):
        check_file(root, rel, problems, seen_known)
    for rel, name in sorted(KNOWN_VIOLATIONS - seen_known):
        problems.append(f"{rel}: no longer includes {name}: remove it from KNOWN_VIOLATIONS")
    for p in problems:
        print(p)
    print(f"{len(files)} files checked, {len(problems)} include-rule violations "
          f"({len(KNOWN_VIOLATIONS)} known and scheduled: see KNOWN_VIOLATIONS)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
