// LatencyHistogram: how a set of durations spread over fixed buckets, as a
// snapshot — DestinationStats::send_latency and queue_time. The bounds are
// the same for every histogram and every release of this header, so
// snapshots can be added, subtracted and compared bucket by bucket.
//
//   const LatencyHistogram& h = host->stats().send_latency;
//   double mean = h.count > 0 ? h.sum_seconds / h.count : 0;
//   uint64_t within_1ms = h.CumulativeCount(6);  // kUpperBoundsSeconds[6]
//
// Thread-safety: a plain value.
#ifndef PYDEST_LATENCY_HISTOGRAM_H_
#define PYDEST_LATENCY_HISTOGRAM_H_

#include <array>
#include <cstddef>
#include <cstdint>

namespace pydest {

struct LatencyHistogram {
  // The buckets' upper bounds in seconds, ascending: 10 us to 10 s, three
  // per decade (1, 2.5, 5), fine enough for a no-op send() and coarse
  // enough for a stalled one. A bound is inclusive (Prometheus's `le`): a
  // duration of exactly 1 ms counts in the 1 ms bucket. One more bucket,
  // after these, holds everything longer than 10 s (`le="+Inf"`).
  static constexpr size_t kBoundCount = 19;
  static constexpr std::array<double, kBoundCount> kUpperBoundsSeconds = {
      10e-6, 25e-6, 50e-6,   // microseconds
      100e-6, 250e-6, 500e-6,
      1e-3, 2.5e-3, 5e-3,    // milliseconds
      10e-3, 25e-3, 50e-3,
      100e-3, 250e-3, 500e-3,
      1.0, 2.5, 5.0,         // seconds
      10.0};
  static constexpr size_t kBucketCount = kBoundCount + 1;

  // Per bucket, not cumulative: counts[i] is how many durations were above
  // kUpperBoundsSeconds[i - 1] and at most kUpperBoundsSeconds[i];
  // counts[kBoundCount] how many were above the last bound. Prometheus's
  // cumulative `_bucket` values are CumulativeCount(i).
  std::array<uint64_t, kBucketCount> counts{};
  // How many durations were recorded: the sum of `counts`.
  uint64_t count = 0;
  // Their total, in seconds (nanosecond resolution).
  double sum_seconds = 0;

  // counts[0] + ... + counts[i]: the durations at most
  // kUpperBoundsSeconds[i] (all of them for i >= kBoundCount).
  uint64_t CumulativeCount(size_t i) const {
    uint64_t n = 0;
    for (size_t b = 0; b <= i && b < kBucketCount; ++b) n += counts[b];
    return n;
  }
};

}  // namespace pydest

#endif  // PYDEST_LATENCY_HISTOGRAM_H_
