#!/usr/bin/python3
"""End-to-end: the pydest command hands parsed lines over in batches; every
line still arrives once and in order, none waits while pydest waits for
more input, and the lines of one read share one receive time.

Usage: pydest_handover_e2e.py PATH/TO/pydest CASE
       pydest_handover_e2e.py PATH/TO/pydest --list
"""

import os
import subprocess
import sys
import tempfile
import time

import e2e_harness as harness
from e2e_harness import Failure, check, write
from e2e_recorder import DATA_DIR, recorder_config, run, sends

CASES = harness.Cases()
case = CASES.case


def numbered_lines(n, prefix="line"):
    return [f"<13>Feb  5 17:32:18 host1 myprog: {prefix} {i}" for i in range(n)]


def messages(path):
    return [m["MESSAGE"] for m in sends(path)]


@case
def many_lines_arrive_in_order_exactly_once():
    # Far more than one 64-message hand-over, and several 64 KiB reads.
    lines = numbered_lines(5000)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        log = write(os.path.join(tmp, "in.log"), "\n".join(lines) + "\n")
        check(os.path.getsize(log) > 2 * 65536, "input smaller than 2 reads")
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR, log])
        check(code == 0, f"exit status {code}", err)
        got = messages(out)
        want = [f"line {i}" for i in range(len(lines))]
        check(got == want, f"{len(got)} messages, not the 5000 in order",
              [m for m in got if m not in want][:5], got[:5], got[-5:])
        # The same from standard input.
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR],
                           stdin_data=("\n".join(lines) + "\n").encode())
        check(code == 0, f"stdin: exit status {code}", err)
        check(messages(out)[len(want):] == want, "stdin: not in order",
              messages(out)[len(want):][:5])


@case
def lines_read_so_far_are_delivered_before_waiting_for_more_input():
    first = numbered_lines(10, "first")
    second = numbered_lines(10, "second")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        p = subprocess.Popen(
            [harness.PYDEST, "-f", conf, "--python-path", DATA_DIR],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        try:
            # Fewer lines than a hand-over batch; pydest then blocks in
            # read() on the open pipe, so they arrive only if they were
            # handed over before that read.
            p.stdin.write(("\n".join(first) + "\n").encode())
            p.stdin.flush()
            deadline = time.monotonic() + 60
            while len(messages(out)) < len(first) and \
                    time.monotonic() < deadline:
                time.sleep(0.05)
            got = messages(out)
            check(got == [f"first {i}" for i in range(10)],
                  "the first part was not delivered while pydest waited "
                  "for more input", got)
            # The second part, then end of input.
            _, err = p.communicate(("\n".join(second) + "\n").encode(),
                                   timeout=60)
        except subprocess.TimeoutExpired:
            raise Failure("pydest did not exit after its input ended")
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        err = err.decode("utf-8", "replace")
        check(p.returncode == 0, f"exit status {p.returncode}", err)
        check(messages(out) == [f"first {i}" for i in range(10)] +
              [f"second {i}" for i in range(10)], "not all in order",
              messages(out))


@case
def lines_of_one_read_share_one_receive_time():
    # 200 lines (more than a 64-message hand-over) in a file well under the
    # 64 KiB read: one read(), so one receive time, as syslog-ng stamps a
    # fetched batch with one clock reading.
    lines = numbered_lines(200)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        log = write(os.path.join(tmp, "in.log"), "\n".join(lines) + "\n")
        check(os.path.getsize(log) < 65536, "input larger than one read")
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR, log])
        check(code == 0, f"exit status {code}", err)
        got = sends(out)
        check(len(got) == len(lines), f"{len(got)} messages", err)
        stamps = {(m["R_UNIXTIME"], m["R_USEC"], m["R_ISODATE"]) for m in got}
        check(len(stamps) == 1, "lines of one read have different receive "
              "times", sorted(stamps)[:5])


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
