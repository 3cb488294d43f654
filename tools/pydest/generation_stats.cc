#include "tools/pydest/generation_stats.h"

#include <algorithm>

namespace pydest::cli {
namespace {

void AddHistogram(const LatencyHistogram& from, LatencyHistogram* into) {
  for (size_t i = 0; i < LatencyHistogram::kBucketCount; ++i) {
    into->counts[i] += from.counts[i];
  }
  into->count += from.count;
  into->sum_seconds += from.sum_seconds;
}

void Subtract(uint64_t n, uint64_t* counter) {
  *counter -= std::min(n, *counter);
}

}  // namespace

void AddGeneration(const DestinationStats& later, DestinationStats* total) {
  DestinationStats& t = *total;
  const DestinationStats& s = later;
  t.queued += s.queued;
  t.processed += s.processed;
  t.delivered += s.delivered;
  t.dropped_by_destination += s.dropped_by_destination;
  t.dropped_retries_exhausted += s.dropped_retries_exhausted;
  t.dropped_on_error += s.dropped_on_error;
  t.dropped_queue_overflow += s.dropped_queue_overflow;
  t.dropped_shutdown += s.dropped_shutdown;
  t.dropped_not_accepted += s.dropped_not_accepted;
  t.dropped_poison += s.dropped_poison;
  t.retries += s.retries;
  t.reopens += s.reopens;
  t.worker_restarts += s.worker_restarts;
  t.suspended_ms += s.suspended_ms;
  t.python_exceptions += s.python_exceptions;
  t.batches += s.batches;
  t.casting_errors += s.casting_errors;
  // A retired generation's queue is empty: the sum is what waits now.
  t.queue_depth += s.queue_depth;
  t.queue_capacity = s.queue_capacity;
  t.late_completions += s.late_completions;
  t.written_bytes += s.written_bytes;
  t.kept_in_disk_buffer += s.kept_in_disk_buffer;
  t.disk_buffer_recovered += s.disk_buffer_recovered;
  t.disk_buffer_possible_duplicates += s.disk_buffer_possible_duplicates;
  t.disk_buffer_damaged += s.disk_buffer_damaged;
  t.disk_buffer_bytes = s.disk_buffer_bytes;
  t.dead_lettered += s.dead_lettered;
  t.dead_letter_failed += s.dead_letter_failed;
  AddHistogram(s.send_latency, &t.send_latency);
  AddHistogram(s.queue_time, &t.queue_time);
}

void HandOn(uint64_t carried, uint64_t kept, DestinationStats* retired) {
  Subtract(carried + kept, &retired->queued);
  Subtract(carried + kept, &retired->processed);
  Subtract(carried, &retired->dropped_shutdown);
  Subtract(kept, &retired->kept_in_disk_buffer);
}

void RecoveredFromPredecessor(uint64_t kept, DestinationStats* stats) {
  Subtract(kept, &stats->disk_buffer_recovered);
}

}  // namespace pydest::cli
