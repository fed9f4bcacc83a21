#!/usr/bin/env python3
"""The latency docs quote the data they describe (issue #15): fail when a
figure in docs/kernel-cost.md or docs/latency-model.md no longer matches
data/cost/ or the other document's generated section.

  * docs/kernel-cost.md's cycles-per-instruction table = data/cost/kernels.json "cpus"
    (to the 3 significant figures printed; a core cell "riscv32 (build `esp-idf`)"
    is the cpu of that build);
  * the TFLM + CMSIS-NN target lines of docs/kernel-cost.md's generated
    held-out section appear, word for word, in docs/latency-model.md's
    (tools/validate_latency.py --write-docs writes both in one run);
  * every chip of data/cost/flash.json is quoted in docs/latency-model.md as
    "<chip> at <clock> MHz: <wait states> / <access bytes>".

Usage: check_docs_data.py REPO_ROOT. Python 3 standard library only.
"""
import json
import os
import re
import sys


def section(text, name):
    b, e = "<!-- %s:begin -->" % name, "<!-- %s:end -->" % name
    if b not in text or e not in text:
        return None
    return text[text.index(b) + len(b):text.index(e)]


def main():
    root = sys.argv[1]
    kdoc = open(os.path.join(root, "docs", "kernel-cost.md")).read()
    ldoc = open(os.path.join(root, "docs", "latency-model.md")).read()
    kernels = json.load(open(os.path.join(root, "data", "cost", "kernels.json")))
    flash = json.load(open(os.path.join(root, "data", "cost", "flash.json")))
    bad = []

    cpi = {(c["runtime"], c["core"], c.get("build")): c["cycles_per_instruction"]
           for c in kernels["cpus"]}
    head = "| runtime | core | cycles/instruction | fitted on |"
    table = kdoc[kdoc.index(head):].split("\n\n")[0] if head in kdoc else ""
    rows = re.findall(r"^\| (tflm(?:-cmsis-nn|-esp-nn)?(?:, tflm)?) \| ([a-z0-9, -]+(?: \(build `[a-z0-9-]+`\))?) \| ([0-9.]+) \|",
                      table, re.M)
    if not rows:
        bad.append("docs/kernel-cost.md: no cycles/instruction table rows found")
    for rts, cores, val in rows:
        m = re.match(r"(.*) \(build `([a-z0-9-]+)`\)$", cores)
        cores, build = (m.group(1), m.group(2)) if m else (cores, None)
        for rt in [r.strip() for r in rts.split(",")]:
            for core in [c.strip() for c in cores.split(",")]:
                want = cpi.get((rt, core, build))
                if want is None:
                    bad.append("docs/kernel-cost.md: %s %s %s: no such CPU in kernels.json" % (rt, core, val))
                elif "%.3g" % want != "%.3g" % float(val):
                    bad.append("docs/kernel-cost.md: %s %s: %s cycles/instruction, kernels.json has %.4g"
                               % (rt, core, val, want))

    kh, lh = section(kdoc, "kernel-heldout"), section(ldoc, "heldout")
    if kh is None or lh is None:
        bad.append("docs: a generated held-out section is missing")
    else:
        lines = [l for l in kh.splitlines() if l.startswith("- ")]
        if not lines:
            bad.append("docs/kernel-cost.md: the held-out section has no target line")
        for l in lines:
            if l not in lh.splitlines():
                bad.append("docs/kernel-cost.md's held-out line is not in docs/latency-model.md's "
                           "(regenerate both with tools/validate_latency.py --write-docs): " + l)

    for c in flash["chips"]:
        quote = "%s at %g MHz: %g / %g" % (c["match"], c["clock_mhz"], c["wait_states"], c["access_bytes"])
        if quote not in " ".join(ldoc.split()):
            bad.append("docs/latency-model.md does not quote data/cost/flash.json: '%s'" % quote)

    for b in bad:
        print(b, file=sys.stderr)
    print("%d problems" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
