"""What the end-to-end scripts of the pydest command share: each script
holds cases (one meson test each), lists them with --list and runs one:

    script.py PATH/TO/pydest --list
    script.py PATH/TO/pydest CASE

A case raises Failure (exit 1) or Skip (exit 77, meson's "skipped").
"""

import os
import sys

# The pydest binary under test, set by main().
PYDEST = None


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def check(cond, what, *context):
    """Fails with `what` and the context (each cut to 3000 characters)."""
    if not cond:
        raise Failure(what + "".join("\n--- " + str(c)[:3000] for c in context))


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


class Cases(dict):
    """The cases of one script, by name, in the order they are written."""

    def case(self, fn):
        self[fn.__name__] = fn
        return fn


def main(argv, cases, doc):
    global PYDEST
    if len(argv) != 3:
        print(doc, file=sys.stderr)
        return 2
    PYDEST = os.path.abspath(argv[1])
    if argv[2] == "--list":
        print("\n".join(cases))
        return 0
    fn = cases.get(argv[2])
    if fn is None:
        print(f"unknown case {argv[2]}", file=sys.stderr)
        return 2
    try:
        fn()
    except Failure as e:
        print(f"FAIL {argv[2]}: {e}", file=sys.stderr)
        return 1
    except Skip as e:
        print(f"SKIP {argv[2]}: {e}")
        return 77
    print(f"PASS {argv[2]}")
    return 0
