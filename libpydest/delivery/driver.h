// Driver: the one thing the delivery state machine calls to reach a
// destination — open, is_opened, send, flush, close — and nothing else.
// The state machine owns queueing, retries, reopen and batching; a driver
// only performs one call and reports its result (spdlog's sink_it_ idea).
//
// Each worker owns one Driver and calls it only from its own thread.
// The Python implementation lives in libpydest/python/; tests use fakes.
#ifndef LIBPYDEST_DELIVERY_DRIVER_H_
#define LIBPYDEST_DELIVERY_DRIVER_H_

#include <cstdint>
#include <memory>

#include "pydest/message.h"

namespace pydest::internal {

// Results of send()/flush(), with syslog-ng's numeric values
// (syslog-ng-behaviour.md §3.2).
enum class DeliveryResult : int {
  kDrop = 0,
  kError = 1,
  kExplicitAckMgmt = 2,
  kSuccess = 3,
  kQueued = 4,
  kNotConnected = 5,
  kRetry = 6,
  // Never a Python result: the worker process running the call died or
  // was killed (isolation(process)). A failed try of the message in
  // flight; the driver starts a new process at the next Open().
  kWorkerLost = 100,
};

// What one step of Driver::SendRun did for one message: what the state
// machine's own per-message step would have seen.
struct RunStep {
  DeliveryResult result = DeliveryResult::kSuccess;
  // false: is_opened() and then open() said no; send() was not called and
  // `result` is kNotConnected.
  bool connected = true;
  int64_t send_nanos = 0;  // how long send() took
};

// When a run must stop for a flush: the worker's batch-lines() rule,
// evaluated by the driver after each step.
struct RunLimits {
  bool batching = false;  // a QUEUED was seen (sticky; the step may set it)
  int64_t batch_lines = -1;
  size_t pending = 0;  // messages sent and not acknowledged before the run
};

// What a Preparer (libpydest/delivery/preparer.h) computed for one message
// ahead of delivery — for the Python driver, its evaluated value-pairs. The
// driver that knows the concrete type reads it; the delivery layer only
// carries it, and reads `refused`.
struct PreparedMessage {
  virtual ~PreparedMessage() = default;
  // The destination refuses the message before delivery (value-pairs
  // on-error(drop-message)): it is settled kDroppedOnError by the prepare
  // stage and never reaches a worker.
  bool refused = false;
};

// One message as the worker hands it to the driver.
struct QueuedMessage {
  Message message;
  uint64_t seqnum = 0;  // $SEQNUM, assigned when queued
  uint64_t context = 0;  // the host's, handed back with the outcome
  // Clock::MonotonicNanos() when the queue accepted it (queue_time).
  int64_t accepted_nanos = 0;
  // Set by the destination's Preparer before a worker takes the message;
  // null when the destination has none.
  std::shared_ptr<const PreparedMessage> prepared;
};

class Driver {
 public:
  virtual ~Driver() = default;

  // Consecutive Send() calls follow (the Python driver takes the GIL once
  // for them, DESIGN.md rule 3); EndBatch ends them. What the state machine
  // (libpydest/delivery/worker.cc) guarantees: Send() is only called inside
  // a batch; a result other than SUCCESS, QUEUED or EXPLICIT_ACK_MGMT ends
  // the batch before it is handled, so failures are handled, logged and
  // settled outside it; Open, IsOpened and Flush may be called inside or
  // outside a batch, Close only outside; the worker never suspends
  // (time-reopen), waits for messages or reports outcomes inside one.
  virtual void BeginBatch() {}
  virtual void EndBatch() {}
  // The worker's thread starts and is about to end: the first and the last
  // calls on it. The Python driver keeps the thread's Python state between
  // them, so that threading.local data lives as long as the worker, as in
  // syslog-ng (and no batch pays for setting one up).
  virtual void ThreadStarted() {}
  virtual void ThreadEnding() {}

  // open(), then is_opened() when the class has it. true = connected.
  virtual bool Open() = 0;
  // is_opened(); true when the class does not define it.
  virtual bool IsOpened() = 0;
  // Whether the class defines is_opened() (decides the send path,
  // syslog-ng-behaviour.md §2.3).
  virtual bool HasIsOpened() const = 0;
  // send() for one message of the current batch; it comes prepared when
  // the destination has a Preparer.
  virtual DeliveryResult Send(const QueuedMessage& message) = 0;

  // A driver for which a round trip per message is costly (a worker
  // process) takes several messages at once: SendsRuns() says so, and the
  // state machine then calls SendRun instead of Send when no other
  // decision can come between two sends (no throttle()).
  virtual bool SendsRuns() const { return false; }
  // Does for messages[0..count) in order what consecutive per-message
  // steps would: with HasIsOpened(), is_opened() and, when it is false,
  // open(); then send(). Stops after the first step that is not connected
  // or whose result is not SUCCESS, QUEUED or EXPLICIT_ACK_MGMT, or after
  // which `limits` call for a flush (batching && pending >= batch_lines,
  // pending counting QUEUED/EXPLICIT_ACK_MGMT and reset by SUCCESS).
  // Fills steps[0..n) and returns n (>= 1 when count >= 1, except that a
  // worker process stops a run at the host's drain deadline, maybe before
  // its first step). Called inside a batch.
  virtual size_t SendRun(const QueuedMessage* const* messages, size_t count,
                         RunLimits limits, RunStep* steps);
  // flush(); kSuccess when the class has none.
  virtual DeliveryResult Flush() = 0;
  // close() (the state machine decides whether to call it,
  // syslog-ng-behaviour.md §2.4).
  virtual void Close() = 0;
};

// Watches RunSteps as it goes (a worker process publishes its progress,
// so that its parent knows which message was in flight if it dies).
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // A call begins, at `now_nanos` (CLOCK_MONOTONIC).
  virtual void CallStarted(int64_t now_nanos) = 0;
  virtual void StepDone(size_t index, const RunStep& step) = 0;
  // Checked before each step: true ends the run there (the host's drain
  // deadline passed), even before its first step.
  virtual bool StopBeforeStep(int64_t /*now_nanos*/) { return false; }
};

// The stop rule of a run: whether a run stops after `step` (the step is
// not connected, failed, or `limits`, updated with it, call for a flush).
bool RunStopsAfter(const RunStep& step, RunLimits* limits);

// Driver::SendRun's rule over a driver's own IsOpened/Open/Send: the
// default SendRun, and what a worker process runs for its parent.
size_t RunSteps(Driver* driver, const QueuedMessage* const* messages,
                size_t count, RunLimits limits, RunStep* steps,
                RunObserver* observer = nullptr);

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_DRIVER_H_
