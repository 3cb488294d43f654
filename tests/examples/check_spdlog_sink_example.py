"""Runs examples/spdlog_sink and checks what reached the Python destination.

Every spdlog record is one JSON line written by the unchanged syslog-ng
class, with the level as severity, the logger as PROGRAM, the time as the
event time, the text as MESSAGE and the source location as .spdlog.* pairs.

Usage: check_spdlog_sink_example.py EXAMPLE PYTHON_DIR
"""

import json
import os
import subprocess
import sys
import tempfile


def main(example, python_dir):
    example = os.path.abspath(example)
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as tmp:
        out = os.path.join(tmp, "app.jsonl")
        run = subprocess.run([example, python_dir, out], cwd=tmp,
                             capture_output=True, text=True, timeout=60)
        if run.returncode != 0:
            print(run.stdout, run.stderr, file=sys.stderr)
            raise SystemExit(f"example exited {run.returncode}")
        assert "delivered 9, dropped 0, refused by the host 0" in run.stdout, \
            run.stdout
        with open(out, encoding="utf-8") as f:
            records = [json.loads(line) for line in f]
    assert len(records) == 9, records

    by_text = {r["MESSAGE"]: r for r in records}
    placed = by_text["order 42 placed"]
    assert placed["PROGRAM"] == "checkout", placed
    assert placed["HOST"] == "example-host", placed
    assert placed["PID"] == str(int(placed["PID"])), placed
    assert (placed["FACILITY"], placed["PRIORITY"]) == ("user", "info"), placed
    assert placed["DATE"], placed
    assert ".spdlog.thread_id" in placed, placed
    # A plain call knows no source location.
    assert ".spdlog.file" not in placed, placed

    low = by_text["stock low for sku-7"]
    assert low["PRIORITY"] == "warning", low
    assert low[".spdlog.file"].endswith("main.cc"), low
    assert low[".spdlog.function"] == "main", low
    assert int(low[".spdlog.line"]) > 0, low

    declined = [r for r in records if r["MESSAGE"].startswith("card declined")]
    assert len(declined) == 6, declined
    assert {r["PROGRAM"] for r in declined} == {"payments"}, declined
    assert {r["PRIORITY"] for r in declined} == {"err"}, declined
    # Each thread's records arrive in the order they were logged.
    for t in (0, 1):
        mine = [r["MESSAGE"] for r in declined if f"thread {t}," in r["MESSAGE"]]
        assert mine == [f"card declined (thread {t}, try {i})"
                        for i in range(3)], mine

    assert by_text["checkout service degraded"]["PRIORITY"] == "crit"
    print("spdlog sink example: 9 records checked")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
