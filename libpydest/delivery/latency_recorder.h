// LatencyRecorder: the recording side of a LatencyHistogram
// (include/pydest/latency_histogram.h) — one relaxed atomic per bucket and
// one for the sum, so the workers record without a lock and stats() reads
// at any time. A worker counts into its own LatencyTally (plain integers)
// and adds it to the recorder once per driver batch: per message that is
// a few plain increments instead of two atomic additions on a cache line
// the other workers write too.
//
// Thread-safety: LatencyRecorder's methods from any thread. A snapshot
// taken while durations are added may have a sum that does not match its
// counts exactly (as DestinationCounters' snapshots are not atomic across
// counters); `count` is always the sum of its own buckets. A LatencyTally
// belongs to one thread.
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

// The bucket a duration of `nanos` belongs in.
inline size_t LatencyBucketOf(uint64_t nanos) {
  static constexpr std::array<uint64_t, LatencyHistogram::kBoundCount>
      kBoundNanos = LatencyBoundsNanos();
  // Most durations are short: a linear scan ends in the first buckets.
  size_t b = 0;
  while (b < LatencyHistogram::kBoundCount && nanos > kBoundNanos[b]) ++b;
  return b;
}

// Durations counted by one thread until they are added to a recorder.
class LatencyTally {
 public:
  // Counts one duration; a negative one (the clock read on two threads a
  // few nanoseconds apart) counts as zero.
  void Record(int64_t nanos) {
    const uint64_t ns = nanos > 0 ? static_cast<uint64_t>(nanos) : 0;
    ++counts_[LatencyBucketOf(ns)];
    sum_nanos_ += ns;
    empty_ = false;
  }
  bool empty() const { return empty_; }

 private:
  friend class LatencyRecorder;
  std::array<uint64_t, LatencyHistogram::kBucketCount> counts_{};
  uint64_t sum_nanos_ = 0;
  bool empty_ = true;
};

class LatencyRecorder {
 public:
  // Counts one duration (as LatencyTally::Record).
  void Record(int64_t nanos) {
    LatencyTally one;
    one.Record(nanos);
    Add(&one);
  }
  // Adds what `tally` counted and empties it.
  void Add(LatencyTally* tally) {
    if (tally->empty_) return;
    for (size_t b = 0; b < buckets_.size(); ++b) {
      if (tally->counts_[b] != 0) {
        buckets_[b].fetch_add(tally->counts_[b], std::memory_order_relaxed);
      }
    }
    sum_nanos_.fetch_add(tally->sum_nanos_, std::memory_order_relaxed);
    *tally = LatencyTally();
  }

  LatencyHistogram Snapshot() const;

 private:
  std::array<std::atomic<uint64_t>, LatencyHistogram::kBucketCount> buckets_{};
  std::atomic<uint64_t> sum_nanos_{0};
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_LATENCY_RECORDER_H_
