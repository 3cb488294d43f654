"""An interrupted replay resumes (issue #17): the stats JSON records how far
each input file was read (input.positions), the report says so after a stop
signal, and --resume STATS.json makes the next run go on from there: every
line is delivered exactly once across the two runs. A rotated or truncated
file is refused.

Usage: pydest_resume_e2e.py PATH/TO/pydest (--list | CASE)
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import e2e_harness as harness
from e2e_harness import check, write
from e2e_recorder import DATA_DIR, recorder_config, run, sends

CASES = harness.Cases()
case = CASES.case

N = 400


def numbered(n):
    return "".join(f"<13>Feb  5 17:32:18 host1 app: line {i}\n"
                   for i in range(n))


def slow_config(tmp, out):
    # A small queue: reading waits for the destination (flow control), so a
    # stop signal leaves most of the file unread.
    return recorder_config(tmp, out, extra='options("delay" "0.005") '
                                           'log-fifo-size(10)')


def interrupted_run(tmp, conf, log, stats):
    p = subprocess.Popen([harness.PYDEST, "-f", conf, "--python-path",
                          DATA_DIR, "--stats-json", stats, log],
                         stderr=subprocess.PIPE)
    time.sleep(0.6)
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    return p.returncode, err.decode("utf-8", "replace")


@case
def a_resumed_run_delivers_the_rest_exactly_once():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        log = write(os.path.join(tmp, "in.log"), numbered(N))
        conf = slow_config(tmp, out)
        stats = os.path.join(tmp, "stats.json")
        code, err = interrupted_run(tmp, conf, log, stats)
        # 1 when lines read but not yet handed over at the signal count as
        # not accepted; the resume reads them again.
        check(code in (0, 1), f"first run: exit status {code}", err)
        with open(stats) as f:
            first = json.load(f)
        (position,) = first["input"]["positions"]
        check(position["path"] == log and not position["complete"],
              "position", position, err)
        delivered = [m["MESSAGE"] for m in sends(out)]
        check(0 < len(delivered) < N, f"first run delivered {len(delivered)}")
        # The offset is the end of the last line handed over.
        check(position["offset"] == len(numbered(len(delivered))),
              f"offset {position['offset']} for {len(delivered)} lines")
        check(f"read up to byte {position['offset']}" in err,
              "the report does not say where reading stopped", err)

        conf = recorder_config(tmp, out)  # the rest at full speed
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                            "--resume", stats, "--stats-json", stats, log])
        check(code == 0, f"resumed run: exit status {code}", err)
        check(f"resuming at byte {position['offset']}" in err, "no note", err)
        got = [m["MESSAGE"] for m in sends(out)]
        check(got == [f"line {i}" for i in range(N)],
              "not every line exactly once, in order",
              len(got), got[len(delivered) - 2:len(delivered) + 2])
        with open(stats) as f:
            (position,) = json.load(f)["input"]["positions"]
        check(position["complete"] and
              position["offset"] == os.path.getsize(log), "second position",
              position)


@case
def a_rotated_or_truncated_file_is_refused():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        log = write(os.path.join(tmp, "in.log"), numbered(N))
        conf = slow_config(tmp, out)
        stats = os.path.join(tmp, "stats.json")
        interrupted_run(tmp, conf, log, stats)
        # Rotated: another file under the same name.
        os.rename(log, log + ".1")
        write(log, numbered(N))
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                            "--resume", stats, log])
        check(code == 2 and "rotated" in err, f"rotated: exit {code}", err)
        # Truncated: the same file, now shorter than the offset.
        os.rename(log + ".1", log)
        os.truncate(log, 10)
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                            "--resume", stats, log])
        check(code == 2 and "truncated" in err, f"truncated: exit {code}",
              err)
        # Not a stats file at all.
        code, _, err = run(["-f", conf, "--resume", log, log])
        check(code == 2 and "not the --stats-json of a pydest run" in err,
              f"not a stats file: exit {code}", err)


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
