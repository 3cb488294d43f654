// RenderMetrics and MetricsContentType (include/pydest/metrics.h): the
// Prometheus / OpenMetrics text of DestinationStats, beside the counters it
// formats (delivery owns the stats).
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "pydest/latency_histogram.h"
#include "pydest/metrics.h"
#include "pydest/outcome.h"
#include "pydest/stats.h"

namespace pydest {
namespace {

constexpr Outcome kOutcomes[] = {
    Outcome::kDelivered,           Outcome::kDroppedByDestination,
    Outcome::kDroppedRetriesExhausted, Outcome::kDroppedOnError,
    Outcome::kDroppedQueueOverflow, Outcome::kDroppedShutdown,
    Outcome::kDroppedNotAccepted,  Outcome::kKeptInDiskBuffer,
    Outcome::kDroppedPoison,
};

bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3
                 : (c >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    uint32_t cp = len == 1 ? c : c & (0x7f >> len);
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += len;
  }
  return true;
}

// A label value between double quotes: \, " and newline escaped (both
// formats).
std::string QuotedLabelValue(absl::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

// A float as Go's strconv and Python's repr write it ("1e-05", "0.0001",
// "2.5", "10.0"): what Prometheus clients put in `le`, and OpenMetrics'
// canonical form.
std::string FormatFloat(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[64];
  const double mag = std::fabs(v);
  const bool fixed = mag == 0 || (mag >= 1e-4 && mag < 1e16);
  const std::to_chars_result r = std::to_chars(
      buf, buf + sizeof(buf), v,
      fixed ? std::chars_format::fixed : std::chars_format::scientific);
  std::string out(buf, r.ptr);
  if (out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

// One family: its metadata once, then its series for every destination.
class Writer {
 public:
  Writer(absl::Span<const NamedDestinationStats> destinations,
         MetricsFormat format)
      : destinations_(destinations),
        open_metrics_(format == MetricsFormat::kOpenMetricsText) {}

  // `name` without _total; `unit` "" or the suffix the name ends with.
  void Counter(absl::string_view name, absl::string_view unit,
               absl::string_view help,
               uint64_t (*value)(const DestinationStats&)) {
    CounterMetadata(name, unit, help);
    for (const NamedDestinationStats& d : destinations_) {
      Sample(absl::StrCat(name, "_total"), Labels(d.name), value(d.stats));
    }
  }

  // A counter of whole milliseconds, exposed in seconds; `name` ends in
  // _seconds.
  void MillisecondsCounter(absl::string_view name, absl::string_view help,
                           uint64_t (*millis)(const DestinationStats&)) {
    CounterMetadata(name, "seconds", help);
    for (const NamedDestinationStats& d : destinations_) {
      // Exact: a decimal with three places.
      const uint64_t ms = millis(d.stats);
      Line(absl::StrCat(name, "_total{", Labels(d.name), "} ", ms / 1000,
                        ".", absl::StrFormat("%03d", ms % 1000)));
    }
  }

  void Gauge(absl::string_view name, absl::string_view help,
             uint64_t (*value)(const DestinationStats&)) {
    Metadata(std::string(name), "gauge", "", help);
    for (const NamedDestinationStats& d : destinations_) {
      Sample(name, Labels(d.name), value(d.stats));
    }
  }

  void OutcomeCounter(absl::string_view name, absl::string_view help) {
    CounterMetadata(name, "", help);
    for (const NamedDestinationStats& d : destinations_) {
      for (Outcome o : kOutcomes) {
        Sample(absl::StrCat(name, "_total"),
               absl::StrCat(Labels(d.name), ",outcome=\"", OutcomeName(o),
                            "\""),
               OutcomeCount(d.stats, o));
      }
    }
  }

  // `name` ends in _seconds.
  void Histogram(absl::string_view name, absl::string_view help,
                 const LatencyHistogram DestinationStats::*member) {
    Metadata(std::string(name), "histogram", "seconds", help);
    const std::string bucket = absl::StrCat(name, "_bucket");
    for (const NamedDestinationStats& d : destinations_) {
      const LatencyHistogram& h = d.stats.*member;
      const std::string labels = Labels(d.name);
      uint64_t cumulative = 0;
      for (size_t b = 0; b < LatencyHistogram::kBucketCount; ++b) {
        cumulative += h.counts[b];
        const double le = b < LatencyHistogram::kBoundCount
                              ? LatencyHistogram::kUpperBoundsSeconds[b]
                              : INFINITY;
        Sample(bucket,
               absl::StrCat(labels, ",le=\"", FormatFloat(le), "\""),
               cumulative);
      }
      // _count is the +Inf bucket, as both formats require.
      Sample(absl::StrCat(name, "_count"), labels, cumulative);
      Line(absl::StrCat(name, "_sum{", labels, "} ",
                        FormatFloat(h.sum_seconds)));
    }
  }

  std::string Finish() {
    if (open_metrics_) out_ += "# EOF\n";
    return std::move(out_);
  }

 private:
  static uint64_t OutcomeCount(const DestinationStats& s, Outcome o) {
    switch (o) {
      case Outcome::kDelivered:
        return s.delivered;
      case Outcome::kDroppedByDestination:
        return s.dropped_by_destination;
      case Outcome::kDroppedRetriesExhausted:
        return s.dropped_retries_exhausted;
      case Outcome::kDroppedOnError:
        return s.dropped_on_error;
      case Outcome::kDroppedQueueOverflow:
        return s.dropped_queue_overflow;
      case Outcome::kDroppedShutdown:
        return s.dropped_shutdown;
      case Outcome::kDroppedNotAccepted:
        return s.dropped_not_accepted;
      case Outcome::kKeptInDiskBuffer:
        return s.kept_in_disk_buffer;
      case Outcome::kDroppedPoison:
        return s.dropped_poison;
    }
    return 0;
  }

  static std::string Labels(absl::string_view destination) {
    return absl::StrCat("destination=", QuotedLabelValue(destination));
  }

  void Metadata(const std::string& name, absl::string_view type,
                absl::string_view unit, absl::string_view help) {
    if (destinations_.empty()) return;
    Line(absl::StrCat("# HELP ", name, " ", help));
    Line(absl::StrCat("# TYPE ", name, " ", type));
    // UNIT is OpenMetrics only.
    if (open_metrics_ && !unit.empty()) {
      Line(absl::StrCat("# UNIT ", name, " ", unit));
    }
  }

  // Prometheus 0.0.4 names the sample (with _total) in a counter's
  // metadata, OpenMetrics the family.
  void CounterMetadata(absl::string_view name, absl::string_view unit,
                       absl::string_view help) {
    Metadata(open_metrics_ ? std::string(name) : absl::StrCat(name, "_total"),
             "counter", unit, help);
  }

  void Sample(absl::string_view name, absl::string_view labels, uint64_t v) {
    Line(absl::StrCat(name, "{", labels, "} ", v));
  }

  void Line(absl::string_view line) {
    out_.append(line.data(), line.size());
    out_ += '\n';
  }

  absl::Span<const NamedDestinationStats> destinations_;
  const bool open_metrics_;
  std::string out_;
};

}  // namespace

const char* MetricsContentType(MetricsFormat format) {
  switch (format) {
    case MetricsFormat::kPrometheusText:
      return "text/plain; version=0.0.4; charset=utf-8";
    case MetricsFormat::kOpenMetricsText:
      return "application/openmetrics-text; version=1.0.0; charset=utf-8";
  }
  return "text/plain; version=0.0.4; charset=utf-8";
}

absl::StatusOr<std::string> RenderMetrics(
    absl::Span<const NamedDestinationStats> destinations,
    MetricsFormat format) {
  absl::flat_hash_set<absl::string_view> seen;
  for (const NamedDestinationStats& d : destinations) {
    if (!IsValidUtf8(d.name)) {
      return absl::InvalidArgumentError(
          "a destination name is not valid UTF-8 (label values must be)");
    }
    if (!seen.insert(d.name).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "destination name \"", d.name,
          "\" appears twice; its series would clash"));
    }
  }
  using S = DestinationStats;
  Writer w(destinations, format);
  w.Counter("pydest_messages_queued", "",
            "Messages accepted by Send, TrySend or TrySendBatch.",
            [](const S& s) { return s.queued; });
  w.OutcomeCounter("pydest_messages_processed",
                   "Messages that reached their final outcome, by outcome "
                   "(delivered, or why they were dropped).");
  w.Gauge("pydest_queue_depth", "Messages in the queue now.",
          [](const S& s) { return s.queue_depth; });
  w.Gauge("pydest_queue_capacity", "The queue's size, log-fifo-size().",
          [](const S& s) { return s.queue_capacity; });
  w.Counter("pydest_retries", "",
            "Messages offered to send() again after an error.",
            [](const S& s) { return s.retries; });
  w.Counter("pydest_reopens", "",
            "open() attempts after a failure or disconnect (a worker "
            "reconnects; worker threads are never restarted in-process).",
            [](const S& s) { return s.reopens; });
  w.Counter("pydest_worker_restarts", "",
            "isolation(process): worker processes started again after one "
            "died (a crash, an exit, a kill, send-timeout()).",
            [](const S& s) { return s.worker_restarts; });
  w.MillisecondsCounter(
      "pydest_suspended_seconds",
      "Time workers spent suspended, waiting for time-reopen() or the "
      "backoff.",
      [](const S& s) { return s.suspended_ms; });
  w.Counter("pydest_python_exceptions", "",
            "Exceptions raised by the destination's Python code.",
            [](const S& s) { return s.python_exceptions; });
  w.Counter("pydest_batches", "", "flush() calls that settled a batch.",
            [](const S& s) { return s.batches; });
  w.Counter("pydest_casting_errors", "",
            "Values that could not take their type hint (on-error()).",
            [](const S& s) { return s.casting_errors; });
  w.Counter("pydest_late_completions", "",
            "send() or flush() calls that returned after their messages "
            "were dropped at the shutdown deadline.",
            [](const S& s) { return s.late_completions; });
  w.Counter("pydest_written_bytes", "bytes",
            "Bytes the destination reported with stats_written_bytes_add().",
            [](const S& s) { return s.written_bytes; });
  w.Gauge("pydest_disk_buffer_bytes",
          "Bytes the destination's disk-buffer() files take (0 without one).",
          [](const S& s) { return s.disk_buffer_bytes; });
  w.Counter("pydest_disk_buffer_recovered", "",
            "Messages an earlier run left in the disk buffer, queued first.",
            [](const S& s) { return s.disk_buffer_recovered; });
  w.Counter("pydest_dead_lettered", "",
            "Dropped messages the destination's dead-letter() took.",
            [](const S& s) { return s.dead_lettered; });
  w.Counter("pydest_dead_letter_failed", "",
            "Dropped messages its dead-letter() could not take (file not "
            "writable, or its Python destination refused them).",
            [](const S& s) { return s.dead_letter_failed; });
  w.Histogram("pydest_send_latency_seconds",
              "How long each send() call took, retries included.",
              &S::send_latency);
  w.Histogram("pydest_queue_time_seconds",
              "Time from a message's acceptance to its first send() call.",
              &S::queue_time);
  return w.Finish();
}

}  // namespace pydest
