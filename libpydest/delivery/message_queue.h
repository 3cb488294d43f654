// MessageQueue: the bounded queue between the host's threads and the
// workers — syslog-ng's log-fifo-size(). Any number of producers push; the
// workers of one destination pop batches from it. When it is full the
// OverflowPolicy decides: wait for room (kBlock), refuse the new message
// (kDropNewest) or evict the oldest queued one (kDropOldest); the caller
// reports the dropped message's outcome.
//
// The queue also carries the workers' wake-up reasons: Close() (shutdown:
// intake stops, workers drain) and RequestFlush() (PyDestinationHost::Flush
// wants pending QUEUED batches flushed now).
//
// Staged (a destination with a Preparer, libpydest/delivery/preparer.h):
// pushed messages wait in the intake until the prepare thread takes them
// (TakeToPrepare) and hands them back prepared (PutPrepared); workers pop
// only prepared ones, in queue order. At most `window` prepared messages
// wait for a worker, which bounds the memory of prepared results. The
// capacity counts the intake, the messages being prepared and the prepared
// ones together.
//
// With a disk buffer (a DurableStore): every accepted message is first
// appended to the store; `capacity` then bounds only the messages held in
// memory, and the rest wait in the store only ("spilled", always newer than
// every message in memory) until a worker's pop (or the prepare thread)
// finds room and loads them back, front_cache_size() at a time. What bounds
// the whole queue is the store's disk-buf-size(): when it is reached, the
// OverflowPolicy decides as for a full memory queue (kDropOldest drops the
// new message: the oldest's space only frees when it is settled).
//
// Thread-safety: all methods are thread-safe.
#ifndef LIBPYDEST_DELIVERY_MESSAGE_QUEUE_H_
#define LIBPYDEST_DELIVERY_MESSAGE_QUEUE_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "libpydest/delivery/clock.h"
#include "libpydest/delivery/driver.h"
#include "libpydest/delivery/durable_store.h"
#include "libpydest/delivery/outcome_tracker.h"
#include "pydest/message.h"
#include "pydest/overflow_policy.h"

namespace pydest::internal {

class MessageQueue {
 public:
  enum class PushResult : uint8_t {
    kAccepted,
    kAcceptedEvictedOldest,  // accepted; *evicted holds the dropped message
    kDroppedNewest,          // full under kDropNewest: not accepted
    kFull,                   // full under kBlock and the caller may not wait
    kClosed,                 // shutdown began: not accepted
  };
  // Why PopBatch returned.
  enum class Wake : uint8_t {
    kMessages,  // `out` got at least one message
    kDeadline,  // the deadline passed
    kSignal,    // Close(), RequestFlush() or a spurious wake-up
  };

  // Messages the prepare thread takes at once at most (PrepareStage).
  static constexpr size_t kPrepareChunk = 32;

  // `tracker` assigns sequence numbers to accepted messages (under the
  // queue's lock, so queue order and seqnum order agree). `window` > 0
  // turns staging on (see above).
  MessageQueue(size_t capacity, OverflowPolicy policy, OutcomeTracker* tracker,
               Clock* clock, size_t window = 0, DurableStore* store = nullptr);

  // With a store: the `n` messages it recovered from an earlier run (ids
  // from the tracker's next seqnum on) count as accepted and spilled, so
  // they are delivered first. Call before any push.
  void AdoptRecovered(uint64_t n) ABSL_LOCKS_EXCLUDED(mu_);
  // With a store: pushes messages[0..n) (contexts[i] with each, 0 past the
  // end of `contexts`) whose encodings are encoded[0..n), in order, under
  // one lock and with one append to the store. Stops at the first kFull or
  // kClosed (not counted). results[i] says what happened to each counted
  // message (kAccepted or kDroppedNewest). Returns the count.
  // `full_reason` (may be null) gets the store's message when it was full.
  size_t PushDurable(const Message* messages,
                     absl::Span<const uint64_t> contexts,
                     const DurableStore::Encoded* encoded, size_t n,
                     bool may_block, PushResult* results,
                     std::string* full_reason)
      ABSL_LOCKS_EXCLUDED(mu_);
  // The store released space: producers waiting for it try again.
  void NotifyRoom() ABSL_LOCKS_EXCLUDED(mu_);
  // Shutdown with a store: loads every spilled message (to be reported
  // kept in the buffer); those that no longer decode go to `unreadable`.
  void TakeSpilled(std::vector<QueuedMessage>* out,
                   std::vector<QueuedMessage>* unreadable)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Queues `message` (moved from only when accepted) with the host's
  // `context`. Under kBlock with `may_block` the call waits for room (or
  // Close). `evicted` receives the message kDropOldest pushed out.
  PushResult Push(Message& message, bool may_block,
                  std::optional<QueuedMessage>* evicted, uint64_t context = 0)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Push(messages[i], may_block=false) for each message in order, under one
  // lock (a producer with many messages at hand contends once, not per
  // message). Stops at the first kFull or kClosed, which is not counted;
  // results[i] says what happened to each counted message, and messages
  // evicted by kDropOldest are appended to `evicted`. Returns the count.
  // contexts[i] goes with messages[i]; those past its end get 0.
  size_t TryPushBatch(const Message* messages,
                      absl::Span<const uint64_t> contexts, size_t count,
                      PushResult* results, std::vector<QueuedMessage>* evicted)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Every Close() and RequestFlush() bumps the control epoch. A
  // worker reads it before deciding to wait and passes it to the waits
  // below, which return at once if it moved meanwhile (no lost wake-ups).
  uint64_t control_epoch() const ABSL_LOCKS_EXCLUDED(mu_);

