#include "libpydest/delivery/outcome_tracker.h"

#include <algorithm>
#include <utility>

namespace pydest::internal {

OutcomeTracker::OutcomeTracker(Callback on_outcome, uint64_t first_seqnum,
                               Clock* clock)
    : on_outcome_(std::move(on_outcome)),
      clock_(clock),
      next_seqnum_(first_seqnum),
      base_(first_seqnum) {}

uint64_t OutcomeTracker::Accept() {
  queued_.fetch_add(1, kRelaxed);
  return next_seqnum_.fetch_add(1, kRelaxed);
}

void OutcomeTracker::Count(Outcome outcome) {
  by_outcome_[static_cast<int>(outcome)].fetch_add(1, kRelaxed);
}

void OutcomeTracker::Report(const QueuedMessage& message, Outcome outcome) {
  ReportRange(&message, 1, outcome);
}

void OutcomeTracker::ReportRange(const QueuedMessage* messages, size_t n,
                                 Outcome outcome) {
  if (n == 0) return;
  by_outcome_[static_cast<int>(outcome)].fetch_add(n, kRelaxed);
  // The callback runs before the message counts as settled, so Flush()
  // returns only after the host has seen every outcome it waits for.
  if (on_outcome_) {
    for (size_t i = 0; i < n; ++i) on_outcome_(messages[i].message, outcome);
  }
  settled_accepted_.fetch_add(n, kRelaxed);
  // One lock for the whole range: a flush() SUCCESS settles a QUEUED batch
  // of batch-lines() messages at once.
  absl::MutexLock lock(&mu_);
  // Accept happened before (through the queue), so next_seqnum_ is already
  // past every seqnum that can be reported here.
  const uint64_t end = next_seqnum_.load(kRelaxed);
  const uint64_t old_base = base_;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t seqnum = messages[i].seqnum;
    if (seqnum < base_ || seqnum >= end) continue;
    const uint64_t k = seqnum - base_;
    if (k >= done_.size()) done_.resize(k + 1, false);
    done_[k] = true;
    while (!done_.empty() && done_.front()) {
      done_.pop_front();
      ++base_;
    }
  }
  if (base_ != old_base && base_ > wake_after_) {
    wake_after_ = UINT64_MAX;  // each woken waiter sets it again
    settled_cv_.SignalAll();
  }
}

void OutcomeTracker::ReportUnaccepted(const Message& message,
                                      Outcome outcome) {
  Count(outcome);
  if (on_outcome_) on_outcome_(message, outcome);
}

uint64_t OutcomeTracker::LastAccepted() const {
  return next_seqnum_.load(kRelaxed) - 1;
}

absl::Status OutcomeTracker::WaitSettled(uint64_t seqnum,
                                         absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  while (base_ <= seqnum) {
    // Poll the injected clock in short real slices: a fake clock's time only
    // moves when workers wait, and the deadline is on that clock.
    const absl::Duration left = deadline - clock_->Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError(
          "flush deadline passed with messages still outstanding");
    }
    wake_after_ = std::min(wake_after_, seqnum);
    settled_cv_.WaitWithTimeout(&mu_, std::min(left, absl::Milliseconds(20)));
  }
  return absl::OkStatus();
}

DestinationStats OutcomeTracker::Snapshot() const {
  DestinationStats s;
  auto get = [this](Outcome o) {
    return by_outcome_[static_cast<int>(o)].load(kRelaxed);
  };
  s.queued = queued_.load(kRelaxed);
  s.delivered = get(Outcome::kDelivered);
  s.dropped_by_destination = get(Outcome::kDroppedByDestination);
  s.dropped_retries_exhausted = get(Outcome::kDroppedRetriesExhausted);
  s.dropped_on_error = get(Outcome::kDroppedOnError);
  s.dropped_queue_overflow = get(Outcome::kDroppedQueueOverflow);
  s.dropped_shutdown = get(Outcome::kDroppedShutdown);
  s.dropped_not_accepted = get(Outcome::kDroppedNotAccepted);
  s.processed = s.delivered + s.dropped();
  s.retries = retries_.load(kRelaxed);
  s.reopens = reopens_.load(kRelaxed);
  s.suspended_ms = suspended_ms_.load(kRelaxed);
  s.batches = batches_.load(kRelaxed);
  s.late_completions = late_completions_.load(kRelaxed);
  return s;
}

}  // namespace pydest::internal
