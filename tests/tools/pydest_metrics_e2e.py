"""pydest --metrics-listen (issue #17): /metrics serves every destination's
counters in the Prometheus text format (OpenMetrics on request), read here
with an HTTP client and Debian's prometheus_client parsers while pydest
runs; a bad or busy address is refused before any input is read.

Usage: pydest_metrics_e2e.py PATH/TO/pydest (--list | CASE)
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from prometheus_client.openmetrics.parser import \
    text_string_to_metric_families as openmetrics_families
from prometheus_client.parser import text_string_to_metric_families

import e2e_harness as harness
from e2e_harness import check
from e2e_recorder import DATA_DIR, recorder_config, run, sends

CASES = harness.Cases()
case = CASES.case


def read_address(proc):
    """The URL pydest prints on stderr once it listens."""
    deadline = time.time() + 60
    seen = []
    while time.time() < deadline:
        line = proc.stderr.readline().decode("utf-8", "replace")
        if not line:
            break
        seen.append(line)
        m = re.search(r"serving metrics on (http://\S+/metrics)", line)
        if m:
            return m.group(1)
    raise AssertionError("pydest printed no metrics address: " + "".join(seen))


def get(url, accept=None):
    request = urllib.request.Request(url)
    if accept:
        request.add_header("Accept", accept)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers.get("Content-Type"), response.read().decode()


def samples(families, name):
    return {tuple(sorted(s.labels.items())): s.value
            for f in families for s in f.samples if s.name == name}


@case
def metrics_are_served_while_pydest_runs():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        proc = subprocess.Popen(
            [harness.PYDEST, "-f", conf, "--python-path", DATA_DIR,
             "--metrics-listen", "127.0.0.1:0", "-"],
            stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            url = read_address(proc)
            lines = "".join(f"<13>Feb  5 17:32:18 h p: line {i}\n"
                            for i in range(5))
            proc.stdin.write(lines.encode())
            proc.stdin.flush()
            deadline = time.time() + 30
            while len(sends(out)) < 5 and time.time() < deadline:
                time.sleep(0.05)
            check(len(sends(out)) == 5, "the lines were not delivered")

            content_type, text = get(url)
            check(content_type.startswith("text/plain; version=0.0.4"),
                  "Prometheus content type", content_type)
            families = list(text_string_to_metric_families(text))
            queued = samples(families, "pydest_messages_queued_total")
            check(queued == {(("destination", "d_rec"),): 5.0},
                  "queued per destination", queued, text[:400])
            processed = samples(families, "pydest_messages_processed_total")
            check(processed[(("destination", "d_rec"),
                             ("outcome", "delivered"))] == 5.0,
                  "delivered", processed)
            check(any(f.name == "pydest_send_latency_seconds"
                      and f.type == "histogram" for f in families),
                  "no latency histogram", [f.name for f in families])

            content_type, text = get(
                url, accept="application/openmetrics-text; version=1.0.0")
            check(content_type.startswith("application/openmetrics-text"),
                  "OpenMetrics content type", content_type)
            families = list(openmetrics_families(text))
            check(any(f.name == "pydest_messages_queued" for f in families),
                  "OpenMetrics families", [f.name for f in families])

            try:
                urllib.request.urlopen(url.replace("/metrics", "/other"),
                                       timeout=10)
                check(False, "another path was served")
            except urllib.error.HTTPError as e:
                check(e.code == 404, f"another path: HTTP {e.code}")
        finally:
            proc.stdin.close()
            code = proc.wait(timeout=60)
            proc.stderr.close()
        check(code == 0, f"exit status {code}")


@case
def a_busy_or_bad_address_is_refused_before_reading():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        conf = recorder_config(tmp, out)
        busy = socket.socket()
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        try:
            code, _, err = run(["-f", conf, "--python-path", DATA_DIR,
                                "--metrics-listen", f"127.0.0.1:{port}",
                                os.devnull])
            check(code == 2, f"busy port: exit status {code}", err)
            check(f"--metrics-listen 127.0.0.1:{port}: cannot listen" in err,
                  "no clear error", err)
            check(not os.path.exists(out), "the destination started anyway")
        finally:
            busy.close()
        code, _, err = run(["-f", conf, "--metrics-listen", "localhost:99999"])
        check(code == 2 and "expected PORT or ADDRESS:PORT" in err,
              f"bad port: exit status {code}", err)


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
