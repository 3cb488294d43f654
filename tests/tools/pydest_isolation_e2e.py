#!/usr/bin/python3
"""pydest with isolation(process) (issue #15): a destination that crashes,
exits or hangs costs only its worker process. pydest delivers what can be
delivered, exits 1 with the dropped messages counted (never with the
destination's own status or a signal), and leaves no worker behind, even
when pydest itself is killed.

Usage: pydest_isolation_e2e.py PATH/TO/pydest (--list | CASE)

The classes are in tests/tools/data/pydest_hostile.py.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time

import e2e_harness as harness
from e2e_harness import Failure, check
# The same classes (tests/tools/data/pydest_hostile.py), the same helpers.
from pydest_hostile_e2e import DATA_DIR, events, run, wait_for

CASES = harness.Cases()
case = CASES.case


def lines(texts):
    return "".join(f"<13>Feb  5 17:32:18 host1 prog: {t}\n" for t in texts)


def config(tmp, klass, extra=""):
    out = os.path.join(tmp, "out.jsonl")
    conf = os.path.join(tmp, "test.conf")
    with open(conf, "w") as f:
        f.write(f"""@version: 3.38
destination d_iso {{
    python(class("{klass}") options("path" "{out}")
           isolation(process) time-reopen(1) {extra}
           value-pairs(scope(everything)));
}};
""")
    return conf, out


def children_of(pid):
    """The pids whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except OSError:
        return False


@case
def os_exit_in_send_restarts_the_worker_and_delivers_everything():
    with tempfile.TemporaryDirectory() as tmp:
        # The third send() of each worker calls os._exit(3): each death
        # costs a different message one try.
        conf, out = config(tmp, "pydest_hostile.ExitsInSend")
        texts = [f"line {i}" for i in range(10)]
        code, err = run(conf, lines(texts))
        check(code == 0, f"exit status {code}", err)
        sent = [e["msg"] for e in events(out, "send")]
        check(sorted(set(sent)) == sorted(texts), "not all delivered", sent)
        check(len(events(out, "init")) >= 5, "workers were not restarted",
              err)
        check("worker process restarts" in err, "no restart count", err)
        check("Worker process ended" in err and "exit status 3" in err,
              "the death is not logged with its status", err)


@case
def a_poison_message_exits_1_counted_never_with_the_destinations_status():
    with tempfile.TemporaryDirectory() as tmp:
        conf, out = config(tmp, "pydest_hostile.ExitsOnPoison", "retries(3)")
        texts = ["a", "b", "poison", "c", "d"]
        code, err = run(conf, lines(texts))
        check(code == 1, f"exit status {code}", err)
        sent = [e["msg"] for e in events(out, "send")]
        check(sent == ["a", "b", "c", "d"], "delivered", sent, err)
        check("1 poison (killed the worker process)" in err,
              "the poison drop is not in the report", err)
        check("dropping it as a poison message" in err, "no poison log", err)


@case
def a_segfault_in_send_is_logged_with_its_traceback():
    with tempfile.TemporaryDirectory() as tmp:
        # The second send() of each worker reads address 0.
        conf, out = config(tmp, "pydest_hostile.CrashesInSend")
        texts = [f"line {i}" for i in range(4)]
        code, err = run(conf, lines(texts))
        check(code == 0, f"exit status {code}", err)
        sent = [e["msg"] for e in events(out, "send")]
        check(sorted(set(sent)) == sorted(texts), "not all delivered", sent)
        check("killed by signal 11 (SIGSEGV)" in err, "no signal named", err)
        check("Worker process output" in err and
              "Fatal Python error: Segmentation fault" in err,
              "faulthandler's traceback did not reach the log", err)


@case
def send_timeout_ends_a_hung_send():
    with tempfile.TemporaryDirectory() as tmp:
        conf, out = config(tmp, "pydest_hostile.HangsOnPoison",
                           "retries(2) send-timeout(0.5)")
        start = time.monotonic()
        code, err = run(conf, lines(["a", "poison", "b"]))
        check(code == 1, f"exit status {code}", err)
        check(time.monotonic() - start < 30, "took too long")
        sent = [e["msg"] for e in events(out, "send")]
        check(sent == ["a", "b"], "delivered", sent, err)
        check("ran longer than send-timeout()" in err, "no timeout log", err)


@case
def kill_9_of_pydest_leaves_no_worker_behind():
    with tempfile.TemporaryDirectory() as tmp:
        conf, out = config(tmp, "pydest_hostile.HangsOnPoison", "workers(2)")
        p = subprocess.Popen([harness.PYDEST, "-f", conf, "--python-path",
                              DATA_DIR], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        try:
            # One worker hangs in send(), the other delivers what comes
            # after.
            p.stdin.write(lines(["poison"]).encode())
            p.stdin.flush()
            time.sleep(1)
            p.stdin.write(lines(["a", "b"]).encode())
            p.stdin.flush()
            check(wait_for(lambda: len(events(out, "send")) >= 1),
                  "nothing delivered")
            workers = children_of(p.pid)
            check(len(workers) == 2, "worker processes", workers)
            p.kill()
            p.wait()
            check(wait_for(lambda: not any(alive(w) for w in workers), 10),
                  "workers outlived pydest",
                  [w for w in workers if alive(w)])
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()


@case
def sigterm_shuts_the_workers_down_in_order():
    with tempfile.TemporaryDirectory() as tmp:
        conf, out = config(tmp, "pydest_hostile.ExitsOnPoison", "workers(2)")
        p = subprocess.Popen([harness.PYDEST, "-f", conf, "--python-path",
                              DATA_DIR], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            p.stdin.write(lines(["a", "b", "c"]).encode())
            p.stdin.flush()
            check(wait_for(lambda: len(events(out, "send")) == 3),
                  "messages not delivered before the signal")
            workers = children_of(p.pid)
            p.send_signal(signal.SIGTERM)
            _, err = p.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            raise Failure("pydest did not stop on SIGTERM")
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        err = err.decode("utf-8", "replace")
        check(p.returncode == 0, f"exit status {p.returncode}", err)
        check(len(events(out, "deinit")) == 2, "deinit() in each worker",
              events(out), err)
        check(not any(alive(w) for w in workers), "workers left running")


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
