#include "libpydest/delivery/latency_recorder.h"

namespace pydest::internal {

LatencyHistogram LatencyRecorder::Snapshot() const {
  LatencyHistogram h;
  for (size_t b = 0; b < buckets_.size(); ++b) {
    h.counts[b] = buckets_[b].load(std::memory_order_relaxed);
    h.count += h.counts[b];
  }
  h.sum_seconds =
      static_cast<double>(sum_nanos_.load(std::memory_order_relaxed)) / 1e9;
  return h;
}

}  // namespace pydest::internal
