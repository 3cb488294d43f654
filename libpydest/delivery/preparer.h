// Preparer: work a destination does on each message before a worker takes
// it — value-pairs evaluation for the Python driver — run by a thread of its
// own (PrepareStage) so that it overlaps the worker's Python calls on
// another core (DESIGN.md, "Scale": keep everything else off the core that
// runs Python).
//
//   worker thread:   [ GIL: dict + send() for batch N          ]
//   prepare thread:  [ evaluate batch N+1 ][ evaluate batch N+2 ]
//
// PrepareStage moves messages from the queue's intake to its ready part in
// order; workers only ever see prepared messages. A message the preparer
// refuses (PreparedMessage::refused) gets its outcome, kDroppedOnError, here
// and never reaches a worker.
//
// Thread-safety: Prepare is called from the prepare thread only, but must
// not touch anything a worker uses without synchronisation; it must not
// call into Python. PrepareStage: Start and Stop from the owning thread.
#ifndef LIBPYDEST_DELIVERY_PREPARER_H_
#define LIBPYDEST_DELIVERY_PREPARER_H_

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libpydest/delivery/driver.h"

namespace pydest::internal {

class MessageQueue;
class OutcomeTracker;

class Preparer {
 public:
  virtual ~Preparer() = default;
  // Sets messages[i]->prepared for each of the `count` messages (with
  // `refused` set for one the destination will not deliver).
  virtual void Prepare(QueuedMessage* const* messages, size_t count) = 0;
  // Called once before the prepare thread starts: about how many prepared
  // messages can be alive at once (waiting in the queue, held by workers,
  // being prepared). A preparer that recycles its results keeps that many.
  virtual void ExpectInFlight(size_t messages) { (void)messages; }
};

// The prepare thread of one destination.
class PrepareStage {
 public:
  // `queue` must have been built with staging on; refused messages are
  // reported to `tracker`. The thread keeps `keep_alive` (the owner of the
  // queue and the tracker) as long as it runs.
  PrepareStage(std::shared_ptr<Preparer> preparer, MessageQueue* queue,
               OutcomeTracker* tracker, std::shared_ptr<void> keep_alive);
  // Stop() must have run (or Start() never did).
  ~PrepareStage();
  PrepareStage(const PrepareStage&) = delete;
  PrepareStage& operator=(const PrepareStage&) = delete;

  void Start();
  // After MessageQueue::Close: the thread prepares what the queue's drain
  // deadline leaves time for, then ends. Waits for it for `timeout` (real
  // time). When it did not end (a Prepare that does not return: a log sink
  // that blocks), the thread is detached and forgets the messages it holds;
  // they are appended to `given_up` for the owner to report, and false is
  // returned.
  bool Stop(absl::Duration timeout, std::vector<QueuedMessage>* given_up);

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
  std::thread thread_;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_PREPARER_H_
