"""pydest --follow (issue #17): input files are read on as they grow and
across rotation, as `tail -F` does, until SIGTERM; a configuration's own
file() sources are followed at their follow-freq().

Usage: pydest_follow_e2e.py PATH/TO/pydest (--list | CASE)
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
from e2e_recorder import DATA_DIR, recorder_config, sends

CASES = harness.Cases()
case = CASES.case


def line(i):
    return f"<13>Feb  5 17:32:18 host1 app: line {i}\n"


def append(path, first, n):
    with open(path, "a") as f:
        f.write("".join(line(i) for i in range(first, first + n)))


def wait_for(out, n, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = sends(out)
        if len(got) >= n:
            return got
        time.sleep(0.05)
    return sends(out)


def stop(p):
    started = time.time()
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    return p.returncode, err.decode("utf-8", "replace"), time.time() - started


@case
def a_followed_file_is_read_as_it_grows_and_across_rotation():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        log = write(os.path.join(tmp, "app.log"), "")
        append(log, 0, 10)
        conf = recorder_config(tmp, out, extra="")
        # follow-freq() of a FILE argument is the default 1 s: a configured
        # source is used below for a faster one.
        stats = os.path.join(tmp, "stats.json")
        p = subprocess.Popen([harness.PYDEST, "-f", conf, "--python-path",
                              DATA_DIR, "--follow", "--stats-json", stats, log],
                             stderr=subprocess.PIPE)
        try:
            check(len(wait_for(out, 10)) == 10, "the first lines")
            append(log, 10, 5)  # grows
            check(len(wait_for(out, 15)) == 15, "appended lines")
            # Rotated by rename: lines written to the old file after the
            # rename still come, then the new file's.
            os.rename(log, log + ".1")
            append(log + ".1", 15, 3)
            append(log, 18, 4)
            check(len(wait_for(out, 22)) == 22, "across the rotation")
            # copytruncate: the same file cut to nothing, then written.
            os.truncate(log, 0)
            time.sleep(1.5)  # noticed at the next look
            append(log, 22, 2)
            got = wait_for(out, 24)
        finally:
            code, err, took = stop(p)
        messages = [m["MESSAGE"] for m in got]
        check(messages == [f"line {i}" for i in range(24)],
              "not every line exactly once, in order", messages, err)
        check(code == 0, f"exit status {code}", err)
        check(took < 10, f"took {took:.1f} s to stop")
        with open(stats) as f:
            (position,) = json.load(f)["input"]["positions"]
        check(position["offset"] == len(line(22)) + len(line(23)) and
              position["inode"] == os.stat(log).st_ino,
              "position after the truncation", position)


@case
def a_configured_file_source_is_followed_at_its_follow_freq():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        log = write(os.path.join(tmp, "src.log"), line(0))
        conf = write(os.path.join(tmp, "f.conf"), f"""@version: 3.38
source s_app {{ file("{log}" follow-freq(0.1)); }};
destination d_rec {{
    python(class("pydest_testdest.Recorder") options("path" "{out}")
           value-pairs(scope(everything)));
}};
log {{ source(s_app); destination(d_rec); }};
""")
        p = subprocess.Popen([harness.PYDEST, "-f", conf, "--python-path",
                              DATA_DIR, "--follow"], stderr=subprocess.PIPE)
        try:
            check(len(wait_for(out, 1)) == 1, "the first line")
            appended_at = time.time()
            append(log, 1, 1)
            got = wait_for(out, 2, timeout=10)
            took = time.time() - appended_at
        finally:
            code, err, _ = stop(p)
        check(len(got) == 2, "the appended line", got, err)
        check(took < 0.9, f"follow-freq(0.1): the line took {took:.2f} s")
        check(got[0]["SOURCE"] == "s_app", "SOURCE", got[0])
        check(code == 0, f"exit status {code}", err)


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
