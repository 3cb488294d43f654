#!/usr/bin/python3
"""End-to-end: hostile configurations given to the pydest command end in a
clear error (exit 2, FILE:LINE:COLUMN) in bounded time and memory, never a
crash or a hang. The limits are in include/pydest/limits.h.

Usage: pydest_config_limits_e2e.py PATH/TO/pydest CASE
       pydest_config_limits_e2e.py PATH/TO/pydest --list
"""

import os
import resource
import subprocess
import sys
import tempfile

import e2e_harness as harness
from e2e_harness import check

CASES = harness.Cases()
case = CASES.case
EXIT_USAGE = 2  # tools/pydest/exit_status.h: kExitUsageError





def sanitized():
    # AddressSanitizer reserves terabytes of address space for its shadow:
    # an address-space limit would stop it from starting at all.
    ldd = subprocess.run(["ldd", harness.PYDEST], capture_output=True,
                         text=True)
    return "libasan" in ldd.stdout or "libtsan" in ldd.stdout


def limit_memory():
    # 2 GiB of address space: an expansion without bounds fails fast here
    # instead of taking the machine's memory.
    if not SANITIZED:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


SANITIZED = None


def check_sanitized():
    global SANITIZED
    if SANITIZED is None:
        SANITIZED = sanitized()


def run_config(text, tmp, name="hostile.conf", args=()):
    check_sanitized()
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    p = subprocess.run([harness.PYDEST, "--check", "-f", path, *args],
                       capture_output=True, timeout=60,
                       preexec_fn=limit_memory)
    return p.returncode, p.stderr.decode("utf-8", "replace"), path


DESTINATION = 'destination d { python(class("m.C")); };\n'


@case
def deeply_nested_log_blocks_exit_2_with_the_place():
    with tempfile.TemporaryDirectory() as tmp:
        n = 10000
        code, err, path = run_config(
            DESTINATION + "log " + "{ " * n + "destination(d);" + "} " * n +
            ";\n", tmp)
        check(code == EXIT_USAGE, f"exit {code}, want 2", err)
        check(f"{path}:2:517: '{{' nested more than 256 deep" in err,
              "no error with the place", err)


@case
def define_bomb_exits_2_in_bounded_memory():
    with tempfile.TemporaryDirectory() as tmp:
        text = '@define a0 "xxxxxxxxxxxxxxxx"\n'
        for i in range(1, 12):
            text += f'@define a{i} "' + f"`a{i - 1}`" * 10 + '"\n'
        text += DESTINATION.replace("m.C", "`a11`")
        code, err, _ = run_config(text, tmp)
        check(code == EXIT_USAGE, f"exit {code}, want 2", err)
        check("substituted bytes" in err, "no expansion-limit error", err)


@case
def include_of_dev_zero_exits_2_at_once():
    with tempfile.TemporaryDirectory() as tmp:
        code, err, path = run_config('@version: 3.38\n@include "/dev/zero"\n',
                                     tmp)
        check(code == EXIT_USAGE, f"exit {code}, want 2", err)
        check(f"{path}:2:1: cannot read '/dev/zero': not a regular file" in err,
              "no error at the @include", err)


@case
def configuration_file_dev_zero_exits_2_at_once():
    check_sanitized()
    p = subprocess.run([harness.PYDEST, "--check", "-f", "/dev/zero"],
                       capture_output=True, timeout=60, preexec_fn=limit_memory)
    err = p.stderr.decode("utf-8", "replace")
    check(p.returncode == EXIT_USAGE, f"exit {p.returncode}, want 2", err)
    check("not a regular file" in err, "no error naming the file", err)


@case
def deeply_nested_template_in_a_pair_exits_2():
    with tempfile.TemporaryDirectory() as tmp:
        deep = "$(echo " * 14000 + "x" + ")" * 14000
        code, err, _ = run_config(
            'destination d { python(class("m.C") value-pairs(pair("k" "' +
            deep + '"))); };\nlog { destination(d); };\n', tmp)
        check(code == EXIT_USAGE, f"exit {code}, want 2", err)
        check("nested more than 128 deep" in err, "no nesting error", err)
        check(len(err) < 4000, "the error quotes the whole template", err)


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
