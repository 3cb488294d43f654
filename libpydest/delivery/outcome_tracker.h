// OutcomeTracker: the one place where a message gets its final Outcome. It
// counts every outcome into the destination's counters, calls the host's
// outcome callbacks, and knows which accepted messages are still
// outstanding, so PyDestinationHost::Flush can wait for "everything queued
// before this call" (DESIGN.md rule 5: nothing leaves without an outcome).
//
// It counts into the destination's DestinationCounters, where the counters
// that are not outcomes (retries, reopens, suspended time, batches) and the
// latency histograms are counted too.
//
// Thread-safety: every method may be called from any thread. on_outcome runs
// on the reporting thread, without any lock of this class held... except
// the caller's own (workers report under their state lock, see worker.h).
#ifndef LIBPYDEST_DELIVERY_OUTCOME_TRACKER_H_
#define LIBPYDEST_DELIVERY_OUTCOME_TRACKER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libpydest/delivery/clock.h"
#include "libpydest/delivery/dead_letter_sink.h"
#include "libpydest/delivery/destination_counters.h"
#include "libpydest/delivery/driver.h"
#include "pydest/message.h"
#include "pydest/outcome.h"
#include "pydest/outcome_report.h"
#include "pydest/stats.h"

namespace pydest::internal {

class OutcomeTracker {
 public:
  using Callback = std::function<void(const Message&, const OutcomeReport&)>;
  // `counters` must outlive the tracker.
  OutcomeTracker(Callback on_outcome, uint64_t first_seqnum, Clock* clock,
                 DestinationCounters* counters);

  // A message was accepted into the queue: returns its $SEQNUM. Sequence
  // numbers are handed out in order; callers serialise Accept with the
  // queue's order (the queue calls it under its own lock).
  uint64_t Accept();

  // With a disk buffer: `on_kept(id)` before a message that would be
  // kDroppedShutdown is reported kKeptInDiskBuffer instead (it stays in the
  // buffer), and `on_settled(id)` whenever every id up to `id` has an
  // outcome (outside the tracker's lock). Call before any report.
  void SetDiskBuffer(std::function<void(uint64_t)> on_kept,
                     std::function<void(uint64_t)> on_settled);

  // With a dead-letter(): every dropped message is handed to `sink` before
  // the host's callbacks see its outcome, and counted as dead_lettered or
  // dead_letter_failed. Call before any report.
  void SetDeadLetters(std::shared_ptr<DeadLetterSink> sink) {
    dead_letters_ = std::move(sink);
  }

  // The final outcome of an accepted message.
  void Report(const QueuedMessage& message, Outcome outcome);
  // The same outcome for messages[0..n), in order, settling them under one
  // lock.
  void ReportRange(const QueuedMessage* messages, size_t n, Outcome outcome);
  // The outcome of a message that was never accepted (overflow kDropNewest,
  // or handed over after shutdown began), with the host's context for it.
  void ReportUnaccepted(const Message& message, uint64_t context,
                        Outcome outcome);

  // The last sequence number handed out so far (first_seqnum - 1 if none).
  uint64_t LastAccepted() const;
  // Waits until every message up to and including `seqnum` has an outcome.
  // DeadlineExceeded when `deadline` (on the clock) passes first.
  absl::Status WaitSettled(uint64_t seqnum, absl::Time deadline);

  void AddRetries(uint64_t n) { counters_->Add(counters_->retries, n); }
  void AddReopen() { counters_->Add(counters_->reopens); }
  void AddSuspended(absl::Duration d) {
    counters_->Add(counters_->suspended_ms,
                   static_cast<uint64_t>(absl::ToInt64Milliseconds(d)));
  }
  void AddBatch() { counters_->Add(counters_->batches); }
  // A worker's tallies of send() durations and queue times, added to the
  // histograms (and emptied).
  void AddLatencies(LatencyTally* send_latency, LatencyTally* queue_time) {
    counters_->send_latency.Add(send_latency);
    counters_->queue_time.Add(queue_time);
  }
  // Calls that returned for messages already reported kDroppedShutdown.
  void AddLateCompletions(uint64_t n) {
    counters_->Add(counters_->late_completions, n);
  }

  // Workers report deliveries once per batch: between a SUCCESS and that
  // report the messages are delivered without an outcome yet. n > 0 when
  // they are acknowledged, n < 0 when reported.
  void AddAcknowledged(int64_t n) {
    acknowledged_.fetch_add(static_cast<uint64_t>(n), kRelaxed);
  }

  // Messages accepted and neither settled nor acknowledged yet (lock-free):
  // what a sudden end of the process loses.
  uint64_t Unsettled() const {
    const uint64_t done = settled_accepted_.load(kRelaxed) +
                          acknowledged_.load(kRelaxed);
    const uint64_t queued = counters_->queued.load(kRelaxed);
    return queued > done ? queued - done : 0;
  }

 private:
  // Hands a drop to the dead letters (when there are any) and counts how
  // it went.
  void DeadLetter(const QueuedMessage* messages, size_t n, Outcome outcome);

  static constexpr std::memory_order kRelaxed = std::memory_order_relaxed;
  Callback on_outcome_;
  std::function<void(uint64_t)> on_kept_;     // null: no disk buffer
  std::function<void(uint64_t)> on_settled_;  // null: no disk buffer
  std::shared_ptr<DeadLetterSink> dead_letters_;  // null: none
  Clock* clock_;
  DestinationCounters* counters_;

  mutable absl::Mutex mu_;
  absl::CondVar settled_cv_;
  // Handed out by Accept without mu_ (Send() would otherwise take a second
  // mutex per message); Accept's callers serialise it with the queue order.
  std::atomic<uint64_t> next_seqnum_;
  // done_[i] says whether seqnum base_ + i has an outcome; the settled
  // prefix is popped, so the deque holds only the outstanding window. It
  // grows when a later seqnum is reported first.
  uint64_t base_ ABSL_GUARDED_BY(mu_);
  // The smallest seqnum a WaitSettled caller is waiting for (UINT64_MAX:
  // none). Report wakes waiters only once base_ has passed it, not on every
  // settled message: a Flush behind 1000 queued messages used to be woken
  // (a context switch pair) once per message.
  uint64_t wake_after_ ABSL_GUARDED_BY(mu_) = UINT64_MAX;
  std::deque<bool> done_ ABSL_GUARDED_BY(mu_);

  // Written by the workers, apart from the producers' next_seqnum_.
  alignas(64) std::atomic<uint64_t> settled_accepted_{0};  // of accepted ones
  std::atomic<uint64_t> acknowledged_{0};  // see AddAcknowledged
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_OUTCOME_TRACKER_H_
