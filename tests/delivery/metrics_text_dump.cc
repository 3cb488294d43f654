// Prints RenderMetrics of two fixed destinations, one with a name that needs
// escaping, in the format named by argv[1] ("prometheus" or "openmetrics"),
// for metrics_text_parse_test.py to read back with prometheus_client.
#include <cstdio>
#include <cstring>
#include <vector>

#include "pydest/metrics.h"

int main(int argc, char** argv) {
  using pydest::MetricsFormat;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s prometheus|openmetrics\n", argv[0]);
    return 2;
  }
  const MetricsFormat format = std::strcmp(argv[1], "openmetrics") == 0
                                   ? MetricsFormat::kOpenMetricsText
                                   : MetricsFormat::kPrometheusText;
  std::vector<pydest::NamedDestinationStats> all(2);
  all[0].name = "d_http";
  pydest::DestinationStats& a = all[0].stats;
  a.queued = 10;
  a.delivered = 7;
  a.dropped_queue_overflow = 2;
  a.processed = 9;
  a.queue_depth = 1;
  a.queue_capacity = 10000;
  a.retries = 3;
  a.reopens = 1;
  a.suspended_ms = 1500;
  a.written_bytes = 4096;
  a.send_latency.counts[0] = 5;
  a.send_latency.counts[7] = 2;
  a.send_latency.counts[pydest::LatencyHistogram::kBoundCount] = 1;
  a.send_latency.count = 8;
  a.send_latency.sum_seconds = 12.00505;
  a.queue_time.counts[3] = 7;
  a.queue_time.count = 7;
  a.queue_time.sum_seconds = 0.0006;
  all[1].name = "say \"hi\"\\\nbye";
  all[1].stats.queue_capacity = 5;
  absl::StatusOr<std::string> text = pydest::RenderMetrics(all, format);
  if (!text.ok()) {
    std::fprintf(stderr, "%s\n", std::string(text.status().message()).c_str());
    return 1;
  }
  std::fwrite(text->data(), 1, text->size(), stdout);
  return 0;
}
