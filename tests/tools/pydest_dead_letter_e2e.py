"""pydest with dead-letter() in the configuration (issue #14): dropped
messages are appended to a JSON-lines file that pydest reads back as the
same messages (the replay recipe of docs/dead-letters.md), or handed to a
second Python destination; the report says where they went; a mistyped
dead-letter() is an error with its place.

Usage: pydest_dead_letter_e2e.py PATH/TO/pydest (--list | CASE)
"""

import json
import os
import sys
import tempfile

import e2e_harness as harness
from e2e_harness import check, write
from e2e_recorder import DATA_DIR, recorder_config, run, sends

CASES = harness.Cases()
case = CASES.case

INPUT = [
    "<34>Oct 11 22:14:15 mymachine su[1234]: 'su root' failed for lonvick",
    "<165>1 2003-10-11T22:14:15.003Z host2 evntslog - ID47 "
    "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] An application event",
]
# What a replay must give back as it was (the rest: receive time, SEQNUM,
# the source's own pairs, are the replaying run's).
SAME = ["MESSAGE", "HOST", "PROGRAM", "PID", "MSGID", "ISODATE", "FACILITY",
        "SEVERITY", "PRIORITY", ".SDATA.exampleSDID@32473.iut",
        ".SDATA.exampleSDID@32473.eventSource"]


def dropping_config(tmp, out, dead_letter):
    return recorder_config(
        tmp, out, klass="pydest_testdest.Dropping",
        extra=f"time-reopen(1) dead-letter({dead_letter})")


@case
def dropped_messages_are_written_and_replay_as_themselves():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        dead = os.path.join(tmp, "dead.jsonl")
        log = write(os.path.join(tmp, "in.log"), "\n".join(INPUT) + "\n")
        conf = dropping_config(tmp, out, f'file("{dead}")')
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR, log])
        check(code == 1, f"exit status {code} (dropped messages)", err)
        check(f"2 dropped messages went to dead-letter(file({dead}))" in err,
              "no dead-letter line in the report", err)
        with open(dead) as f:
            lines = [json.loads(line) for line in f]
        check(len(lines) == 2, f"{len(lines)} dead letters", lines)
        for line in lines:
            meta = line["@dead_letter"]
            check(meta["reason"] == "dropped_by_destination" and
                  meta["destination"] == "d_rec" and
                  meta["class"] == "pydest_testdest.Dropping",
                  "metadata", meta)
        originals = sends(out)

        # The replay recipe: the file is pydest's JSON-lines input.
        replayed_out = os.path.join(tmp, "replayed.jsonl")
        conf = recorder_config(tmp, replayed_out)
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                            "--format", "json", dead])
        check(code == 0, f"replay: exit status {code}", err)
        replayed = sends(replayed_out)
        check(len(replayed) == 2, f"replayed {len(replayed)}", err)
        for before, after in zip(originals, replayed):
            for name in SAME:
                check(before.get(name) == after.get(name),
                      f"{name}: {before.get(name)!r} became "
                      f"{after.get(name)!r}")
            check(not any("dead_letter" in k for k in after),
                  "metadata leaked into the replayed message", sorted(after))


@case
def a_second_python_destination_receives_the_drops():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        second = os.path.join(tmp, "second.jsonl")
        log = write(os.path.join(tmp, "in.log"), "\n".join(INPUT) + "\n")
        conf = dropping_config(
            tmp, out, f'python(class("pydest_testdest.Recorder") '
                      f'options("path" "{second}") '
                      f'value-pairs(scope(everything)))')
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                            "--stats-json", os.path.join(tmp, "stats.json"),
                            log])
        check(code == 1, f"exit status {code}", err)
        got = [m["MESSAGE"] for m in sends(second)]
        check(got == ["'su root' failed for lonvick", "An application event"],
              "the second destination did not get the drops", got, err)
        check("went to dead-letter(python(pydest_testdest.Recorder)); it "
              "delivered 2 and dropped 0" in err, "report line", err)
        with open(os.path.join(tmp, "stats.json")) as f:
            stats = json.load(f)["destinations"]["d_rec"]
        check(stats["dead_lettered"] == 2 and
              stats["dead_letter"]["stats"]["delivered"] == 2,
              "stats JSON", stats)


@case
def a_mistyped_dead_letter_is_an_error_with_its_place():
    with tempfile.TemporaryDirectory() as tmp:
        conf = dropping_config(tmp, os.path.join(tmp, "out.jsonl"),
                               'fille("x")')
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR, os.devnull])
        check(code != 0, "pydest ran", err)
        check("test.conf:" in err and "did you mean 'file'?" in err,
              "no placed did-you-mean", err)


@case
def an_unwritable_dead_letter_file_stops_pydest_before_reading():
    with tempfile.TemporaryDirectory() as tmp:
        conf = dropping_config(tmp, os.path.join(tmp, "out.jsonl"),
                               f'file("{tmp}/no/such/dir/dead.jsonl")')
        code, _, err = run(["-f", conf, "--python-path", DATA_DIR, os.devnull])
        check(code != 0, "pydest ran", err)
        check("no/such/dir/dead.jsonl" in err and
              "cannot open it for appending" in err, "no clear error", err)


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
