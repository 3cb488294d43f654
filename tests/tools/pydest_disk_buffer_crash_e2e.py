"""kill -9 against pydest with disk-buffer(reliable(yes)) (issue #14): no
line pydest accepted is lost, none is delivered that it never read.

Each of ROUNDS rounds runs pydest over a new input file of distinct numbered
lines ("r<round> line <n>") into a Recorder destination that takes about a
millisecond a message, and kills it with SIGKILL after a random 20-500 ms
(longer where pydest is slow to start):
while it starts, while it takes over the previous rounds' backlog, while it
reads, or while it delivers. A last run with no input drains the buffer.

pydest hands a file's lines over in order, and with reliable(yes) a line it
handed over is on disk before the next is read; so if line k of a round was
delivered, lines 0 ... k-1 were accepted too and must have been delivered:
every round's delivered line numbers are 0 ... m with no gap (m may be -1:
killed before it read anything). Lines may be delivered more than once
(those in flight at a kill, or copied forward by a recovery a kill cut
short): counted and printed, not a failure.

Usage: pydest_disk_buffer_crash_e2e.py PATH/TO/pydest (--list | CASE)
PYDEST_CRASH_SEED sets the random seed (default 14).
"""

import collections
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time

import e2e_harness as harness
from e2e_harness import check, write
from e2e_recorder import DATA_DIR, recorder_config, run

CASES = harness.Cases()
case = CASES.case

ROUNDS = 50
LINES_PER_ROUND = 200
LINE_RE = re.compile(r"^r(\d+) line (\d+)$")


def round_lines(r):
    return "".join(f"<13>Feb  5 17:32:18 host1 app: r{r} line {i}\n"
                   for i in range(LINES_PER_ROUND))


def delivered_lines(out):
    """The MESSAGE of every send() the Recorder wrote down, in order, and how
    many events a kill cut short. Such a line is a send() that had not
    returned (its line is delivered again); the next run's first event
    follows it on the same line."""
    got, torn = [], 0
    if not os.path.exists(out):
        return got, torn
    with open(out) as f:
        for line in f:
            try:
                event = json.loads(line)
            except ValueError:
                torn += 1
                at = line.find('{"event": ', 1)
                try:
                    event = json.loads(line[at:]) if at > 0 else {}
                except ValueError:
                    continue
            if event.get("event") == "send":
                got.append(event["msg"]["MESSAGE"])
    return got, torn


def run_and_kill(args, kill_after):
    """Runs pydest and SIGKILLs it after kill_after seconds; returns whether
    the kill came first, its exit status and its standard error."""
    p = subprocess.Popen([harness.PYDEST] + args, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        p.wait(timeout=kill_after)
        killed = False
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=60)
        killed = True
    # The kernel dropped the buffer's lock when the process died.
    return killed, p.returncode, p.stderr.read().decode("utf-8", "replace")


@case
def kill_9_loses_no_accepted_line():
    seed = int(os.environ.get("PYDEST_CRASH_SEED", "14"))
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        dq = os.path.join(tmp, "dq")
        conf = recorder_config(tmp, out, extra=f"""options("delay" "0.001")
            disk-buffer(reliable(yes) dir("{dq}"))""")
        base = ["-f", conf, "--python-path", DATA_DIR]
        # A run with nothing to do takes 40-80 ms here. Where pydest starts
        # slower (a sanitizer build) the kill window stretches with it, up
        # to 4 times, so that most rounds still get as far as reading. The
        # fastest of three runs: the first one also fills the page cache.
        empty = []
        for _ in range(3):
            started = time.monotonic()
            code, _, err = run(base + [os.devnull])
            check(code == 0, f"an empty run: exit status {code}", err)
            empty.append(time.monotonic() - started)
        stretch = min(4.0, max(1.0, min(empty) / 0.15))
        kills, started = 0, time.monotonic()
        for r in range(ROUNDS):
            log = write(os.path.join(tmp, f"in{r}.log"), round_lines(r))
            killed, code, err = run_and_kill(base + ["--deadline", "5", log],
                                             stretch * rng.uniform(0.02, 0.5))
            if killed:
                kills += 1
            else:
                # Finished first: every line delivered (0) or kept (1).
                check(code in (0, 1), f"round {r}: exit status {code}", err)
        rounds_seconds = time.monotonic() - started
        before_drain = len(delivered_lines(out)[0])
        started = time.monotonic()
        code, _, err = run(base + ["--deadline", "60", os.devnull])
        drain_seconds = time.monotonic() - started
        check(code == 0, f"the drain run: exit status {code}", err)

        got, torn = delivered_lines(out)
        by_round = collections.defaultdict(collections.Counter)
        for text in got:
            m = LINE_RE.match(text)
            check(m is not None, f"delivered a line never read: {text!r}")
            r, i = int(m.group(1)), int(m.group(2))
            check(r < ROUNDS and i < LINES_PER_ROUND,
                  f"delivered a line never read: {text!r}")
            by_round[r][i] += 1
        gaps = []
        for r in range(ROUNDS):
            seen = by_round[r]
            if seen and sorted(seen) != list(range(max(seen) + 1)):
                missing = sorted(set(range(max(seen) + 1)) - set(seen))
                gaps.append(f"round {r}: up to line {max(seen)} delivered, "
                            f"missing {missing[:10]} ({len(missing)})")
        check(not gaps, "accepted lines were lost", *gaps)
        distinct = sum(len(c) for c in by_round.values())
        duplicates = len(got) - distinct
        some = sum(1 for r in range(ROUNDS) if by_round[r])
        check(some * 2 > ROUNDS,
              f"only {some} of {ROUNDS} rounds delivered anything")
        check(kills * 2 > ROUNDS,
              f"only {kills} of {ROUNDS} rounds were killed: most ended first")
        damaged = [n for n in os.listdir(dq) if ".damaged" in n]
        # Nothing is left for a next run (the files may keep the segment
        # last appended to, all of it released).
        stats = os.path.join(tmp, "after.json")
        code, _, err = run(base + ["--stats-json", stats, os.devnull])
        with open(stats) as f:
            after = json.load(f)["destinations"]["d_rec"]
        check(code == 0 and after["disk_buffer_recovered"] == 0,
              f"a run after the drain: exit status {code}, "
              f"{after['disk_buffer_recovered']} recovered", err)
        print(f"seed {seed}, kill window x{stretch:.1f}: "
              f"{ROUNDS} rounds in {rounds_seconds:.1f} s, "
              f"{kills} killed, {some} delivered something; "
              f"{distinct} distinct lines delivered "
              f"({before_drain} sends before the drain, {len(got)} in all, "
              f"drained in {drain_seconds:.1f} s; {torn} cut short), "
              f"{duplicates} duplicates; set aside as damaged: {damaged}")


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
