#!/usr/bin/python3
"""End-to-end tests of pydest against hostile destinations: Python code that
reaches for the process (signal handlers, fork, os._exit, a crash in native
code) instead of only delivering messages. Each case asserts the outcome a
user sees: the exit status, what stderr says, what was delivered.

Usage: pydest_hostile_e2e.py PATH/TO/pydest CASE   (meson runs one CASE per test)
       pydest_hostile_e2e.py PATH/TO/pydest --list

The classes are in tests/tools/data/pydest_hostile.py.
"""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import e2e_harness as harness
from e2e_harness import Failure, check, write

SOURCE_DIR = os.environ.get(
    "PYDEST_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DATA_DIR = os.path.join(SOURCE_DIR, "tests", "tools", "data")

CASES = harness.Cases()
case = CASES.case

# docs/pydest.md, "Exit status"; include/pydest/process.h.
EXIT_DESTINATION_FAILED = 3
EXIT_DESTINATION_ENDED = 4
EXIT_FATAL_SIGNAL = 5
FORKED_CHILD_EXIT = 70





def lines(n):
    return "".join(f"<13>Feb  5 17:32:18 host1 prog: line {i}\n"
                   for i in range(n))


def config(tmp, klass, options=""):
    out = os.path.join(tmp, "out.jsonl")
    conf = os.path.join(tmp, "test.conf")
    with open(conf, "w") as f:
        f.write(f"""@version: 3.38
destination d_h {{
    python(class("{klass}") options("path" "{out}" {options})
           value-pairs(scope(everything)));
}};
""")
    return conf, out


def events(path, name=None):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        got = [json.loads(line) for line in f if line.strip()]
    return [e for e in got if name is None or e["event"] == name]


def run(conf, stdin_data, timeout=60):
    p = subprocess.run([harness.PYDEST, "-f", conf, "--python-path", DATA_DIR],
                       input=stdin_data.encode(), capture_output=True,
                       timeout=timeout)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def wait_for(pred, seconds=30):
    end = time.monotonic() + seconds
    while not pred():
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


def stop_with_sigterm_after_taken_handlers(how):
    with tempfile.TemporaryDirectory() as tmp:
        conf, out = config(tmp, "pydest_hostile.TakesStopSignals",
                           f'"how" "{how}"')
        p = subprocess.Popen([harness.PYDEST, "-f", conf, "--python-path", DATA_DIR],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        try:
            # Standard input stays open: only the signal ends the reading.
            p.stdin.write(lines(3).encode())
            p.stdin.flush()
            check(wait_for(lambda: len(events(out, "send")) == 3),
                  "messages not delivered before the signal")
            p.send_signal(signal.SIGTERM)
            _, err = p.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            raise Failure("pydest did not stop on SIGTERM")
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        err = err.decode("utf-8", "replace")
        check(p.returncode == 0, f"exit status {p.returncode}", err)
        check("stopped reading on SIGTERM" in err, "no report", err)
        check("signal.signal() from a destination" in err and
              "signal='SIGTERM'" in err and "driver='d_h'" in err,
              "no warning naming the destination and the signal", err)
        check(events(out, "signals")[0]["seen"],
              "signal.getsignal() does not return what the class set")
        names = [e["event"] for e in events(out)]
        check(names[-1] == "deinit", "not shut down", names)


@case
def sigterm_drains_and_reports_although_init_ignored_it():
    stop_with_sigterm_after_taken_handlers("ignore")


@case
def sigterm_drains_and_reports_although_init_set_a_python_handler():
    stop_with_sigterm_after_taken_handlers("function")


@case
def fork_in_send_delivers_once_and_the_child_exits_at_once():
    with tempfile.TemporaryDirectory() as tmp:
        conf, out = config(tmp, "pydest_hostile.ForksInSend")
        code, err = run(conf, lines(20))
        check(code == 0, f"exit status {code}", err)
        pid = events(out, "init")[0]["pid"]
        sent = [e["msg"] for e in events(out, "send")]
        check(sent == [f"line {i}" for i in range(20)],
              "not every message exactly once", sent)
        check(all(e["pid"] == pid for e in events(out, "send")),
              "a child sent messages")
        exits = [e["code"] for e in events(out, "child-exit")]
        check(exits == [FORKED_CHILD_EXIT] * 20, "children's exit codes",
              exits)
        check(err.count("a process forked by a destination reached host "
                        "code (return from send())") == 20,
              "no line from each child", err)


@case
def fork_child_that_exits_itself_keeps_its_code():
    with tempfile.TemporaryDirectory() as tmp:
        conf, out = config(tmp, "pydest_hostile.ForkChildExits")
        code, err = run(conf, lines(3))
        check(code == 0, f"exit status {code}", err)
        exits = [e["code"] for e in events(out, "child-exit")]
        check(exits == [7, 7, 7], "children's own exit codes", exits)
        check(len(events(out, "send")) == 3, "not delivered", err)


@case
def subprocess_run_in_send_works():
    with tempfile.TemporaryDirectory() as tmp:
        conf, out = config(tmp, "pydest_hostile.RunsSubprocess")
        code, err = run(conf, lines(5))
        check(code == 0, f"exit status {code}", err)
        echoed = [e["out"] for e in events(out, "echo")]
        check(echoed == [f"line {i}" for i in range(5)], "echo output",
              echoed, err)


@case
def os_exit_in_send_exits_4_naming_the_destination_and_the_loss():
    with tempfile.TemporaryDirectory() as tmp:
        conf, out = config(tmp, "pydest_hostile.ExitsInSend")
        code, err = run(conf, lines(10))
        check(code == EXIT_DESTINATION_ENDED, f"exit status {code}", err)
        check("ended the process with os._exit()" in err and
              "driver='d_h'" in err and "function='send'" in err and
              "exit_code='3'" in err, "no line naming who and how", err)
        delivered = len(events(out, "send"))
        check(delivered == 2, "delivered before the exit", delivered)
        # Every line was read before the third send(): 10 - 2 are lost.
        check("lost='8'" in err, "lost count", err)


@case
def crash_in_native_code_prints_the_traceback_and_exits_5():
    with tempfile.TemporaryDirectory() as tmp:
        conf, out = config(tmp, "pydest_hostile.CrashesInSend")
        code, err = run(conf, lines(4))
        check(code == EXIT_FATAL_SIGNAL, f"exit status {code}", err)
        check("Fatal Python error: Segmentation fault" in err and
              "in string_at" in err and "pydest_hostile.py" in err,
              "no Python traceback from faulthandler", err)
        # The first message was delivered; its outcome is reported at the
        # end of its batch, which the crash may have come before.
        check("pydest: killed by SIGSEGV" in err and
              re.search(r"4 messages read, [34] without an outcome \(lost, "
                        r"or delivered in the running batch\)", err),
              "no line with the counts", err)


@case
def init_raising_names_the_exception_once():
    with tempfile.TemporaryDirectory() as tmp:
        conf, out = config(tmp, "pydest_hostile.InitRaises")
        code, err = run(conf, lines(1))
        check(code == EXIT_DESTINATION_FAILED, f"exit status {code}", err)
        check("init() raised RuntimeError: init failed on purpose" in err,
              "exception not named", err)
        check("returned FALSE" not in err, "reported as returning FALSE", err)
        check(err.count("Traceback (most recent call last)") == 1,
              "traceback not exactly once", err)


@case
def nul_in_class_is_shown_escaped():
    with tempfile.TemporaryDirectory() as tmp:
        conf, _ = config(tmp, "pydest_hostile\\x00evil.Recorder")
        code, err = run(conf, lines(1))
        check(code == EXIT_DESTINATION_FAILED, f"exit status {code}", err)
        check("'pydest_hostile\\x00evil.Recorder': the name contains a NUL "
              "byte" in err, "class name cut or not escaped", err)
        check("\0" not in err, "a raw NUL on stderr", err)


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
