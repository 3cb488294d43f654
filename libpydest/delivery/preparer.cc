#include "libpydest/delivery/preparer.h"

#include <utility>
#include <vector>

#include "libpydest/delivery/message_queue.h"
#include "libpydest/delivery/outcome_tracker.h"

namespace pydest::internal {
namespace {

// Messages prepared per hand-over: large enough that the queue's lock is
// taken rarely, small enough that an idle worker does not wait long for the
// first message of a burst (a lone message is handed over at once).
constexpr size_t kChunk = MessageQueue::kPrepareChunk;

// Reports the refused messages of `chunk` (kDroppedOnError) and removes
// them, keeping the order of the rest.
void SettleRefused(OutcomeTracker* tracker, std::vector<QueuedMessage>* chunk) {
  size_t kept = 0;
  for (QueuedMessage& m : *chunk) {
    if (m.prepared != nullptr && m.prepared->refused) {
      // libpydest drops just this message (docs/compatibility.md): syslog-ng
      // 3.38 turns it into ERROR, i.e. close/suspend/reopen `retries` times
      // for a message whose values can never be cast.
      tracker->Report(m, Outcome::kDroppedOnError);
      continue;
    }
    if (&(*chunk)[kept] != &m) (*chunk)[kept] = std::move(m);
    ++kept;
  }
  chunk->resize(kept);
}

}  // namespace

// What the thread owns: a detached thread may outlive the stage.
struct PrepareStage::Shared {
  std::shared_ptr<Preparer> preparer;
  MessageQueue* queue;
  OutcomeTracker* tracker;
  std::shared_ptr<void> keep_alive;
  absl::Mutex mu;
  absl::CondVar done_cv;
  bool done ABSL_GUARDED_BY(mu) = false;
  // Set when the owner gave up on the thread: what it holds was reported.
  bool abandoned ABSL_GUARDED_BY(mu) = false;
  // The chunk being prepared (the thread's own vector), for Stop to report.
  const std::vector<QueuedMessage>* chunk ABSL_GUARDED_BY(mu) = nullptr;
};

PrepareStage::PrepareStage(std::shared_ptr<Preparer> preparer,
                           MessageQueue* queue, OutcomeTracker* tracker,
                           std::shared_ptr<void> keep_alive)
    : shared_(std::make_shared<Shared>()) {
  shared_->preparer = std::move(preparer);
  shared_->queue = queue;
  shared_->tracker = tracker;
  shared_->keep_alive = std::move(keep_alive);
}

PrepareStage::~PrepareStage() {
  if (thread_.joinable()) thread_.detach();
}

void PrepareStage::Start() {
  thread_ = std::thread([shared = shared_] {
    std::vector<QueuedMessage> chunk;
    std::vector<QueuedMessage*> pointers;
    while (shared->queue->TakeToPrepare(kChunk, &chunk)) {
      {
        absl::MutexLock lock(&shared->mu);
        shared->chunk = &chunk;
      }
      pointers.clear();
      for (QueuedMessage& m : chunk) pointers.push_back(&m);
      shared->preparer->Prepare(pointers.data(), pointers.size());
      absl::MutexLock lock(&shared->mu);
      shared->chunk = nullptr;
      if (shared->abandoned) return;  // Stop() reported them
      const size_t taken = chunk.size();
      SettleRefused(shared->tracker, &chunk);
      shared->queue->PutPrepared(taken, &chunk);
    }
    absl::MutexLock lock(&shared->mu);
    shared->done = true;
    shared->done_cv.SignalAll();
  });
}

bool PrepareStage::Stop(absl::Duration timeout,
                        std::vector<QueuedMessage>* given_up) {
  if (!thread_.joinable()) return true;
  const absl::Time hard_deadline = absl::Now() + timeout;
  {
    absl::MutexLock lock(&shared_->mu);
    while (!shared_->done) {
      if (shared_->done_cv.WaitWithDeadline(&shared_->mu, hard_deadline)) {
        break;
      }
    }
    if (!shared_->done) {
      shared_->abandoned = true;
      if (shared_->chunk != nullptr) {
        // Prepare may still be writing `prepared`; only the message and its
        // seqnum are read here.
        for (const QueuedMessage& m : *shared_->chunk) {
          QueuedMessage copy;
          copy.message = m.message;
          copy.seqnum = m.seqnum;
          given_up->push_back(std::move(copy));
        }
      }
      thread_.detach();
      return false;
    }
  }
  thread_.join();
  return true;
}

}  // namespace pydest::internal
