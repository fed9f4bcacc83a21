#!/usr/bin/env python3
"""README's examples are what the binary prints (issue #14).

    check_readme.py TINYFIT SOURCE_DIR [--update]

Every fenced block that follows a `<!-- example -->` line in README.md is a
shell transcript: lines starting with "$ " are commands (`tinyfit ARGS`,
run from the source directory with standard error merged into standard
output, as a terminal shows them, at the full width a pipe gets; or
`echo $?`, the exit code of the command before), the other lines are its
output. A line "..." stands for any number of output lines. The test fails
on any difference; --update rewrites the blocks from the real output,
keeping each block's shape (the lines shown around every "...").
"""
import os
import shlex
import subprocess
import sys

MARK = "<!-- example -->"


def run_block(tinyfit, src, block):
    """[(command line, expected lines, actual lines)] for one transcript."""
    steps, cur = [], None
    for line in block:
        if line.startswith("$ "):
            cur = [line, []]
            steps.append(cur)
        elif cur is None:
            raise SystemExit("README example block does not start with '$ ': %r" % line)
        else:
            cur[1].append(line)
    env = dict(os.environ, NO_COLOR="1", LC_ALL="C")
    env.pop("TINYFIT_DEVICES", None)
    env.pop("COLUMNS", None)
    out, last = [], 0
    for cmd, expected in steps:
        argv = shlex.split(cmd[2:])
        if argv[:1] == ["echo"] and argv[1:] == ["$?"]:
            actual = [str(last)]
        elif argv[:1] == ["tinyfit"]:
            p = subprocess.run([tinyfit] + argv[1:], cwd=src, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            last = p.returncode
            actual = p.stdout.decode("utf-8").split("\n")
            if actual and actual[-1] == "":
                actual.pop()
        else:
            raise SystemExit("README example: unsupported command %r" % cmd)
        out.append((cmd, expected, actual))
    return out


def segments(expected):
    """Split expected lines at "..." lines: (segments, starts with ..., ends with ...)."""
    segs, cur = [], []
    for line in expected:
        if line == "...":
            segs.append(cur)
            cur = []
        else:
            cur.append(line)
    segs.append(cur)
    return segs


def anchor(line):
    """The part of a line that finds it again after the numbers change: its
    first 6 characters ("  SRAM", "│ 12 │")."""
    return line[:6]


def fit(expected, actual, update):
    """Match expected (with "..." gaps) against actual; returns (ok, regenerated lines)."""
    segs = segments(expected)
    if len(segs) == 1:
        return expected == actual, list(actual)
    new, pos = [], 0
    ok = True
    for k, seg in enumerate(segs):
        last = k == len(segs) - 1
        if k == 0:
            got = actual[:len(seg)]
            at = len(seg)
        elif last:
            got = actual[len(actual) - len(seg):] if seg else []
            at = len(actual)
            if len(actual) - len(seg) < pos:
                ok = False
        else:
            at = None
            for i in range(pos, len(actual) - len(seg) + 1):
                if actual[i:i + len(seg)] == seg or (update and seg and
                                                     actual[i].startswith(anchor(seg[0]))):
                    at = i
                    break
            if at is None:
                return False, expected
            got = actual[at:at + len(seg)]
            at += len(seg)
        if got != seg:
            ok = False
        if k > 0:
            new.append("...")
        new.extend(got)
        pos = at
    return ok, new


def main():
    tinyfit, src = sys.argv[1], sys.argv[2]
    update = "--update" in sys.argv[3:]
    path = os.path.join(src, "README.md")
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i, fail, n = [], 0, 0, 0
    while i < len(lines):
        out.append(lines[i])
        if lines[i].strip() == MARK and i + 1 < len(lines) and lines[i + 1].startswith("```"):
            out.append(lines[i + 1])
            j = i + 2
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            block = lines[i + 2:j]
            n += 1
            for cmd, expected, actual in run_block(tinyfit, src, block):
                ok, new = fit(expected, actual, update)
                out.append(cmd)
                out.extend(new if update else expected)
                if not ok:
                    fail = 1
                    print("README.md: `%s` differs from the binary's output:" % cmd[2:])
                    print("  expected:\n    " + "\n    ".join(expected))
                    print("  actual:\n    " + "\n    ".join(new))
                else:
                    print("ok: %s" % cmd[2:])
            i = j
            continue
        i += 1
    if n == 0:
        print("README.md has no '%s' blocks" % MARK)
        return 1
    if update:
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(out))
        print("updated %d example blocks" % n)
        return 0
    return fail


if __name__ == "__main__":
    sys.exit(main())
