#!/usr/bin/python3
"""End-to-end: the seed example (examples/seed) run unchanged by the pydest
command writes every pair of every message, as syslog-ng 3.38 did.

Usage: pydest_seed_e2e.py PATH/TO/pydest CASE
       pydest_seed_e2e.py PATH/TO/pydest --list

The example writes /tmp/example.txt; the test serialises on an flock()ed
lock file and checks only what its own run appended.
"""

import ast
import fcntl
import json
import os
import sys
import time

import e2e_harness as harness
from e2e_harness import Skip, check
from e2e_recorder import SOURCE_DIR, run

SEED_DIR = os.path.join(SOURCE_DIR, "examples", "seed")
# Everyone who runs the unchanged seed example takes this lock.
SEED_LOCK = "/tmp/pydest-seed-example.lock"
SEED_OUTPUT = "/tmp/example.txt"

CASES = harness.Cases()
case = CASES.case


def seed_blocks(text):
    """Splits the example's output into its parts."""
    lines = text.split("\n")
    check(lines[-1] == "", "output does not end in a newline", text)
    lines = lines[:-1]
    check(lines[:2] == ["initialized", "opened"],
          "output does not start with initialized, opened", text)
    check(lines[-2:] == ["closed", "deinit"],
          "output does not end with closed, deinit", text)
    blocks = []
    for line in lines[2:-2]:
        if line == "Name Value Pairs are ":
            blocks.append({})
            continue
        check(blocks, "a pair before the first block: " + line, text)
        key, _, value = line.partition(" ")
        blocks[-1][key] = value
    return blocks


def literal(value):
    """The example writes str(v): b'...' for bytes values."""
    if value[:2] in ("b'", 'b"'):
        return ast.literal_eval(value).decode("utf-8")
    return value


@case
def seed_example_writes_every_pair_of_every_message():
    conf = os.path.join(SEED_DIR, "syslog-ng.conf")
    sample = os.path.join(SEED_DIR, "sample.log")
    with open(sample) as f:
        inputs = [l for l in f.read().split("\n") if l]
    if os.path.exists(SEED_OUTPUT) and not os.access(SEED_OUTPUT, os.W_OK):
        raise Skip(SEED_OUTPUT + " exists and is not writable")
    # A writer that does not take the lock (another test running the class
    # directly) shows up as a second lifecycle in our part of the file; then
    # the run is repeated.
    for attempt in range(5):
        with open(SEED_LOCK, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            start = (os.path.getsize(SEED_OUTPUT)
                     if os.path.exists(SEED_OUTPUT) else 0)
            code, out, err = run(["-f", conf, sample])
            with open(SEED_OUTPUT, "rb") as f:
                f.seek(start)
                text = f.read().decode("utf-8", "replace")
        lines = text.split("\n")
        if all(lines.count(m) == 1
               for m in ("initialized", "opened", "closed", "deinit")):
            break
        time.sleep(1)
    check(code == 0, f"exit status {code}", err)
    blocks = seed_blocks(text)
    check(len(blocks) == len(inputs),
          f"{len(blocks)} blocks for {len(inputs)} messages", text)
    for i, block in enumerate(blocks):
        for key in ("HOST", "PROGRAM", "MESSAGE", "ISODATE", "DATE",
                    "FACILITY", "PRIORITY", "SOURCE", "HOST_FROM"):
            check(key in block, f"message {i}: no {key}", sorted(block))
        # Each block is the message of the same line, in order.
        line = inputs[i]
        message = literal(block["MESSAGE"])
        check(message and line.endswith(message),
              f"message {i}: MESSAGE is not the end of its line",
              block["MESSAGE"], line)
        for key in ("HOST", "PROGRAM"):
            check(literal(block[key]) in line,
                  f"message {i}: {key} is not from its line", block[key], line)
    check("python_to_file" in err and "delivered" in err,
          "no counters table on stderr", err)
    # scope(everything): the same keys real syslog-ng 3.38 passed for the
    # same line (golden/scope-everything.json), but those its test pipeline
    # added (kv-parser, json-parser, set()).
    golden = os.path.join(os.environ.get("PYDEST_GOLDEN_DIR", ""),
                          "scope-everything.json")
    if os.path.exists(golden):
        with open(golden) as f:
            results = json.load(f)["results"]
        compared = 0
        for r in results:
            if r["input_set"] != "rfc3164" or r["input"] not in inputs:
                continue
            want = {k for k in r["output"]
                    if not k.startswith(("kv.", ".json.", "custom.", ".dot."))}
            got = set(blocks[inputs.index(r["input"])])
            check(want <= got, "keys syslog-ng passed that are missing: " +
                  ", ".join(sorted(want - got)))
            compared += 1
        check(compared > 0, "no line of sample.log is in the golden inputs")


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
