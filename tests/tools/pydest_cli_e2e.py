#!/usr/bin/python3
"""End-to-end: what the pydest command does before any message flows:
--help, usage errors, --check, and a configuration, class, destination
name or input that cannot be used (exit 2 or 3).

Usage: pydest_cli_e2e.py PATH/TO/pydest CASE
       pydest_cli_e2e.py PATH/TO/pydest --list
"""

import os
import re
import sys
import tempfile

import e2e_harness as harness
from e2e_harness import check, write
from e2e_recorder import (DATA_DIR, LINES_3164, events, recorder_config,
                          run, sends)

CASES = harness.Cases()
case = CASES.case


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
def syntax_only_parses_and_runs_no_python():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        # The python {} block would write a file if it ran; the class does
        # not even exist.
        marker = os.path.join(tmp, "ran")
        conf = write(os.path.join(tmp, "s.conf"), f"""@version: 3.38
python {{
open({marker!r}, "w").write("python ran")
}};
destination d_rec {{
    python(class("pydest_no_such_module.Dest") options("path" "{out}"));
}};
log {{ destination(d_rec); }};
""")
        for flag in ("-s", "--syntax-only"):
            code, stdout, err = run([flag, "-f", conf])
            check(code == 0, f"{flag}: exit status {code}", err)
            check("d_rec: class(pydest_no_such_module.Dest)" in stdout and
                  "syntax OK, 1 python() destination" in stdout,
                  f"{flag}: no plan or verdict", stdout, err)
            check(not os.path.exists(marker), f"{flag}: python {{}} ran")
            check(not os.path.exists(out), f"{flag}: the class ran")
        bad = write(os.path.join(tmp, "bad.conf"),
                    "destination d { python(clas(\"x\")); };\n")
        code, _, err = run(["-s", "-f", bad])
        check(code == 2 and "bad.conf:1:24:" in err,
              f"a syntax error: exit {code}", err)


def unwritable_output_is_refused_before_reading(option, name):
    """pydest OPTION tmp/no/NAME (a folder that does not exist): exit 2
    naming it, and no destination started."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        log = write(os.path.join(tmp, "in.log"), "<13>Feb  5 17:32:18 h p: x\n")
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                            option, os.path.join(tmp, "no", name), log])
        check(code == 2, f"{option}: exit status {code}", err)
        check(f"no/{name}: cannot be written" in err,
              f"{option}: no clear error", err)
        check(not os.path.exists(out),
              f"{option}: the destination started anyway")


@case
def an_unwritable_stats_json_is_refused_before_reading():
    unwritable_output_is_refused_before_reading("--stats-json", "s.json")


@case
def an_unwritable_preprocess_into_is_refused_before_reading():
    unwritable_output_is_refused_before_reading("--preprocess-into", "p.conf")


def plan_lines(stdout):
    """What -s prints about the destinations, without where each is
    defined and the verdict line (which name the file)."""
    return [re.sub(r" \[[^]]*:[0-9]+\]$", "", x)
            for x in stdout.splitlines() if "syntax OK" not in x]


@case
def preprocess_into_writes_a_configuration_that_reads_the_same():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        os.mkdir(os.path.join(tmp, "blocks"))
        write(os.path.join(tmp, "blocks", "rec.conf"), f"""
block destination rec(path("{out}") ...) {{
    python(class("pydest_testdest.Recorder") options("path" "`path`")
           value-pairs(scope(everything)) `__VARARGS__`);
}};
""")
        conf = write(os.path.join(tmp, "main.conf"), """@version: 3.38
@define retries 7
@include "blocks/*.conf"
destination d_rec { rec(retries(`retries`)); };
log { destination(d_rec); };
""")
        pre = os.path.join(tmp, "pre.conf")
        code, stdout, err = run(["-s", "-f", conf, "--preprocess-into", pre])
        check(code == 0, f"-s: exit status {code}", err)
        with open(pre) as f:
            text = f.read()
        check('\n@include' not in text and "rec(retries" not in text,
              "the include or the block use is still there", text)
        check("# begin: block destination rec() used at" in text and
              "retries(7)" in text and f'"path" "{out}"' in text,
              "the block's expansion is not there", text)
        code, again, err = run(["-s", "-f", pre])
        check(code == 0, f"-s of the output: exit status {code}", err)
        check(plan_lines(again) == plan_lines(stdout),
              "the output configures something else", stdout, again)

        # Without -s pydest runs as usual and writes it too.
        os.remove(pre)
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                            "--preprocess-into", pre],
                           stdin_data=LINES_3164[0].encode() + b"\n")
        check(code == 0, f"a run: exit status {code}", err)
        check(os.path.exists(pre), "a run did not write the file", err)
        check(len(sends(out)) == 1, "the run did not deliver", events(out))


@case
def a_mistyped_option_gets_a_did_you_mean():
    code, _, err = run(["-f", "x.conf", "--pyton-path", "d"])
    check(code == 2, f"exit status {code}", err)
    check("did you mean '--python-path'?" in err, "no did-you-mean", err)


@case
def verbose_adds_info_records_to_the_default_warnings():
    with tempfile.TemporaryDirectory() as tmp:
        conf = recorder_config(tmp, os.path.join(tmp, "out.jsonl"),
                               klass="pydest_testdest.LogsAtEachLevel")
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR, os.devnull])
        check(code == 0, f"exit status {code}", err)
        check("a warning record from init" in err and
              "an info record from init" not in err,
              "default: warnings only", err)
        code, _, err = run(["-v", "-f", conf, "--python-path", DATA_DIR,
                            os.devnull])
        check(code == 0 and "an info record from init" in err,
              "-v: info records too", err)


@case
def a_mistyped_class_name_gets_a_did_you_mean():
    with tempfile.TemporaryDirectory() as tmp:
        conf = recorder_config(tmp, os.path.join(tmp, "o"),
                               klass="pydest_testdest.Recordr")
        code, _, err = run(["--check", "-f", conf, "--python-path", DATA_DIR])
        check(code == 3, f"exit status {code}", err)
        check("has no attribute 'Recordr'; did you mean 'Recorder'?" in err,
              "no did-you-mean", err)


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


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