  // Appends up to `max` messages to `out` if any are queued; otherwise waits
  // until some are, or `deadline` (on the clock) passes, or a signal.
  Wake PopBatch(size_t max, absl::Time deadline, uint64_t seen_epoch,
                std::vector<QueuedMessage>* out) ABSL_LOCKS_EXCLUDED(mu_);
  // Appends up to `max` queued messages to `out` without waiting.
  size_t TryPopBatch(size_t max, std::vector<QueuedMessage>* out)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Staged only, for the prepare thread. Waits until intake messages can be
  // taken (the window has room, or the queue is closing) and moves up to
  // `max` of them to `out`. false when there will be no more: closed, and
  // the intake is empty or the drain deadline passed.
  bool TakeToPrepare(size_t max, std::vector<QueuedMessage>* out)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Hands messages taken by TakeToPrepare back, prepared, for the workers:
  // `taken` were taken, `prepared` holds those that go on (refused ones were
  // settled by the caller). Clears `prepared`.
  void PutPrepared(size_t taken, std::vector<QueuedMessage>* prepared)
      ABSL_LOCKS_EXCLUDED(mu_);
  // No message anywhere in the queue (intake, being prepared, ready): a
  // closing worker may stop.
  bool drained() const ABSL_LOCKS_EXCLUDED(mu_);

  // Stops intake for good and wakes everyone (blocked producers return
  // kClosed).
  // `drain_deadline`: workers deliver what is queued until then.
  void Close(absl::Time drain_deadline) ABSL_LOCKS_EXCLUDED(mu_);
  // Whether Close() was called, and its drain deadline.
  bool closed(absl::Time* drain_deadline = nullptr) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // closed() without the lock, for a per-message check on the hot path.
  bool closing() const { return closing_.load(std::memory_order_acquire); }
  // Asks workers to flush their pending batches now; returns the new flush
  // generation (workers compare it with the one they last served).
  uint64_t RequestFlush() ABSL_LOCKS_EXCLUDED(mu_);
  uint64_t flush_generation() const ABSL_LOCKS_EXCLUDED(mu_);
  // A suspended worker's wait (time-reopen): returns true when `deadline`
  // passed, false on Close()/RequestFlush() or a spurious wake.
  // Separate from the message wait so a push never wakes a suspended worker
  // instead of an idle one.
  bool WaitControl(absl::Time deadline, uint64_t seen_epoch)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Takes everything still queued, prepared or not (shutdown: they become
  // kDroppedShutdown); not the ones a prepare thread holds.
  std::vector<QueuedMessage> TakeAll() ABSL_LOCKS_EXCLUDED(mu_);

  // Messages accepted and not yet taken by a worker: in memory and spilled.
  size_t size() const ABSL_LOCKS_EXCLUDED(mu_);
  size_t capacity() const { return capacity_; }

 private:
  // `accepted_nanos`: the clock's MonotonicNanos(), read by the caller
  // before it took the lock (once per TryPushBatch).
  PushResult PushLocked(Message& message, bool may_block,
                        int64_t accepted_nanos,
                        std::optional<QueuedMessage>* evicted,
                        uint64_t context) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void PopLocked(size_t max, std::vector<QueuedMessage>* out)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  size_t TotalLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return intake_.size() + preparing_ + items_.size();
  }
  uint64_t SpilledLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return spilled_end_ - spilled_next_;
  }
  // Loads spilled messages into memory when it has room (and no other
  // thread is loading); drops the lock while reading the store.
  void LoadSpilledLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Where a message of this queue waits for its first step: the intake
  // when staged, else the workers' items.
  void PutInMemoryLocked(QueuedMessage m) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Settles messages the store could not give back (outside mu_).
  void SettleUnreadable(std::vector<QueuedMessage>* unreadable);

  const size_t capacity_;
  const OverflowPolicy policy_;
  const size_t window_;  // 0: not staged
  OutcomeTracker* const tracker_;
  Clock* const clock_;
  DurableStore* const store_;  // null: memory only

  mutable absl::Mutex mu_;
  absl::CondVar not_empty_;  // workers wait here
  absl::CondVar not_full_;   // kBlock producers wait here
  absl::CondVar control_;    // suspended workers wait here
  absl::CondVar intake_cv_;  // the prepare thread waits here
  std::deque<QueuedMessage> items_ ABSL_GUARDED_BY(mu_);   // for workers
  std::deque<QueuedMessage> intake_ ABSL_GUARDED_BY(mu_);  // staged only
  size_t preparing_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time drain_deadline_ ABSL_GUARDED_BY(mu_) = absl::InfiniteFuture();
  uint64_t flush_generation_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t control_epoch_ ABSL_GUARDED_BY(mu_) = 0;
  // With a store: ids [spilled_next_, spilled_end_) are accepted and only
  // in the store.
  uint64_t spilled_next_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t spilled_end_ ABSL_GUARDED_BY(mu_) = 0;
  bool loading_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<bool> closing_{false};
  // items_.size(), readable without the lock (a worker about to sleep).
  std::atomic<size_t> ready_count_{0};
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_MESSAGE_QUEUE_H_
