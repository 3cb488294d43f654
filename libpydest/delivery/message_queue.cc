#include "libpydest/delivery/message_queue.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "pydest/outcome.h"

namespace pydest::internal {
namespace {

// About 20-40 us of looking before a worker sleeps (PopBatch).
constexpr int kSpinChecks = 1000;

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace

MessageQueue::MessageQueue(size_t capacity, OverflowPolicy policy,
                           OutcomeTracker* tracker, Clock* clock,
                           size_t window, DurableStore* store)
    : capacity_(std::max<size_t>(capacity, 1)),
      policy_(policy),
      window_(window),
      tracker_(tracker),
      clock_(clock),
      store_(store) {}

void MessageQueue::AdoptRecovered(uint64_t n) {
  absl::MutexLock lock(&mu_);
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t seqnum = tracker_->Accept();
    if (i == 0) spilled_next_ = seqnum;
    spilled_end_ = seqnum + 1;
  }
}

void MessageQueue::PutInMemoryLocked(QueuedMessage m) {
  if (window_ > 0) {
    intake_.push_back(std::move(m));
    if (items_.size() < window_) intake_cv_.Signal();
  } else {
    items_.push_back(std::move(m));
    ready_count_.store(items_.size(), std::memory_order_release);
    not_empty_.Signal();
  }
}

size_t MessageQueue::PushDurable(const Message* messages,
                                 absl::Span<const uint64_t> contexts,
                                 const DurableStore::Encoded* encoded,
                                 size_t n, bool may_block,
                                 PushResult* results,
                                 std::string* full_reason) {
  int64_t accepted_nanos = clock_->MonotonicNanos();
  absl::MutexLock lock(&mu_);
  size_t done = 0;
  while (done < n) {
    if (closed_) return done;
    // The ids the tracker will hand out next: Accept() is called only once
    // the store took the records, so a refused batch leaves no gap.
    const uint64_t first_id = tracker_->LastAccepted() + 1;
    const size_t k = n - done;
    const absl::Status appended = store_->Append(encoded + done, k, first_id);
    if (appended.ok()) {
      for (size_t i = done; i < n; ++i) {
        const uint64_t seqnum = tracker_->Accept();
        results[i] = PushResult::kAccepted;
        if (SpilledLocked() == 0 && TotalLocked() < capacity_) {
          QueuedMessage queued;
          queued.message = messages[i];
          queued.seqnum = seqnum;
          queued.context = i < contexts.size() ? contexts[i] : 0;
          queued.accepted_nanos = accepted_nanos;
          PutInMemoryLocked(std::move(queued));
        } else {
          if (SpilledLocked() == 0) spilled_next_ = seqnum;
          spilled_end_ = seqnum + 1;
        }
      }
      if (SpilledLocked() > 0 && TotalLocked() == 0) not_empty_.Signal();
      return n;
    }
    // Full, or another I/O error: either way nothing was kept, and the
    // policy's answer to a full queue is the honest one.
    if (full_reason != nullptr) *full_reason = std::string(appended.message());
    if (policy_ != OverflowPolicy::kBlock) {
      // Nothing in the store can be pushed out for it: the new one goes.
      for (size_t i = done; i < n; ++i) results[i] = PushResult::kDroppedNewest;
      return n;
    }
    if (!may_block) return done;
    // Room comes when settled messages are released (NotifyRoom).
    clock_->WaitWithDeadline(&mu_, &not_full_,
                             clock_->Now() + absl::Milliseconds(100));
    accepted_nanos = clock_->MonotonicNanos();
  }
  return done;
}

void MessageQueue::NotifyRoom() {
  absl::MutexLock lock(&mu_);
  not_full_.SignalAll();
}

namespace {

// What the store gave back for ids [from, end): `good` gets the messages
// that decoded, `lost` an entry for every other id of the range (a record
// that did not decode, or none at all: an I/O error, or damage since it was
// written), so each still gets an outcome. Returns the id after the last
// one handled.
uint64_t SplitLoaded(uint64_t from, uint64_t end, const absl::Status& status,
                     std::vector<DurableStore::Loaded>* loaded,
                     std::vector<QueuedMessage>* good,
                     std::vector<QueuedMessage>* lost) {
  uint64_t expect = from;
  auto lose_to = [&](uint64_t upto) {
    for (; expect < upto && expect < end; ++expect) {
      QueuedMessage q;
      q.seqnum = expect;
      lost->push_back(std::move(q));
    }
  };
  for (DurableStore::Loaded& l : *loaded) {
    const uint64_t id = l.queued.seqnum;
    if (id < expect) continue;
    if (id >= end) break;
    lose_to(id);
    expect = id + 1;
    (l.decoded ? good : lost)->push_back(std::move(l.queued));
  }
  // Nothing more came back: the rest of the range is lost.
  if (!status.ok() || expect == from) lose_to(end);
  return expect;
}

}  // namespace

void MessageQueue::LoadSpilledLocked() {
  if (store_ == nullptr || loading_ || SpilledLocked() == 0) return;
  const size_t total = TotalLocked();
  // Refill once memory is half empty (or empty), not for every pop.
  if (total > capacity_ / 2) return;
  const size_t n = static_cast<size_t>(std::min<uint64_t>(
      {capacity_ - total, store_->front_cache_size(), SpilledLocked()}));
  if (n == 0) return;
  loading_ = true;
  const uint64_t from = spilled_next_;
  const uint64_t end = std::min<uint64_t>(spilled_end_, from + n);
  mu_.Unlock();
  std::vector<DurableStore::Loaded> loaded;
  const absl::Status status = store_->Load(from, n, &loaded);
  std::vector<QueuedMessage> good, lost;
  const uint64_t handled = SplitLoaded(from, end, status, &loaded, &good, &lost);
  if (!lost.empty()) SettleUnreadable(&lost);
  mu_.Lock();
  loading_ = false;
  for (QueuedMessage& q : good) PutInMemoryLocked(std::move(q));
  spilled_next_ = std::max(spilled_next_, std::min(handled, spilled_end_));
  not_empty_.SignalAll();
  intake_cv_.SignalAll();
}

void MessageQueue::SettleUnreadable(std::vector<QueuedMessage>* unreadable) {
  // An empty message stands for what could not be read back.
  tracker_->ReportRange(unreadable->data(), unreadable->size(),
                        Outcome::kDroppedOnError);
  unreadable->clear();
}

void MessageQueue::TakeSpilled(std::vector<QueuedMessage>* out,
                               std::vector<QueuedMessage>* unreadable) {
  absl::MutexLock lock(&mu_);
  while (store_ != nullptr && SpilledLocked() > 0) {
    const uint64_t from = spilled_next_;
    const uint64_t end = std::min<uint64_t>(spilled_end_, from + 4096);
    // (The workers are done: nothing else reads the store now.)
    std::vector<DurableStore::Loaded> loaded;
    const absl::Status status =
        store_->Load(from, static_cast<size_t>(end - from), &loaded);
    const uint64_t handled =
        SplitLoaded(from, end, status, &loaded, out, unreadable);
    spilled_next_ = std::max(handled, from + 1);
  }
}

MessageQueue::PushResult MessageQueue::Push(
    Message& message, bool may_block, std::optional<QueuedMessage>* evicted,
    uint64_t context) {
  const int64_t accepted_nanos = clock_->MonotonicNanos();
  absl::MutexLock lock(&mu_);
  return PushLocked(message, may_block, accepted_nanos, evicted, context);
}

size_t MessageQueue::TryPushBatch(const Message* messages,
                                  absl::Span<const uint64_t> contexts,
                                  size_t count, PushResult* results,
                                  std::vector<QueuedMessage>* evicted) {
  // One clock read for the run: its messages are accepted together.
  const int64_t accepted_nanos = clock_->MonotonicNanos();
  absl::MutexLock lock(&mu_);
  std::optional<QueuedMessage> out;
  for (size_t i = 0; i < count; ++i) {
    Message copy = messages[i];
    const PushResult r =
        PushLocked(copy, /*may_block=*/false, accepted_nanos, &out,
                   i < contexts.size() ? contexts[i] : 0);
    if (r == PushResult::kFull || r == PushResult::kClosed) return i;
    results[i] = r;
    if (out.has_value()) {
      evicted->push_back(std::move(*out));
      out.reset();
    }
  }
  return count;
}

MessageQueue::PushResult MessageQueue::PushLocked(
    Message& message, bool may_block, int64_t accepted_nanos,
    std::optional<QueuedMessage>* evicted, uint64_t context) {
  PushResult accepted = PushResult::kAccepted;
  while (!closed_ && TotalLocked() >= capacity_) {
    // Drop-oldest evicts the oldest message not being prepared; when the
    // prepare thread holds every one, the new message is the one dropped.
    std::deque<QueuedMessage>* oldest = !items_.empty()    ? &items_
                                        : !intake_.empty() ? &intake_
                                                           : nullptr;
    if (policy_ == OverflowPolicy::kDropNewest ||
        (policy_ == OverflowPolicy::kDropOldest && oldest == nullptr)) {
      return PushResult::kDroppedNewest;
    }
    if (policy_ == OverflowPolicy::kDropOldest) {
      if (evicted != nullptr) *evicted = std::move(oldest->front());
      oldest->pop_front();
      ready_count_.store(items_.size(), std::memory_order_release);
      accepted = PushResult::kAcceptedEvictedOldest;
      break;
    }
    if (!may_block) return PushResult::kFull;
    not_full_.Wait(&mu_);
    // Accepted once there is room: the wait for it is not queue time.
    accepted_nanos = clock_->MonotonicNanos();
  }
  if (closed_) return PushResult::kClosed;
  QueuedMessage queued;
  queued.message = std::move(message);
  queued.seqnum = tracker_->Accept();
  queued.context = context;
  queued.accepted_nanos = accepted_nanos;
  if (window_ > 0) {
    intake_.push_back(std::move(queued));
    // With the window full the prepare thread could not take it: PopLocked
    // wakes it when the window has room. Waking it here would cost a
    // futex wake-up and two context switches per message for nothing.
    if (items_.size() < window_) intake_cv_.Signal();
  } else {
    items_.push_back(std::move(queued));
    ready_count_.store(items_.size(), std::memory_order_release);
    not_empty_.Signal();
  }
  return accepted;
}

void MessageQueue::PopLocked(size_t max, std::vector<QueuedMessage>* out) {
  const size_t n = std::min(max, items_.size());
  for (size_t i = 0; i < n; ++i) {
    out->push_back(std::move(items_.front()));
    items_.pop_front();
  }
  ready_count_.store(items_.size(), std::memory_order_release);
  // After a crash, ids up to here count as possibly delivered already.
  if (n > 0 && store_ != nullptr) store_->NoteDispatched(out->back().seqnum);
  if (n > 0) {
    not_full_.SignalAll();
    // Another worker may take what is left.
    if (!items_.empty()) not_empty_.Signal();
    // The window is half empty: wake the prepare thread (not at every pop,
    // which would wake it once per batch for a few messages).
    if (window_ > 0 && !intake_.empty() && items_.size() <= window_ / 2) {
      intake_cv_.Signal();
    }
  }
}

bool MessageQueue::TakeToPrepare(size_t max, std::vector<QueuedMessage>* out) {
  absl::MutexLock lock(&mu_);
  while (true) {
    if (intake_.empty()) LoadSpilledLocked();
    if (closed_ && ((intake_.empty() && SpilledLocked() == 0 && !loading_) ||
                    clock_->Now() >= drain_deadline_)) {
      not_empty_.SignalAll();  // closing workers re-check drained()
      return false;
    }
    // While closing, prepare regardless of the window: the workers drain.
    const size_t room =
        closed_ ? max : (items_.size() < window_ ? window_ - items_.size() : 0);
    const size_t n = std::min({max, room, intake_.size()});
    if (n > 0) {
      for (size_t i = 0; i < n; ++i) {
        out->push_back(std::move(intake_.front()));
        intake_.pop_front();
      }
      preparing_ += n;
      return true;
    }
    intake_cv_.Wait(&mu_);
  }
}

void MessageQueue::PutPrepared(size_t taken,
                               std::vector<QueuedMessage>* prepared) {
  absl::MutexLock lock(&mu_);
  preparing_ -= std::min(preparing_, taken);
  if (taken > prepared->size()) not_full_.SignalAll();  // refused ones left
  for (QueuedMessage& m : *prepared) items_.push_back(std::move(m));
  ready_count_.store(items_.size(), std::memory_order_release);
  prepared->clear();
  not_empty_.Signal();
  if (closed_) not_empty_.SignalAll();  // closing workers re-check drained()
}

bool MessageQueue::drained() const {
  absl::MutexLock lock(&mu_);
  return TotalLocked() == 0 && SpilledLocked() == 0 && !loading_;
}

MessageQueue::Wake MessageQueue::PopBatch(size_t max, absl::Time deadline,
                                          uint64_t seen_epoch,
                                          std::vector<QueuedMessage>* out) {
  absl::MutexLock lock(&mu_);
  LoadSpilledLocked();
  if (items_.empty() && control_epoch_ == seen_epoch) {
    // A worker that runs out of messages usually gets more within
    // microseconds (the next chunk of the prepare thread, the next Send):
    // look for them a short while before sleeping, as a futex wake-up and
    // the context switches cost more than the wait.
    mu_.Unlock();
    for (int i = 0; i < kSpinChecks &&
                    ready_count_.load(std::memory_order_acquire) == 0;
         ++i) {
      CpuRelax();
    }
    mu_.Lock();
  }
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
  LoadSpilledLocked();
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
  intake_cv_.SignalAll();
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
  for (QueuedMessage& m : intake_) out.push_back(std::move(m));
  items_.clear();
  intake_.clear();
  ready_count_.store(0, std::memory_order_release);
  not_full_.SignalAll();
  return out;
}

size_t MessageQueue::size() const {
  absl::MutexLock lock(&mu_);
  return TotalLocked() + static_cast<size_t>(SpilledLocked());
}

}  // namespace pydest::internal
