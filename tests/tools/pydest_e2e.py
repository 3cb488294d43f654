#!/usr/bin/python3
"""End-to-end tests of the pydest command: run the built binary the way a
user does and check its output, exit status and what the destinations got.

Usage: pydest_e2e.py PATH/TO/pydest CASE   (meson runs one CASE per test)
       pydest_e2e.py PATH/TO/pydest --list

The seed example (examples/seed) runs unchanged, so it writes
/tmp/example.txt; that test serialises on an flock()ed lock file and checks
only what its own run appended.
"""

import ast
import fcntl
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import e2e_harness as harness
from e2e_harness import Failure, Skip, check, write

SOURCE_DIR = os.environ.get(
    "PYDEST_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DATA_DIR = os.path.join(SOURCE_DIR, "tests", "tools", "data")
SEED_DIR = os.path.join(SOURCE_DIR, "examples", "seed")
# Everyone who runs the unchanged seed example takes this lock.
SEED_LOCK = "/tmp/pydest-seed-example.lock"
SEED_OUTPUT = "/tmp/example.txt"

CASES = harness.Cases()
case = CASES.case






def run(args, stdin_data=None, timeout=120, cwd=None):
    p = subprocess.run([harness.PYDEST] + args, input=stdin_data, capture_output=True,
                       timeout=timeout, cwd=cwd)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")



def recorder_config(tmp, out, klass="pydest_testdest.Recorder", extra="",
                    name="d_rec", version="3.38"):
    return write(os.path.join(tmp, "test.conf"), f"""@version: {version}
# No log path reads s_in: pydest reads standard input (or its FILEs).
source s_in {{ file("/dev/null"); }};
destination {name} {{
    python(
        class("{klass}")
        options("path" "{out}")
        value-pairs(scope(everything))
        {extra}
    );
}};
log {{ destination({name}); }};
""")


def events(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def sends(path):
    return [e["msg"] for e in events(path) if e["event"] == "send"]


LINES_3164 = [
    "<34>Oct 11 22:14:15 mymachine su[1234]: 'su root' failed for lonvick",
    "<13>Feb  5 17:32:18 host1 myprog: no pid here",
    "<14>Mar  1 10:00:00 web01 nginx[42]: GET /index.html 200 512",
]


# --- the seed example ---------------------------------------------------

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


@case
def check_reports_what_would_run():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        code, stdout, err = run(["--check", "-f", conf,
                                 "--python-path", DATA_DIR])
        check(code == 0, f"exit status {code}", err)
        check("d_rec: class(pydest_testdest.Recorder) "
              "value-pairs(scope(everything)) workers(1)" in stdout,
              "no summary of d_rec", stdout)
        # The class was imported and initialised, and nothing was sent.
        names = [e["event"] for e in events(out)]
        check("init" in names and "deinit" in names,
              "init/deinit not called", names)
        check("send" not in names, "--check sent messages", names)


@case
def check_with_a_configuration_error_exits_2_with_line_and_column():
    with tempfile.TemporaryDirectory() as tmp:
        conf = write(os.path.join(tmp, "bad.conf"), """@version: 3.38
destination d_bad {
    python(
        class("m.C")
        value-pair(scope(everything))
    );
};
""")
        for extra in (["--check"], []):
            code, _, err = run(extra + ["-f", conf], stdin_data=b"")
            check(code == 2, f"{extra}: exit status {code}", err)
            check("bad.conf:5:9:" in err, f"{extra}: no file:line:column", err)


@case
def check_with_an_unimportable_class_exits_3():
    with tempfile.TemporaryDirectory() as tmp:
        conf = recorder_config(tmp, os.path.join(tmp, "o"),
                               klass="pydest_no_such_module.Dest")
        code, _, err = run(["--check", "-f", conf])
        check(code == 3, f"exit status {code}", err)
        check("pydest_no_such_module" in err, "module not named", err)


@case
def missing_configuration_file_exits_2():
    code, _, err = run(["-f", "/nonexistent/pydest.conf"], stdin_data=b"")
    check(code == 2, f"exit status {code}", err)
    check("/nonexistent/pydest.conf" in err, "file not named", err)


@case
def usage_errors_exit_2():
    for args in (["x.log"], ["-f", "c.conf", "--bogus"],
                 ["-f", "c.conf", "--format", "xml"],
                 ["-f", "c.conf", "--deadline", "-3"]):
        code, _, err = run(args, stdin_data=b"")
        check(code == 2, f"{args}: exit status {code}", err)
        check("--help" in err, f"{args}: no hint at --help", err)


@case
def help_lists_the_exit_statuses():
    code, out, _ = run(["--help"])
    check(code == 0, f"exit status {code}")
    for text in ("Exit status:", "  0  ", "  1  ", "  2  ", "  3  ",
                 "--stats-json", "--deadline", "--python-path", "--check"):
        check(text in out, f"--help lacks {text!r}", out)


# --- running ---------------------------------------------------------------

@case
def all_delivered_exits_0_and_module_next_to_config_is_found():
    with tempfile.TemporaryDirectory() as tmp:
        # The module sits next to the configuration: no --python-path.
        with open(os.path.join(DATA_DIR, "pydest_testdest.py")) as f:
            write(os.path.join(tmp, "pydest_testdest.py"), f.read())
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        log = write(os.path.join(tmp, "in.log"), "\n".join(LINES_3164) + "\n")
        code, _, err = run(["-f", conf, log])
        check(code == 0, f"exit status {code}", err)
        got = sends(out)
        check([m["PROGRAM"] for m in got] == ["su", "myprog", "nginx"],
              "wrong messages", got)
        check(all(m["FILE_NAME"] == log for m in got), "FILE_NAME", got)
        names = [e["event"] for e in events(out)]
        check(names[0] == "init" and names[-1] == "deinit",
              "lifecycle order", names)


@case
def stdin_is_read_without_files_and_for_dash():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        data = ("\n".join(LINES_3164) + "\n").encode()
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR],
                           stdin_data=data)
        check(code == 0, f"exit status {code}", err)
        check(len(sends(out)) == 3, "stdin without files", sends(out))
        log = write(os.path.join(tmp, "in.log"), LINES_3164[0] + "\n")
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR, log, "-"],
                           stdin_data=data)
        check(code == 0, f"exit status {code}", err)
        check(len(sends(out)) == 3 + 4, "file then '-'", sends(out))


