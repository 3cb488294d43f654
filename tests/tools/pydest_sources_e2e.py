#!/usr/bin/python3
"""End-to-end: without FILE arguments pydest reads the configuration's own
file() and stdin() sources, each into the destinations its log paths route
it to, named and parsed as the configuration says; python() destinations
defined through blocks (the SCL form) run as if written out.

Usage: pydest_sources_e2e.py PATH/TO/pydest CASE
       pydest_sources_e2e.py PATH/TO/pydest --list
"""

import json
import os
import socket
import subprocess
import sys
import tempfile

import e2e_harness as harness
from e2e_harness import check, write

SOURCE_DIR = os.environ.get(
    "PYDEST_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DATA_DIR = os.path.join(SOURCE_DIR, "tests", "tools", "data")

CASES = harness.Cases()
case = CASES.case






def run(args, stdin_data=b"", cwd=None):
    p = subprocess.run([harness.PYDEST, "--python-path", DATA_DIR] + args,
                       input=stdin_data, capture_output=True, timeout=120,
                       cwd=cwd)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def sends(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        events = [json.loads(line) for line in f if line.strip()]
    return [e["msg"] for e in events if e["event"] == "send"]


def local_host():
    return socket.gethostname().split(".")[0]


LINE_3164 = "<13>Dec  2 05:00:00 web01 app[1]: hello"
LINE_5424 = "<13>1 2026-12-02T05:00:00Z web02 app 1 - - hi5424"


def recorder(name, out, extra=""):
    return f"""destination {name} {{ python(class("pydest_testdest.Recorder")
    persist-name("{name}") options("path" "{out}")
    value-pairs(scope(rfc5424 nv-pairs) pair("TAGS" "$TAGS")
                pair("FILE_NAME" "$FILE_NAME")) {extra}); }};
"""


@case
def configured_sources_feed_the_destinations_their_log_paths_name():
    with tempfile.TemporaryDirectory() as tmp:
        a = write(os.path.join(tmp, "a.log"), LINE_3164 + "\n")
        b = write(os.path.join(tmp, "b.log"), LINE_5424 + "\n")
        out1, out2 = os.path.join(tmp, "1.jsonl"), os.path.join(tmp, "2.jsonl")
        conf = write(os.path.join(tmp, "s.conf"), f"""@version: 3.38
source s_raw {{ file("{a}" flags(no-parse)); }};
source s_proto {{ file("{b}" flags(syslog-protocol) keep-hostname(yes)); }};
source s_net {{ network(port(5514)); }};
{recorder("d_one", out1)}
{recorder("d_two", out2)}
log {{ source(s_raw); destination(d_one); }};
log {{ source(s_raw); source(s_proto); source(s_net); destination(d_two); }};
""")
        code, _, err = run(["-f", conf])
        check(code == 0, f"exit {code}", err)
        one, two = sends(out1), sends(out2)
        check(len(one) == 1 and len(two) == 2, "routing", one, two)
        raw = one[0]
        check(raw["SOURCE"] == "s_raw" and raw["MESSAGE"] == LINE_3164,
              "flags(no-parse): the whole line is MESSAGE", raw)
        check(raw["HOST"] == local_host(), "keep-hostname(no) by default", raw)
        check(".source.s_raw" in raw["TAGS"], "the source's tag", raw)
        check(raw["FILE_NAME"] == a, "FILE_NAME", raw)
        proto = [m for m in two if m["SOURCE"] == "s_proto"]
        check(len(proto) == 1, "s_proto reaches d_two", two)
        check(proto[0]["HOST"] == "web02" and proto[0]["MESSAGE"] == "hi5424",
              "flags(syslog-protocol) and keep-hostname(yes)", proto)


@case
def unreadable_sources_are_notes_in_check():
    with tempfile.TemporaryDirectory() as tmp:
        conf = write(os.path.join(tmp, "n.conf"), f"""@version: 3.38
source s_net {{ network(port(5514)); internal(); }};
{recorder("d", os.path.join(tmp, "x"))}
log {{ source(s_net); destination(d); }};
""")
        code, _, err = run(["-f", conf, "--check"])
        check(code == 0, f"exit {code}", err)
        check("network() is not read by pydest" in err, "no note", err)


@case
def file_arguments_override_the_configured_sources():
    with tempfile.TemporaryDirectory() as tmp:
        a = write(os.path.join(tmp, "a.log"), "never read\n")
        given = write(os.path.join(tmp, "given.log"), LINE_3164 + "\n")
        out = os.path.join(tmp, "o.jsonl")
        conf = write(os.path.join(tmp, "o.conf"), f"""@version: 3.38
source s_a {{ file("{a}"); }};
{recorder("d", out)}
log {{ source(s_a); destination(d); }};
""")
        code, _, err = run(["-f", conf, given])
        check(code == 0, f"exit {code}", err)
        got = sends(out)
        check(len(got) == 1 and got[0]["SOURCE"] == "s_file" and
              got[0]["HOST"] == "web01", "read as FILE", got)


@case
def configured_stdin_source_reads_standard_input():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "o.jsonl")
        conf = write(os.path.join(tmp, "i.conf"), f"""@version: 3.38
options {{ keep-hostname(yes); }};
source s_in {{ stdin(); }};
{recorder("d", out)}
log {{ source(s_in); destination(d); }};
""")
        code, _, err = run(["-f", conf], stdin_data=(LINE_3164 + "\n").encode())
        check(code == 0, f"exit {code}", err)
        got = sends(out)
        check(len(got) == 1 and got[0]["SOURCE"] == "s_in" and
              got[0]["HOST"] == "web01", "stdin() with global keep-hostname",
              got)


@case
def python_destination_defined_by_a_block_on_the_include_path_runs():
    with tempfile.TemporaryDirectory() as tmp:
        scl = os.path.join(tmp, "scl", "recorder")
        os.makedirs(scl)
        out = os.path.join(tmp, "b.jsonl")
        write(os.path.join(scl, "plugin.conf"), """
block destination recorder(path() ...) {
  python(class("pydest_testdest.Recorder")
         options("path" `path`)
         value-pairs(scope(rfc5424))
         `__VARARGS__`);
};
""")
        write(os.path.join(tmp, "myscl.conf"), "@include 'scl/*/*.conf'\n")
        conf_dir = os.path.join(tmp, "etc")
        os.makedirs(conf_dir)
        conf = write(os.path.join(conf_dir, "b.conf"), f"""@version: 4.0
@include "myscl.conf"
destination d_block {{ recorder(path("{out}") persist-name("blk")); }};
log {{ destination(d_block); }};
""")
        code, _, err = run(["-f", conf, "--include-path", tmp],
                           stdin_data=(LINE_3164 + "\n").encode())
        check(code == 0, f"exit {code}", err)
        got = sends(out)
        check(len(got) == 1 and got[0]["MESSAGE"] == "hello", "delivered", got)


@case
def destination_from_a_python_config_generator_runs():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "g.jsonl")
        conf = write(os.path.join(tmp, "g.conf"), f"""@version: 4.0
python {{
import syslogng

def recorder(args):
    return ('python(class("pydest_testdest.Recorder") '
            'options("path" ' + args["path"] + ') '
            'value-pairs(scope(rfc5424)));')

syslogng.register_config_generator(context="destination", name="gen_rec",
                                   config_generator=recorder)
}};
destination d_gen {{ gen_rec(path("{out}")); }};
log {{ destination(d_gen); }};
""")
        code, _, err = run(["-f", conf], stdin_data=(LINE_3164 + "\n").encode())
        check(code == 0, f"exit {code}", err)
        got = sends(out)
        check(len(got) == 1 and got[0]["MESSAGE"] == "hello", "delivered", got)


