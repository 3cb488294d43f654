#include "libpydest/delivery/preparer.h"

#include <utility>
#include <vector>

#include "libpydest/delivery/message_queue.h"

namespace pydest::internal {
namespace {

// Messages prepared per hand-over: large enough that the queue's lock is
// taken rarely, small enough that an idle worker does not wait long for the
// first message of a burst (a lone message is handed over at once).
constexpr size_t kChunk = MessageQueue::kPrepareChunk;

}  // namespace

// What the thread owns: a detached thread may outlive the stage.
struct PrepareStage::Shared {
  std::shared_ptr<Preparer> preparer;
  MessageQueue* queue;
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
                           MessageQueue* queue,
                           std::shared_ptr<void> keep_alive)
    : shared_(std::make_shared<Shared>()) {
  shared_->preparer = std::move(preparer);
  shared_->queue = queue;
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
      shared->queue->PutPrepared(&chunk);
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
