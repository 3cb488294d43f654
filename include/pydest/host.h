// PyDestinationHost: runs one syslog-ng Python destination class inside a C++
// program, with syslog-ng's lifecycle and delivery semantics.
//
//   auto host = pydest::PyDestinationHost::Create(options);  // init() runs
//   if (!host.ok()) { ... host.status().message() ... }
//   (*host)->Send(message);                                 // any thread
//   (*host)->Shutdown(absl::Now() + absl::Seconds(5));      // deinit() runs
//
// Messages are queued (log-fifo-size) and delivered by `workers` worker
// threads, each with its own instance of the class. Every message handed to
// Send/TrySend ends with exactly one Outcome, reported to
// DestinationOptions::on_outcome. Errors are returned as absl::Status; no
// exception crosses this API.
//
// Thread-safety: Send, TrySend, TrySendBatch, Flush and stats may be called
// from any number of threads at once. Shutdown may be called once, from any thread; the
// destructor calls it with a short deadline if it was not called.
#ifndef PYDEST_HOST_H_
#define PYDEST_HOST_H_

#include <cstddef>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pydest/destination_options.h"
#include "pydest/message.h"
#include "pydest/stats.h"

namespace pydest {

class PyDestinationHost {
 public:
  // Imports the class, instantiates it (once per worker) and calls
  // init(options) (or init() for classes whose init takes no argument) on the
  // calling thread, then starts the workers, which call open().
  // Fails with a Status that says what went wrong (module not found and the
  // search path, class not found, init() returning False, an exception with
  // its traceback). On failure nothing is left running.
  static absl::StatusOr<std::unique_ptr<PyDestinationHost>> Create(
      const DestinationOptions& options);

  virtual ~PyDestinationHost() = default;

  // Queues a message. When the queue is full: waits for room
  // (OverflowPolicy::kBlock) or drops a message as the policy says. Returns
  // FailedPrecondition after Shutdown began (the message gets
  // kDroppedNotAccepted).
  virtual absl::Status Send(Message message) = 0;

  // Queues a message if there is room now; never blocks. Returns false when
  // the message was not accepted (queue full under kBlock, or shut down); a
  // refused message gets no outcome: it stays the caller's. Under
  // kDropNewest/kDropOldest a full queue drops as the policy says, and the
  // call returns true (the dropped message gets kDroppedQueueOverflow).
  virtual bool TrySend(Message message) = 0;

  // TrySend for each message in order, stopping at the first one that is
  // not accepted; returns how many were (those, and only those, get an
  // outcome). One lock for the whole run instead of one per message: the
  // way to hand over messages that are at hand together (a read of many
  // lines) when there are many per second.
  virtual size_t TrySendBatch(absl::Span<const Message> messages) {
    size_t n = 0;
    while (n < messages.size() && TrySend(messages[n])) ++n;
    return n;
  }

  // Waits until every message queued before the call has an outcome, or the
  // deadline passes (DeadlineExceeded).
  virtual absl::Status Flush(absl::Time deadline) = 0;

  // Stops intake, delivers what is queued until the deadline, then calls
  // flush(), close() and deinit() in syslog-ng's order. Messages still
  // queued at the deadline get kDroppedShutdown. A worker stuck in Python
  // past the deadline is abandoned and reported (DeadlineExceeded).
  // Delivery stops a little before the deadline (a fifth of the time left,
  // at most 1 s) to leave time for flush()/close()/deinit(); deinit() runs
  // on the calling thread. Later calls return the first call's status.
  // An abandoned worker's send() may still return, and may have delivered
  // its message after all: stats().late_completions counts those, so a
  // caller that retries kDroppedShutdown messages may duplicate that many.
  virtual absl::Status Shutdown(absl::Time deadline) = 0;

  virtual DestinationStats stats() const = 0;
};

}  // namespace pydest

#endif  // PYDEST_HOST_H_
