#!/usr/bin/env python3
"""Validate JSON documents against one of tinyfit's JSON Schemas.

usage: validate.py SCHEMA FILE... [--expect-invalid]
A FILE of '-' reads standard input. Exits 0 when every document is valid
(or, with --expect-invalid, when every one is rejected), 1 otherwise, and
77 (ctest's "skipped") when the jsonschema module is not installed.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("skipped: python3-jsonschema is not installed")
    sys.exit(77)


def main(argv):
    expect_invalid = "--expect-invalid" in argv
    args = [a for a in argv if a != "--expect-invalid"]
    if len(args) < 2:
        print(__doc__)
        return 2
    with open(args[0]) as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    failed = 0
    for path in args[1:]:
        doc = json.load(sys.stdin if path == "-" else open(path))
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if expect_invalid and not errors:
            print(f"{path}: accepted, but it should be rejected")
            failed += 1
        elif not expect_invalid and errors:
            for e in errors[:5]:
                loc = "/".join(str(p) for p in e.path)
                print(f"{path}: {loc}: {e.message}")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
