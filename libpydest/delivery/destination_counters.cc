#include "libpydest/delivery/destination_counters.h"

namespace pydest::internal {

DestinationStats DestinationCounters::Snapshot() const {
  DestinationStats s;
  auto get = [this](Outcome o) {
    return by_outcome[static_cast<int>(o)].load(kRelaxed);
  };
  s.queued = queued.load(kRelaxed);
  s.delivered = get(Outcome::kDelivered);
  s.dropped_by_destination = get(Outcome::kDroppedByDestination);
  s.dropped_retries_exhausted = get(Outcome::kDroppedRetriesExhausted);
  s.dropped_on_error = get(Outcome::kDroppedOnError);
  s.dropped_queue_overflow = get(Outcome::kDroppedQueueOverflow);
  s.dropped_shutdown = get(Outcome::kDroppedShutdown);
  s.dropped_not_accepted = get(Outcome::kDroppedNotAccepted);
  s.kept_in_disk_buffer = get(Outcome::kKeptInDiskBuffer);
  s.dropped_poison = get(Outcome::kDroppedPoison);
  s.processed = s.delivered + s.dropped() + s.kept_in_disk_buffer;
  s.retries = retries.load(kRelaxed);
  s.reopens = reopens.load(kRelaxed);
  s.worker_restarts = worker_restarts.load(kRelaxed);
  s.suspended_ms = suspended_ms.load(kRelaxed);
  s.batches = batches.load(kRelaxed);
  s.late_completions = late_completions.load(kRelaxed);
  s.python_exceptions = python_exceptions.load(kRelaxed);
  s.casting_errors = casting_errors.load(kRelaxed);
  s.written_bytes = written_bytes.load(kRelaxed);
  s.disk_buffer_recovered = disk_buffer_recovered.load(kRelaxed);
  s.disk_buffer_possible_duplicates =
      disk_buffer_possible_duplicates.load(kRelaxed);
  s.disk_buffer_damaged = disk_buffer_damaged.load(kRelaxed);
  s.dead_lettered = dead_lettered.load(kRelaxed);
  s.dead_letter_failed = dead_letter_failed.load(kRelaxed);
  s.send_latency = send_latency.Snapshot();
  s.queue_time = queue_time.Snapshot();
  return s;
}

}  // namespace pydest::internal
