#include "libpydest/delivery/message_queue.h"

#include <algorithm>
#include <utility>

namespace pydest::internal {

MessageQueue::MessageQueue(size_t capacity, OverflowPolicy policy,
                           OutcomeTracker* tracker, Clock* clock)
    : capacity_(std::max<size_t>(capacity, 1)),
      policy_(policy),
      tracker_(tracker),
      clock_(clock) {}

MessageQueue::PushResult MessageQueue::Push(
    Message& message, bool may_block, std::optional<QueuedMessage>* evicted) {
  absl::MutexLock lock(&mu_);
  PushResult accepted = PushResult::kAccepted;
  while (!closed_ && items_.size() >= capacity_) {
    if (policy_ == OverflowPolicy::kDropNewest) {
      return PushResult::kDroppedNewest;
    }
    if (policy_ == OverflowPolicy::kDropOldest) {
      if (evicted != nullptr) *evicted = std::move(items_.front());
      items_.pop_front();
      accepted = PushResult::kAcceptedEvictedOldest;
      break;
    }
    if (!may_block) return PushResult::kFull;
    not_full_.Wait(&mu_);
  }
  if (closed_) return PushResult::kClosed;
  QueuedMessage queued;
  queued.message = std::move(message);
  queued.seqnum = tracker_->Accept();
  items_.push_back(std::move(queued));
  not_empty_.Signal();
  return accepted;
}

void MessageQueue::PopLocked(size_t max, std::vector<QueuedMessage>* out) {
  const size_t n = std::min(max, items_.size());
  for (size_t i = 0; i < n; ++i) {
    out->push_back(std::move(items_.front()));
    items_.pop_front();
  }
  if (n > 0) {
    not_full_.SignalAll();
    // Another worker may take what is left.
    if (!items_.empty()) not_empty_.Signal();
  }
}

MessageQueue::Wake MessageQueue::PopBatch(size_t max, absl::Time deadline,
                                          uint64_t seen_epoch,
                                          std::vector<QueuedMessage>* out) {
  absl::MutexLock lock(&mu_);
  if (items_.empty()) {
    if (control_epoch_ != seen_epoch) return Wake::kSignal;
    if (clock_->WaitWithDeadline(&mu_, &not_empty_, deadline)) {
      if (items_.empty()) return Wake::kDeadline;
    }
    if (items_.empty()) return Wake::kSignal;
  }
  PopLocked(max, out);
  return Wake::kMessages;
}

size_t MessageQueue::TryPopBatch(size_t max, std::vector<QueuedMessage>* out) {
  absl::MutexLock lock(&mu_);
  const size_t before = out->size();
  PopLocked(max, out);
  return out->size() - before;
}

void MessageQueue::Close(absl::Time drain_deadline) {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  drain_deadline_ = drain_deadline;
  closing_.store(true, std::memory_order_release);
  ++control_epoch_;
  not_empty_.SignalAll();
  control_.SignalAll();
  not_full_.SignalAll();
}

bool MessageQueue::closed(absl::Time* drain_deadline) const {
  absl::MutexLock lock(&mu_);
  if (drain_deadline != nullptr) *drain_deadline = drain_deadline_;
  return closed_;
}

uint64_t MessageQueue::RequestFlush() {
  absl::MutexLock lock(&mu_);
  ++flush_generation_;
  ++control_epoch_;
  not_empty_.SignalAll();
  control_.SignalAll();
  return flush_generation_;
}

uint64_t MessageQueue::flush_generation() const {
  absl::MutexLock lock(&mu_);
  return flush_generation_;
}

void MessageQueue::WakeAll() {
  absl::MutexLock lock(&mu_);
  ++control_epoch_;
  not_empty_.SignalAll();
  control_.SignalAll();
}

uint64_t MessageQueue::control_epoch() const {
  absl::MutexLock lock(&mu_);
  return control_epoch_;
}

bool MessageQueue::WaitControl(absl::Time deadline, uint64_t seen_epoch) {
  absl::MutexLock lock(&mu_);
  if (control_epoch_ != seen_epoch) return false;
  return clock_->WaitWithDeadline(&mu_, &control_, deadline);
}

std::vector<QueuedMessage> MessageQueue::TakeAll() {
  absl::MutexLock lock(&mu_);
  std::vector<QueuedMessage> out(std::make_move_iterator(items_.begin()),
                                 std::make_move_iterator(items_.end()));
  items_.clear();
  not_full_.SignalAll();
  return out;
}

size_t MessageQueue::size() const {
  absl::MutexLock lock(&mu_);
  return items_.size();
}

}  // namespace pydest::internal
