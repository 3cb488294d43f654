#include "libpydest/delivery/outcome_tracker.h"

#include <algorithm>
#include <utility>

namespace pydest::internal {

OutcomeTracker::OutcomeTracker(Callback on_outcome, uint64_t first_seqnum,
                               Clock* clock, DestinationCounters* counters)
    : on_outcome_(std::move(on_outcome)),
      clock_(clock),
      counters_(counters),
      next_seqnum_(first_seqnum),
      base_(first_seqnum) {}

uint64_t OutcomeTracker::Accept() {
  counters_->Add(counters_->queued);
  return next_seqnum_.fetch_add(1, kRelaxed);
}

void OutcomeTracker::SetDiskBuffer(std::function<void(uint64_t)> on_kept,
                                   std::function<void(uint64_t)> on_settled) {
  on_kept_ = std::move(on_kept);
  on_settled_ = std::move(on_settled);
}

void OutcomeTracker::Report(const QueuedMessage& message, Outcome outcome) {
  ReportRange(&message, 1, outcome);
}

void OutcomeTracker::ReportRange(const QueuedMessage* messages, size_t n,
                                 Outcome outcome) {
  if (n == 0) return;
  if (on_kept_ && outcome == Outcome::kDroppedShutdown) {
    // Not dropped: the disk buffer keeps them for the next run.
    outcome = Outcome::kKeptInDiskBuffer;
    for (size_t i = 0; i < n; ++i) on_kept_(messages[i].seqnum);
  }
  counters_->CountOutcome(outcome, n);
  DeadLetter(messages, n, outcome);
  // The callback runs before the message counts as settled, so Flush()
  // returns only after the host has seen every outcome it waits for.
  if (on_outcome_) {
    OutcomeReport report;
    report.outcome = outcome;
    report.retryable = IsRetryable(outcome);
    for (size_t i = 0; i < n; ++i) {
      report.context = messages[i].context;
      on_outcome_(messages[i].message, report);
    }
  }
  settled_accepted_.fetch_add(n, kRelaxed);
  uint64_t settled_through = 0;
  {
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
      if (seqnum == base_ && done_.empty()) {
        ++base_;  // the common case: settled in order, nothing outstanding
        continue;
      }
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
    if (base_ != old_base) settled_through = base_ - 1;
  }
  // The disk buffer frees what every earlier message is done with.
  if (on_settled_ && settled_through != 0) on_settled_(settled_through);
}

void OutcomeTracker::ReportUnaccepted(const Message& message,
                                      uint64_t context, Outcome outcome) {
  counters_->CountOutcome(outcome);
  if (dead_letters_) {
    QueuedMessage unaccepted;  // seqnum 0: it never had one
    unaccepted.message = message;
    unaccepted.context = context;
    DeadLetter(&unaccepted, 1, outcome);
  }
  if (on_outcome_) {
    OutcomeReport report;
    report.outcome = outcome;
    report.context = context;
    report.retryable = IsRetryable(outcome);
    on_outcome_(message, report);
  }
}

void OutcomeTracker::DeadLetter(const QueuedMessage* messages, size_t n,
                                Outcome outcome) {
  if (!dead_letters_ || outcome == Outcome::kDelivered ||
      outcome == Outcome::kKeptInDiskBuffer) {
    return;
  }
  const size_t kept = dead_letters_->Keep(messages, n, outcome, clock_->Now());
  counters_->Add(counters_->dead_lettered, kept);
  counters_->Add(counters_->dead_letter_failed, n - kept);
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

}  // namespace pydest::internal
