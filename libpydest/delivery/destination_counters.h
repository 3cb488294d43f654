// DestinationCounters: every counter of one destination, in one place. The
// delivery layer (OutcomeTracker, workers), the Python side (exceptions,
// casting errors, stats_written_bytes_add()) and the host write their
// counters here; Snapshot() is the one place DestinationStats is assembled.
//
// Thread-safety: relaxed atomics, written and read from any thread. A
// snapshot is not atomic across counters (as syslog-ng's stats are not).
#ifndef LIBPYDEST_DELIVERY_DESTINATION_COUNTERS_H_
#define LIBPYDEST_DELIVERY_DESTINATION_COUNTERS_H_

#include <atomic>
#include <cstdint>

#include "libpydest/delivery/latency_recorder.h"
#include "pydest/outcome.h"
#include "pydest/stats.h"

namespace pydest::internal {

struct DestinationCounters {
  static constexpr std::memory_order kRelaxed = std::memory_order_relaxed;
  using Counter = std::atomic<uint64_t>;

  void Add(Counter& counter, uint64_t n = 1) { counter.fetch_add(n, kRelaxed); }
  void CountOutcome(Outcome outcome, uint64_t n = 1) {
    Add(by_outcome[static_cast<int>(outcome)], n);
  }

  // The counters as DestinationStats; queue_depth and queue_capacity are
  // the queue's to fill (they are its state, not counts).
  DestinationStats Snapshot() const;

  // Written by the threads that call Send(): a cache line of its own, apart
  // from the workers' counters below.
  alignas(64) Counter queued{0};  // accepted messages

  // Written by the workers and the prepare thread.
  alignas(64) Counter by_outcome[9] = {};
  Counter retries{0};
  Counter reopens{0};
  Counter worker_restarts{0};  // isolation(process)
  Counter suspended_ms{0};
  Counter batches{0};
  Counter late_completions{0};

  // Recorded by the workers: every send() call's duration, and each
  // message's time from acceptance to its first send() call.
  alignas(64) LatencyRecorder send_latency;
  LatencyRecorder queue_time;

  // Written by the Python side.
  alignas(64) Counter python_exceptions{0};
  Counter casting_errors{0};
  Counter written_bytes{0};  // LogDestination.stats_written_bytes_add()

  // The disk buffer's (set once, when it is opened).
  Counter disk_buffer_recovered{0};
  Counter disk_buffer_possible_duplicates{0};
  Counter disk_buffer_damaged{0};

  // Drops a dead-letter() took, and those it could not (counted by the
  // outcome tracker, on the thread that settles the drop).
  Counter dead_lettered{0};
  Counter dead_letter_failed{0};
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_DESTINATION_COUNTERS_H_