@case
def format_choices_decide_how_lines_are_parsed():
    line_5424 = ("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com "
                 "evntslog 1234 ID47 - An application event log entry")
    line_json = '{"message":"hello","host":"h1","custom":{"a":"b"}}'
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        base = ["-f", conf, "--python-path", DATA_DIR]

        def one(fmt, line):
            before = len(sends(out))
            sj = os.path.join(tmp, "s.json")
            code, _, err = run(base + ["--format", fmt, "--stats-json", sj],
                               stdin_data=(line + "\n").encode())
            check(code == 0, f"{fmt}: exit status {code}", err)
            got = sends(out)[before:]
            check(len(got) == 1, f"{fmt}: {len(got)} messages", got)
            with open(sj) as f:
                return got[0], json.load(f)["input"]

        msg, stats = one("auto", line_5424)
        check(msg["PROGRAM"] == "evntslog" and msg["MSGID"] == "ID47",
              "auto did not read RFC 5424", msg)
        check(stats["parse_errors"] == 0, "auto: parse error", stats)
        msg, _ = one("rfc5424", line_5424)
        check(msg["PROGRAM"] == "evntslog", "rfc5424", msg)
        msg, stats = one("json", LINES_3164[1])
        check(stats["parse_errors"] == 1, "json of a BSD line", stats)
        check(msg["MESSAGE"] == LINES_3164[1],
              "a parse error keeps the line as MESSAGE", msg)
        msg, _ = one("rfc3164", LINES_3164[1])
        check(msg["PROGRAM"] == "myprog" and msg["HOST"] == "host1",
              "rfc3164", msg)
        msg, _ = one("rfc3164", line_5424)
        check(msg.get("MSGID", "") == "", "rfc3164 read RFC 5424 fields", msg)
        msg, _ = one("json", line_json)
        check(msg["MESSAGE"] == "hello" and msg["HOST"] == "h1" and
              msg["custom.a"] == "b", "json", msg)
        msg, _ = one("auto", line_json)
        check(msg["MESSAGE"] == "hello", "auto did not read JSON", msg)


@case
def stats_json_has_input_and_destination_counters():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        sj = os.path.join(tmp, "stats.json")
        data = ("\n".join(LINES_3164) + "\n\nnot a syslog line\n").encode()
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                            "--stats-json", sj], stdin_data=data)
        check(code == 0, f"exit status {code}", err)
        with open(sj) as f:
            stats = json.load(f)
        check(stats["input"]["lines"] == 4, "lines", stats)
        check(stats["input"]["empty_lines"] == 1, "empty_lines", stats)
        check(stats["input"]["inputs"] == ["-"], "inputs", stats)
        d = stats["destinations"]["d_rec"]
        for key in ("queued", "delivered", "dropped_by_destination",
                    "dropped_retries_exhausted", "dropped_shutdown",
                    "queue_capacity"):
            check(key in d, f"no {key}", d)
        check(d["queued"] == 4 and d["delivered"] == 4 and d["dropped"] == 0,
              "counts", d)
        check(d["class"] == "pydest_testdest.Recorder", "class", d)
        check(stats["exit_status"] == 0, "exit_status", stats)
        check("d_rec" in err and "delivered" in err, "no table", err)


@case
def overlong_line_is_cut_at_log_msg_size_and_counted():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        sj = os.path.join(tmp, "stats.json")
        long_line = "<13>Feb  5 17:32:18 host1 myprog: " + "x" * 100000
        data = (long_line + "\n" + LINES_3164[0] + "\n").encode()
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                            "--stats-json", sj], stdin_data=data)
        check(code == 0, f"exit status {code}", err)
        got = sends(out)
        check(len(got) == 2, "the line after the long one was lost", got)
        check(len(got[0]["MESSAGE"]) < 65536 and
              got[0]["MESSAGE"].startswith("xxx"), "not cut",
              len(got[0]["MESSAGE"]))
        check(got[1]["PROGRAM"] == "su", "second line", got[1])
        with open(sj) as f:
            check(json.load(f)["input"]["truncated"] == 1, "not counted")


