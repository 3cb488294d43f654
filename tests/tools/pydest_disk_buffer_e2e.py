"""pydest with disk-buffer() in the configuration (issue #14): what a run
could not deliver by its --deadline stays in the buffer and the next run
delivers it first; a second pydest over the same buffer is refused; a
mistyped disk-buffer() option is an error with its place.

Usage: pydest_disk_buffer_e2e.py PATH/TO/pydest (--list | CASE)
"""

import os
import subprocess
import sys
import tempfile
import time

import e2e_harness as harness
from e2e_harness import check, write
from e2e_recorder import DATA_DIR, recorder_config, run, sends

CASES = harness.Cases()
case = CASES.case


def buffered_config(tmp, out, delay="0", extra=""):
    return recorder_config(
        tmp, out, extra=f"""options("delay" "{delay}")
        disk-buffer(reliable(yes) dir("{tmp}/dq") {extra})""")


def lines(first, n):
    return "".join(f"<13>Feb  5 17:32:18 host1 app: line {i}\n"
                   for i in range(first, first + n))


@case
def undelivered_messages_are_kept_and_delivered_by_the_next_run():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        log = write(os.path.join(tmp, "in.log"), lines(0, 200))
        # 20 ms a message: 200 cannot be delivered within a 1 s deadline.
        conf = buffered_config(tmp, out, delay="0.02")
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                            "--deadline", "1", log])
        check(code == 1, f"first run: exit status {code}", err)
        check("kept in the disk buffer for the next run" in err,
              "no kept line in the report", err)
        first = [m["MESSAGE"] for m in sends(out)]
        check(0 < len(first) < 200, f"first run delivered {len(first)}", err)
        # The next run, with no new input, delivers the rest first.
        conf = buffered_config(tmp, out)
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR, os.devnull])
        check(code == 0, f"second run: exit status {code}", err)
        check("came from the disk buffer" in err, "no recovered line", err)
        got = [m["MESSAGE"] for m in sends(out)]
        check(sorted(set(got), key=lambda t: int(t.split()[-1])) ==
              [f"line {i}" for i in range(200)], "not every line delivered",
              got[:5], err)
        check(got[len(first):] == [f"line {i}" for i in range(len(first), 200)]
              or len(got) > 200, "the rest came out of order", got[len(first):][:5])


@case
def a_second_pydest_over_the_same_buffer_is_refused():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = buffered_config(tmp, out)
        # The first pydest reads stdin and waits there.
        first = subprocess.Popen([harness.PYDEST, "-f", conf, "--python-path",
                                  DATA_DIR, "-"], stdin=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
        try:
            for _ in range(100):
                if os.path.exists(os.path.join(tmp, "dq")) and any(
                        n.endswith(".lock") for n in os.listdir(
                            os.path.join(tmp, "dq"))):
                    break
                time.sleep(0.05)
            time.sleep(0.3)
            code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                                os.devnull])
            check(code != 0, "the second pydest ran", err)
            check("is in use by process" in err and str(first.pid) in err,
                  "the refusal does not name the owner", err)
        finally:
            first.stdin.close()
            first.wait(timeout=60)


@case
def a_mistyped_option_is_an_error_with_its_place():
    with tempfile.TemporaryDirectory() as tmp:
        conf = buffered_config(tmp, os.path.join(tmp, "out.jsonl"),
                               extra="disk-buf-sise(10MiB)")
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR, os.devnull])
        check(code != 0, "pydest ran", err)
        check("unknown option 'disk-buf-sise' in disk-buffer(); did you mean "
              "'disk-buf-size'?" in err and "test.conf:" in err,
              "no placed did-you-mean", err)


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
