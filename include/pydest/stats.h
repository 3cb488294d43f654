// Counters of one Python destination, and its latency histograms, as a
// snapshot. Thread-safe to obtain (PyDestinationHost::stats()); the snapshot
// itself is a plain value. RenderMetrics (metrics.h) writes snapshots in the
// Prometheus and OpenMetrics text formats.
#ifndef PYDEST_STATS_H_
#define PYDEST_STATS_H_

#include <cstdint>
#include <string>

#include "pydest/export.h"
#include "pydest/latency_histogram.h"

namespace pydest {

struct DestinationStats {
  uint64_t queued = 0;     // accepted by Send/TrySend
  uint64_t processed = 0;  // reached a final outcome
  uint64_t delivered = 0;
  // Dropped, by reason (see pydest::Outcome).
  uint64_t dropped_by_destination = 0;
  uint64_t dropped_retries_exhausted = 0;
  uint64_t dropped_on_error = 0;
  uint64_t dropped_queue_overflow = 0;
  uint64_t dropped_shutdown = 0;
  uint64_t dropped_not_accepted = 0;
  uint64_t dropped_poison = 0;  // isolation(process): killed its worker
  uint64_t retries = 0;    // messages offered to send() again
  // open() attempts after a failure or disconnect. Worker threads are never
  // restarted in-process: a reopen is what a worker does instead.
  uint64_t reopens = 0;
  // isolation(process): worker processes started again after one died
  // (crashed, exited, was killed, or was killed for send-timeout()).
  uint64_t worker_restarts = 0;
  uint64_t suspended_ms = 0;     // total time waiting for time-reopen
  uint64_t python_exceptions = 0;
  uint64_t batches = 0;          // flush() calls that settled a batch
  uint64_t casting_errors = 0;   // values on-error() had to handle
  uint64_t queue_depth = 0;      // messages waiting right now
  uint64_t queue_capacity = 0;   // log-fifo-size
  // Messages already reported kDroppedShutdown (their worker was abandoned
  // at the shutdown deadline) whose send() or flush() returned afterwards:
  // the destination may have delivered them after all. A caller that
  // retries dropped messages may duplicate these.
  uint64_t late_completions = 0;
  // Bytes the destination says it wrote, with
  // LogDestination.stats_written_bytes_add(n) (syslog-ng 4.8+).
  uint64_t written_bytes = 0;
  // With a disk-buffer(): messages still queued at the Shutdown deadline,
  // left in the buffer for the next run (Outcome::kKeptInDiskBuffer; not
  // dropped, counted in processed).
  uint64_t kept_in_disk_buffer = 0;
  // With a disk-buffer(): messages an earlier run left in the buffer,
  // queued first in this run (counted in queued too), and how many of them
  // had been handed to a worker before that run ended (a crash there may
  // have delivered them already: after a restart they may arrive twice).
  uint64_t disk_buffer_recovered = 0;
  uint64_t disk_buffer_possible_duplicates = 0;
  // Damaged stretches of the buffer's files found when it was opened (the
  // good records around them were kept; docs/disk-buffer.md).
  uint64_t disk_buffer_damaged = 0;
  // The bytes the buffer's files take now (with reliable(yes) including
  // the zeros written ahead of the records: docs/disk-buffer.md).
  uint64_t disk_buffer_bytes = 0;
  // With a dead-letter(): dropped messages it took (a line written to its
  // file, or accepted into its Python destination's queue), and those it
  // could not take (the file could not be written, or the Python
  // destination refused: its queue full, or shut down). Each drop is in
  // exactly one of them.
  uint64_t dead_lettered = 0;
  uint64_t dead_letter_failed = 0;

  // How long each send() call took, retries included (one duration per
  // call; the time of open(), is_opened() and flush() is not in it, the
  // worker's own bookkeeping since the previous send() of its batch, well
  // under a microsecond, is).
  LatencyHistogram send_latency;
  // How long each message waited from being accepted (Send, TrySend,
  // TrySendBatch) until its first send() call began: the queue, the
  // value-pairs() evaluation and the wait behind the messages ahead of it
  // in its worker's batch. Messages dropped before any send() (queue
  // overflow, shutdown, on-error) are not in it.
  LatencyHistogram queue_time;

  // The sum of the dropped_* counters.
  uint64_t dropped() const {
    return dropped_by_destination + dropped_retries_exhausted +
           dropped_on_error + dropped_queue_overflow + dropped_shutdown +
           dropped_not_accepted + dropped_poison;
  }
  // One line of JSON: an object with every counter above by its field name,
  // plus "dropped" (the sum) after "delivered", in the order declared
  // here; then "send_latency" and "queue_time", each an object
  // {"count", "sum_seconds", "upper_bounds_seconds": [the 19 bounds],
  // "counts": [the 20 per-bucket counts, not cumulative]}. Never fails.
  PYDEST_EXPORT std::string ToJson() const;
};

}  // namespace pydest

#endif  // PYDEST_STATS_H_
