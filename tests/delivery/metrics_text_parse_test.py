#!/usr/bin/python3
"""RenderMetrics' text read back by prometheus_client (Debian's
python3-prometheus-client): the Prometheus text parser and the stricter
OpenMetrics one accept it, and the values and the escaped destination name
come back as metrics_text_dump wrote them.

Usage: metrics_text_parse_test.py PATH_TO_metrics_text_dump
"""

import subprocess
import sys

from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as parse_openmetrics)
from prometheus_client.parser import (
    text_string_to_metric_families as parse_prometheus)

TRICKY = 'say "hi"\\\nbye'
FAMILIES = {
    "pydest_messages_queued": "counter",
    "pydest_messages_processed": "counter",
    "pydest_queue_depth": "gauge",
    "pydest_queue_capacity": "gauge",
    "pydest_retries": "counter",
    "pydest_reopens": "counter",
    "pydest_worker_restarts": "counter",
    "pydest_suspended_seconds": "counter",
    "pydest_python_exceptions": "counter",
    "pydest_batches": "counter",
    "pydest_casting_errors": "counter",
    "pydest_late_completions": "counter",
    "pydest_written_bytes": "counter",
    "pydest_disk_buffer_bytes": "gauge",
    "pydest_disk_buffer_recovered": "counter",
    "pydest_dead_lettered": "counter",
    "pydest_dead_letter_failed": "counter",
    "pydest_send_latency_seconds": "histogram",
    "pydest_queue_time_seconds": "histogram",
}


def render(dump, fmt):
    return subprocess.run([dump, fmt], check=True, capture_output=True,
                          text=True).stdout


def value(families, sample_name, **labels):
    for family in families.values():
        for s in family.samples:
            if s.name == sample_name and all(
                    s.labels.get(k) == v for k, v in labels.items()):
                return s.value
    raise AssertionError(f"no sample {sample_name} {labels}")


def check(families, fmt):
    types = {name: f.type for name, f in families.items()}
    assert types == FAMILIES, (fmt, types)
    assert value(families, "pydest_messages_queued_total",
                 destination="d_http") == 10
    assert value(families, "pydest_messages_processed_total",
                 destination="d_http", outcome="dropped_queue_overflow") == 2
    assert value(families, "pydest_suspended_seconds_total",
                 destination="d_http") == 1.5
    assert value(families, "pydest_queue_capacity", destination=TRICKY) == 5
    # Cumulative buckets: 5 at <= 10 us, 2 more at <= 2.5 ms, 1 above 10 s.
    bucket = "pydest_send_latency_seconds_bucket"
    assert value(families, bucket, destination="d_http", le="1e-05") == 5
    assert value(families, bucket, destination="d_http", le="0.0025") == 7
    assert value(families, bucket, destination="d_http", le="10.0") == 7
    assert value(families, bucket, destination="d_http", le="+Inf") == 8
    assert value(families, "pydest_send_latency_seconds_count",
                 destination="d_http") == 8
    assert value(families, "pydest_send_latency_seconds_sum",
                 destination="d_http") == 12.00505
    names = {s.labels["destination"]
             for s in families["pydest_queue_depth"].samples}
    assert names == {"d_http", TRICKY}, names


def main():
    dump = sys.argv[1]
    prometheus = render(dump, "prometheus")
    families = {}
    for f in parse_prometheus(prometheus):
        families[f.name] = f
    check(families, "prometheus")

    openmetrics = render(dump, "openmetrics")
    assert openmetrics.endswith("# EOF\n"), openmetrics[-20:]
    families = {f.name: f for f in parse_openmetrics(openmetrics)}
    check(families, "openmetrics")
    units = {name: f.unit for name, f in families.items() if f.unit}
    assert units == {"pydest_suspended_seconds": "seconds",
                     "pydest_written_bytes": "bytes",
                     "pydest_send_latency_seconds": "seconds",
                     "pydest_queue_time_seconds": "seconds"}, units
    print("ok: both formats parse, values and names round-trip")


if __name__ == "__main__":
    main()