@case
def send_returning_false_drops_and_exits_1():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out, klass="pydest_testdest.Failing",
                               extra="retries(1)")
        sj = os.path.join(tmp, "stats.json")
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                            "--stats-json", sj],
                           stdin_data=("\n".join(LINES_3164) + "\n").encode())
        check(code == 1, f"exit status {code}", err)
        with open(sj) as f:
            d = json.load(f)["destinations"]["d_rec"]
        check(d["dropped_retries_exhausted"] == 3 and d["delivered"] == 0,
              "counts", d)
        check("after retries" in err, "drop reason not in the table", err)


@case
def send_returning_drop_exits_1():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out, klass="pydest_testdest.Dropping")
        sj = os.path.join(tmp, "stats.json")
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                            "--stats-json", sj],
                           stdin_data=(LINES_3164[0] + "\n").encode())
        check(code == 1, f"exit status {code}", err)
        with open(sj) as f:
            d = json.load(f)["destinations"]["d_rec"]
        check(d["dropped_by_destination"] == 1, "counts", d)


@case
def import_failure_exits_3():
    with tempfile.TemporaryDirectory() as tmp:
        conf = recorder_config(tmp, os.path.join(tmp, "o"),
                               klass="pydest_broken.Dest")
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR],
                           stdin_data=(LINES_3164[0] + "\n").encode())
        check(code == 3, f"exit status {code}", err)
        check("pydest_broken" in err, "module not named", err)


@case
def init_returning_false_exits_3():
    with tempfile.TemporaryDirectory() as tmp:
        conf = recorder_config(tmp, os.path.join(tmp, "o"),
                               klass="pydest_testdest.InitFails")
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR],
                           stdin_data=b"")
        check(code == 3, f"exit status {code}", err)


@case
def unknown_destination_exits_2_listing_the_names():
    with tempfile.TemporaryDirectory() as tmp:
        conf = recorder_config(tmp, os.path.join(tmp, "o"))
        code, _, err = run(["-f", conf, "--destination", "d_nope"],
                           stdin_data=b"")
        check(code == 2, f"exit status {code}", err)
        check("d_nope" in err and "d_rec" in err, "names not listed", err)


@case
def missing_input_file_exits_2_before_starting():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                            os.path.join(tmp, "missing.log")])
        check(code == 2, f"exit status {code}", err)
        check("missing.log" in err, "file not named", err)
        check(events(out) == [], "destination started", events(out))


@case
def every_destination_gets_every_message_unless_one_is_named():
    with tempfile.TemporaryDirectory() as tmp:
        a, b = os.path.join(tmp, "a.jsonl"), os.path.join(tmp, "b.jsonl")
        conf = write(os.path.join(tmp, "two.conf"), f"""@version: 3.38
source s_in {{ file("/dev/null"); }};
destination d_a {{ python(class("pydest_testdest.Recorder") persist-name("a")
    options("path" "{a}") value-pairs(scope(rfc5424))); }};
destination d_b {{ python(class("pydest_testdest.Recorder") persist-name("b")
    options("path" "{b}") value-pairs(scope(rfc5424))); }};
log {{ destination(d_a); destination(d_b); }};
""")
        data = ("\n".join(LINES_3164) + "\n").encode()
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR],
                           stdin_data=data)
        check(code == 0, f"exit status {code}", err)
        check(len(sends(a)) == 3 and len(sends(b)) == 3, "both destinations",
              sends(a), sends(b))
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                            "--destination", "d_b"], stdin_data=data)
        check(code == 0, f"exit status {code}", err)
        check(len(sends(a)) == 3 and len(sends(b)) == 6, "only d_b",
              sends(a), sends(b))


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


@case
def progress_line_is_drawn_on_a_terminal_only():
    import pty
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        with open(conf) as f:
            text = f.read().replace('options("path"',
                                    'options("delay" "0.01" "path"')
        write(conf, text)
        log = write(os.path.join(tmp, "in.log"),
                    "\n".join(LINES_3164 * 70) + "\n")
        args = [harness.PYDEST, "-f", conf, "--python-path", DATA_DIR, log]
        # Standard error on a terminal: the line is drawn and erased.
        master, slave = pty.openpty()
        p = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        p.wait(timeout=60)
        os.close(master)
        tty = seen.decode("utf-8", "replace")
        check(p.returncode == 0, f"exit status {p.returncode}", tty)
        check(" read  delivered " in tty and "/s)" in tty and "queued" in tty and
              "\x1b[K" in tty, "no progress line on a terminal", tty)
        check("210 messages from 1 input" in tty, "no report", tty)
        # Not a terminal: only the report.
        code, _, err = run(args[1:])
        check(code == 0, f"exit status {code}", err)
        check("\x1b[K" not in err and "/s)" not in err,
              "progress line when not on a terminal", err)



# --- handing parsed lines over in batches --------------------------------

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
