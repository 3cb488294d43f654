// RenderMetrics: destinations' stats() snapshots as a Prometheus or
// OpenMetrics text exposition, for a host's /metrics endpoint. The library
// serves nothing itself; the host takes the snapshots, renders them and
// serves the text with MetricsContentType(format).
//
//   std::vector<pydest::NamedDestinationStats> all;
//   all.push_back({"d_http", http_host->stats()});
//   absl::StatusOr<std::string> text = pydest::RenderMetrics(all);
//
// Every family is named pydest_*, each series has a `destination` label with
// the name given here, counters end in _total, durations are in seconds.
// The families: pydest_messages_queued_total,
// pydest_messages_processed_total{outcome=OutcomeName(...)} (one series per
// Outcome, 0 included), the gauges pydest_queue_depth and
// pydest_queue_capacity, pydest_retries_total, pydest_reopens_total,
// pydest_suspended_seconds_total, pydest_python_exceptions_total,
// pydest_batches_total, pydest_casting_errors_total,
// pydest_late_completions_total, pydest_written_bytes_total, and the
// histograms pydest_send_latency_seconds and pydest_queue_time_seconds
// (cumulative _bucket{le=...} up to "+Inf", _count, _sum). docs/metrics.md
// describes each.
//
// Thread-safety: a pure function of its arguments.
#ifndef PYDEST_METRICS_H_
#define PYDEST_METRICS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "pydest/export.h"
#include "pydest/stats.h"

namespace pydest {

enum class MetricsFormat : uint8_t {
  // The Prometheus text format 0.0.4: HELP and TYPE name the sample
  // (pydest_retries_total); no end marker.
  kPrometheusText,
  // OpenMetrics 1.0 text: HELP, TYPE and UNIT name the family without
  // _total (pydest_retries), and the text ends with "# EOF".
  kOpenMetricsText,
};

// The HTTP Content-Type to serve `format` with, e.g.
// "text/plain; version=0.0.4; charset=utf-8".
PYDEST_EXPORT const char* MetricsContentType(MetricsFormat format);

// One destination's snapshot and the name its series are labelled with
// (destination="name"), e.g. DestinationOptions::name.
struct NamedDestinationStats {
  std::string name;
  DestinationStats stats;
};

// The text exposition of `destinations`, in their order within each family.
// Names are escaped as the formats require (backslash, double quote,
// newline). InvalidArgument when two destinations have the same name (their
// series would clash) or a name is not valid UTF-8. No destinations: an
// empty text (OpenMetrics: just "# EOF").
PYDEST_EXPORT absl::StatusOr<std::string> RenderMetrics(
    absl::Span<const NamedDestinationStats> destinations,
    MetricsFormat format = MetricsFormat::kPrometheusText);

}  // namespace pydest

#endif  // PYDEST_METRICS_H_
