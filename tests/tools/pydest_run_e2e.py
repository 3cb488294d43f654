#!/usr/bin/python3
"""End-to-end: a run of the pydest command from input to destinations:
files and standard input, --format, several destinations, the report
(table, --stats-json, progress line) and exit status 0 or 1.

Usage: pydest_run_e2e.py PATH/TO/pydest CASE
       pydest_run_e2e.py PATH/TO/pydest --list
"""

import json
import os
import subprocess
import sys
import tempfile

import e2e_harness as harness
from e2e_harness import check, write
from e2e_recorder import (DATA_DIR, LINES_3164, events, recorder_config,
                          run, sends)

CASES = harness.Cases()
case = CASES.case


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


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