@case
def python_debug_logging_is_shown_only_with_debug():
    with tempfile.TemporaryDirectory() as tmp:
        conf = write(os.path.join(tmp, "d.conf"), """@version: 4.0
python {
import logging
class Chatty(object):
    def init(self, options):
        logging.getLogger("chatty").debug("debug detail")
        logging.getLogger("chatty").warning("worth a look")
        return True
    def send(self, msg):
        return True
};
destination d { python(class("_syslogng_main.Chatty")); };
log { destination(d); };
""")
        code, _, err = run(["-f", conf], stdin_data=(LINE_3164 + "\n").encode())
        check(code == 0, f"exit {code}", err)
        check("worth a look" in err and "debug detail" not in err,
              "debug shown by default", err)
        code, _, err = run(["-f", conf, "--debug"],
                           stdin_data=(LINE_3164 + "\n").encode())
        check(code == 0 and "debug detail" in err, "--debug hides debug", err)


@case
def config_generator_that_raises_is_a_configuration_error():
    with tempfile.TemporaryDirectory() as tmp:
        conf = write(os.path.join(tmp, "r.conf"), """@version: 4.0
python {
import syslogng
def broken(args):
    raise RuntimeError("no such backend")
syslogng.register_config_generator(context="destination", name="broken",
                                   config_generator=broken)
};
destination d { broken(x(1)); };
log { destination(d); };
""")
        code, _, err = run(["-f", conf, "--check"])
        check(code == 2, f"exit {code}, want 2", err)
        check(f"{conf}:9:17: config generator destination broken(): the "
              "generator raised" in err and "no such backend" in err,
              "no error at the call with the exception", err)


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
