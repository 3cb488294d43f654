// LatencyRecorder: the recording side of a LatencyHistogram
// (include/pydest/latency_histogram.h) — one relaxed atomic per bucket and
// one for the sum, so the workers record without a lock and stats() reads
// at any time.
//
// Thread-safety: Record and Snapshot from any thread. A snapshot taken
// while durations are recorded may have a sum that does not match its
// counts exactly (as DestinationCounters' snapshots are not atomic across
// counters); `count` is always the sum of its own buckets.
#ifndef LIBPYDEST_DELIVERY_LATENCY_RECORDER_H_
#define LIBPYDEST_DELIVERY_LATENCY_RECORDER_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "pydest/latency_histogram.h"

namespace pydest::internal {

// LatencyHistogram::kUpperBoundsSeconds in nanoseconds, rounded (25e-6 * 1e9
// is 25000.000000000004 in doubles).
constexpr std::array<uint64_t, LatencyHistogram::kBoundCount>
LatencyBoundsNanos() {
  std::array<uint64_t, LatencyHistogram::kBoundCount> out{};
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<uint64_t>(
        LatencyHistogram::kUpperBoundsSeconds[i] * 1e9 + 0.5);
  }
  return out;
}

class LatencyRecorder {
 public:
  // Counts one duration; a negative one (clocks of two threads a few
  // nanoseconds apart) counts as zero.
  void Record(int64_t nanos) {
    const uint64_t ns = nanos > 0 ? static_cast<uint64_t>(nanos) : 0;
    buckets_[BucketOf(ns)].fetch_add(1, std::memory_order_relaxed);
    sum_nanos_.fetch_add(ns, std::memory_order_relaxed);
  }

  LatencyHistogram Snapshot() const;

  // The bucket a duration of `nanos` belongs in (exposed for the tests).
  static size_t BucketOf(uint64_t nanos) {
    // Most durations are short: a linear scan ends in the first buckets.
    size_t b = 0;
    while (b < LatencyHistogram::kBoundCount && nanos > kBoundNanos[b]) ++b;
    return b;
  }

 private:
  static constexpr std::array<uint64_t, LatencyHistogram::kBoundCount>
      kBoundNanos = LatencyBoundsNanos();

  std::array<std::atomic<uint64_t>, LatencyHistogram::kBucketCount> buckets_{};
  std::atomic<uint64_t> sum_nanos_{0};
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_LATENCY_RECORDER_H_
