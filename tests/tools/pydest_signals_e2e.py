#!/usr/bin/python3
"""End-to-end: SIGTERM and SIGINT stop the pydest command's reading; what
is queued is delivered within --deadline and reported.

Usage: pydest_signals_e2e.py PATH/TO/pydest CASE
       pydest_signals_e2e.py PATH/TO/pydest --list
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import e2e_harness as harness
from e2e_harness import Failure, check, write
from e2e_recorder import DATA_DIR, LINES_3164, events, recorder_config, sends

CASES = harness.Cases()
case = CASES.case


@case
def sigterm_stops_reading_drains_within_the_deadline_and_reports():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        # A slow destination: 200 messages need 10 s, the deadline is 1 s.
        conf = recorder_config(tmp, out)
        with open(conf) as f:
            text = f.read().replace('options("path"',
                                    'options("delay" "0.05" "path"')
        write(conf, text)
        sj = os.path.join(tmp, "stats.json")
        p = subprocess.Popen(
            [harness.PYDEST, "-f", conf, "--python-path", DATA_DIR, "--deadline", "1",
             "--stats-json", sj],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        # Standard input stays open: only the signal ends the reading.
        p.stdin.write(("\n".join(LINES_3164 * 67)[:] + "\n").encode())
        p.stdin.flush()
        waited = 0.0
        while not sends(out) and waited < 30:
            time.sleep(0.05)
            waited += 0.05
        check(sends(out), "nothing delivered before the signal")
        # Reading 201 buffered lines takes far less; the slow destination
        # still has most of them queued.
        time.sleep(0.3)
        p.send_signal(signal.SIGTERM)
        t0 = time.monotonic()
        try:
            _, err = p.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            raise Failure("pydest did not exit after SIGTERM")
        took = time.monotonic() - t0
        err = err.decode("utf-8", "replace")
        check(took < 1 + 8, f"took {took:.1f} s after SIGTERM", err)
        check(p.returncode == 1, f"exit status {p.returncode}", err)
        check("SIGTERM" in err and "delivered" in err, "no report", err)
        with open(sj) as f:
            stats = json.load(f)
        d = stats["destinations"]["d_rec"]
        lines = stats["input"]["lines"]
        check(lines == 201, "lines read", stats["input"])
        check(d["delivered"] + d["dropped"] == lines,
              "delivered + dropped != lines read", d)
        check(d["dropped_shutdown"] > 0, "nothing dropped at the deadline", d)
        check(d["delivered"] == len(sends(out)),
              "delivered count differs from what the destination got", d)
        check(stats["stop_signal"] == "SIGTERM", "stop_signal", stats)


@case
def sigint_interrupts_a_blocked_read_and_exits_0_when_all_delivered():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        sj = os.path.join(tmp, "stats.json")
        p = subprocess.Popen(
            [harness.PYDEST, "-f", conf, "--python-path", DATA_DIR, "--stats-json",
             sj], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        p.stdin.write((LINES_3164[0] + "\n").encode())
        p.stdin.flush()
        waited = 0.0
        while not sends(out) and waited < 30:
            time.sleep(0.05)
            waited += 0.05
        check(sends(out), "nothing delivered before the signal")
        # pydest now waits in read() on a pipe that stays open (until pydest
        # has exited: closing it earlier would race the signal with EOF).
        p.send_signal(signal.SIGINT)
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            raise Failure("pydest did not exit after SIGINT")
        err = p.stderr.read().decode("utf-8", "replace")
        p.stdin.close()
        p.stdout.close()
        p.stderr.close()
        check(p.returncode == 0, f"exit status {p.returncode}", err)
        check("stopped reading on SIGINT" in err, "no report", err)
        with open(sj) as f:
            stats = json.load(f)
        check(stats["destinations"]["d_rec"]["delivered"] == 1, "delivered",
              stats)
        names = [e["event"] for e in events(out)]
        check(names[-2:] == ["close", "deinit"], "not shut down", names)


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
