"""What the pydest_*_e2e.py scripts that drive the Recorder test
destination (tests/tools/data/pydest_testdest.py) share: running the pydest
binary, a configuration with one Recorder destination, and reading back the
events it recorded.
"""

import json
import os
import subprocess

import e2e_harness as harness
from e2e_harness import write

SOURCE_DIR = os.environ.get(
    "PYDEST_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DATA_DIR = os.path.join(SOURCE_DIR, "tests", "tools", "data")

LINES_3164 = [
    "<34>Oct 11 22:14:15 mymachine su[1234]: 'su root' failed for lonvick",
    "<13>Feb  5 17:32:18 host1 myprog: no pid here",
    "<14>Mar  1 10:00:00 web01 nginx[42]: GET /index.html 200 512",
]


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
        # Read while the destination writes, the last line may be
        # incomplete: only whole lines count.
        return [json.loads(line) for line in f.read().split("\n")[:-1]
                if line.strip()]


def sends(path):
    return [e["msg"] for e in events(path) if e["event"] == "send"]
