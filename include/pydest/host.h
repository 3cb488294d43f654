// PyDestinationHost: runs one syslog-ng Python destination class inside a C++
// program, with syslog-ng's lifecycle and delivery semantics. The factory
// and the interface are all a host sees; the implementation is private.
//
//   auto host = pydest::PyDestinationHost::Create(options);  // init() runs
//   if (!host.ok()) { ... host.status().message() ... }
//   (*host)->Send(message);                                 // any thread
//   (*host)->Shutdown(absl::Now() + absl::Seconds(5));      // deinit() runs
//
// Messages are queued (log-fifo-size) and delivered by `workers` worker
// threads, each with its own instance of the class. Every message a host
// accepts ends with exactly one Outcome, reported to
// DestinationOptions::on_outcome and counted in stats(). Errors are
// returned as absl::Status; no exception crosses this API.
//
// Thread-safety: every method may be called from any number of threads at
// once, Shutdown included (see there). Only the destructor must not run
// while another call on the same host is in progress. None of the methods
// may be called from on_outcome or log_sink (they run on the host's own
// threads, which Flush and Shutdown wait for). Several hosts may live in
// one process; they share one Python interpreter.
#ifndef PYDEST_HOST_H_
#define PYDEST_HOST_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pydest/destination_options.h"
#include "pydest/export.h"
#include "pydest/message.h"
#include "pydest/stats.h"

namespace pydest {

class PYDEST_EXPORT PyDestinationHost {
 public:
  // Imports the class, makes one instance per worker and calls
  // init(options) on each (or init() for classes whose init takes no
  // argument) on the calling thread, then starts the workers, which call
  // open(). Returns the running host, owned by the caller. Fails with a
  // Status that says what went wrong (InvalidArgument for options it cannot
  // run with, e.g. log_fifo_size 0, or send_timeout, memory_limit_mib or
  // worker_executable without Isolation::kProcess; module not found, with the search
  // path; class not found; init() returning False; an exception, with its
  // traceback); on failure nothing is left running. The first Create in a
  // process starts (or adopts) the interpreter.
  static absl::StatusOr<std::unique_ptr<PyDestinationHost>> Create(
      const DestinationOptions& options);

  // Calls Shutdown with a deadline 1 s away if no Shutdown was called, so
  // it may block that long; deinit() then runs on the destroying thread.
  virtual ~PyDestinationHost() = default;

  // Queues a message. When the queue is full, OverflowPolicy decides:
  // kBlock waits until a worker takes a message, the drop policies drop
  // one (kDroppedQueueOverflow) and return at once. Returns OK once the
  // message was accepted, or dropped by the policy; FailedPrecondition
  // after Shutdown began, also for a Send that was waiting for room then
  // (the message gets kDroppedNotAccepted).
  //
  // `context` is the host's own value for this message (an upstream
  // offset, an id, a pointer as an integer): libpydest does not read it,
  // Python never sees it, and it comes back with the message's outcome
  // (OutcomeReport::context, DestinationOptions::on_outcome_report).
  virtual absl::Status Send(Message message, uint64_t context) = 0;
  // Send with context 0.
  absl::Status Send(Message message) { return Send(std::move(message), 0); }

  // Queues a message if there is room now; never blocks. Returns true when
  // the message was accepted: it will get an outcome. Under
  // kDropNewest/kDropOldest a full queue drops as the policy says and the
  // call returns true (the dropped message gets kDroppedQueueOverflow).
  // Returns false when the queue is full under kBlock, or after Shutdown
  // began: a refused message gets no outcome, it stays the caller's.
  // `context` as for Send.
  virtual bool TrySend(Message message, uint64_t context) = 0;
  // TrySend with context 0.
  bool TrySend(Message message) { return TrySend(std::move(message), 0); }

  // TrySend for each message in order, stopping at the first one that is
  // not accepted; returns how many were (those, and only those, get an
  // outcome). One lock for the whole run instead of one per message: the
  // way to hand over messages that are at hand together (a read of many
  // lines) when there are many per second. Never blocks. `contexts[i]` is
  // the context of messages[i]; messages past the end of `contexts` (all
  // of them when it is empty) get 0.
  virtual size_t TrySendBatch(absl::Span<const Message> messages,
                              absl::Span<const uint64_t> contexts) {
    size_t n = 0;
    while (n < messages.size() &&
           TrySend(messages[n], n < contexts.size() ? contexts[n] : 0)) {
      ++n;
    }
    return n;
  }
  // TrySendBatch with every context 0.
  size_t TrySendBatch(absl::Span<const Message> messages) {
    return TrySendBatch(messages, {});
  }

  // Asks workers holding a QUEUED batch to call flush() now, then waits
  // until every message accepted before the call has its outcome. Returns
  // OK then (at once after Shutdown), or DeadlineExceeded if the deadline
  // passes first; the messages stay queued either way.
  virtual absl::Status Flush(absl::Time deadline) = 0;

  // Stops intake, delivers what is queued until shortly before the
  // deadline, then runs flush(), close() and deinit() in syslog-ng's order.
  // Delivery stops a fifth of the time left (at most 1 s) before the
  // deadline to leave time for flush()/close()/deinit(); deinit() runs on
  // the calling thread, after the workers have ended or been abandoned.
  // Messages still queued when delivery stops get kDroppedShutdown.
  //
  // Returns OK when every worker ended by the deadline (dropped messages
  // are counted in stats(), not errors); DeadlineExceeded naming each
  // worker that was stuck in Python past the deadline and abandoned (its
  // messages get kDroppedShutdown, its thread is left to finish alone).
  // An abandoned worker's send() may still return, and may have delivered
  // its message after all: stats().late_completions counts those, so a
  // caller that retries kDroppedShutdown messages may duplicate that many.
  //
  // Only the first call shuts down. A call made while it runs waits for it
  // (whatever its own deadline) and returns its status; a later call
  // returns that status at once. Send, TrySend, Flush and stats stay safe
  // to call meanwhile and afterwards.
  virtual absl::Status Shutdown(absl::Time deadline) = 0;

  // A snapshot of the counters, for any thread at any time (also after
  // Shutdown); never waits for delivery. The counters are read one after
  // the other, so a snapshot taken while messages flow is not one instant:
  // queued, processed and queue_depth may disagree by the messages that
  // moved meanwhile.
  virtual DestinationStats stats() const = 0;

  // With a dead-letter(python(...)) (DestinationOptions::dead_letter): the
  // second destination's counters, which receives this one's drops (what
  // it delivered, dropped in turn, still holds); nullopt without one.
  // stats().dead_lettered counts what it accepted. Same rules as stats().
  virtual std::optional<DestinationStats> dead_letter_stats() const {
    return std::nullopt;
  }
};

}  // namespace pydest

#endif  // PYDEST_HOST_H_
