// Delivery: the delivery engine of one destination — the bounded queue, one
// Worker thread per Driver, the outcome tracker and the counters. The host
// layer wraps it around a PythonDestination; tests drive it with fake
// drivers and a fake Clock.
//
//   Delivery d(options, {driver0, driver1}, keep_alive, Clock::Real(),
//              preparer, counters);
//   d.Start();                         // workers start, open() runs
//   d.Send(message);                   // any thread
//   d.Shutdown(drain_deadline, hard_deadline);
//
// Lifetime: worker threads share ownership of the engine's state and of
// `keep_alive` (the drivers' owner), so a worker abandoned in a call that
// never returns can never touch freed memory.
//
// Thread-safety: Send, TrySend, Flush and stats from any thread, any number
// at once. Start and Shutdown once each, from the owning thread.
#ifndef LIBPYDEST_DELIVERY_DELIVERY_H_
#define LIBPYDEST_DELIVERY_DELIVERY_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "libpydest/delivery/clock.h"
#include "libpydest/delivery/dead_letter_sink.h"
#include "libpydest/delivery/destination_counters.h"
#include "libpydest/delivery/driver.h"
#include "libpydest/delivery/durable_store.h"
#include "libpydest/delivery/once_a_second.h"
#include "libpydest/delivery/preparer.h"
#include "pydest/destination_options.h"
#include "pydest/message.h"
#include "pydest/stats.h"

namespace pydest::internal {

struct DeliveryState;
class Worker;

class Delivery {
 public:
  // One worker per driver (options.workers is not consulted). The drivers
  // must stay valid as long as `keep_alive` lives. `clock` must outlive
  // every worker thread (Clock::Real() does). With a `preparer`, a prepare
  // thread runs it on every message before a worker takes it. Everything
  // is counted into `counters` (its own when null), which the drivers'
  // side may count into too: stats() reads them. With a `store` (the
  // destination's disk buffer, opened by the caller) every accepted
  // message is written to it, what an earlier run left is delivered first,
  // and what is still queued at the Shutdown deadline stays in it.
  Delivery(const DestinationOptions& options, std::vector<Driver*> drivers,
           std::shared_ptr<void> keep_alive, Clock* clock = Clock::Real(),
           std::shared_ptr<Preparer> preparer = nullptr,
           std::shared_ptr<DestinationCounters> counters = nullptr,
           std::shared_ptr<DurableStore> store = nullptr);
  // Shuts down with a 1 s deadline if Shutdown was not called.
  ~Delivery();
  Delivery(const Delivery&) = delete;
  Delivery& operator=(const Delivery&) = delete;

  // With a dead-letter(): every dropped message goes to `sink` (see
  // OutcomeTracker::SetDeadLetters). Call before Start. The caller flushes
  // and shuts the sink down (after this engine's Shutdown).
  void SetDeadLetters(std::shared_ptr<DeadLetterSink> sink);

  // Starts the worker threads (each calls open() right away). Messages sent
  // before Start wait in the queue.
  void Start();

  // See PyDestinationHost::Send / TrySend / Flush.
  absl::Status Send(Message message, uint64_t context = 0);
  bool TrySend(Message message, uint64_t context = 0);
  size_t TrySendBatch(absl::Span<const Message> messages,
                      absl::Span<const uint64_t> contexts = {});
  absl::Status Flush(absl::Time deadline);

  // Stops intake; workers deliver until `drain_deadline`, then run flush()
  // and the close step. Workers not finished by `hard_deadline` are
  // abandoned (their thread detached, their messages kDroppedShutdown) and
  // named in the DeadlineExceeded status. Whatever is still queued gets
  // kDroppedShutdown. Later calls return the first call's status.
  absl::Status Shutdown(absl::Time drain_deadline, absl::Time hard_deadline);

  // The counters, with the queue's depth and capacity.
  DestinationStats stats() const;
  // Counts the messages accepted and not settled yet; 0 once this engine's
  // state is gone. Lock-free; any thread.
  std::function<uint64_t()> UnsettledCounter() const;

 private:
  // Send/TrySendBatch with a disk buffer.
  absl::StatusOr<size_t> SendDurable(absl::Span<const Message> messages,
                                     absl::Span<const uint64_t> contexts,
                                     bool may_block);
  void LogDiskBufferFull(size_t dropped, const std::string& reason);

  Clock* const clock_;
  OnceASecond full_warnings_;
  std::shared_ptr<DeliveryState> state_;
  std::shared_ptr<void> keep_alive_;
  std::vector<std::shared_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  std::unique_ptr<PrepareStage> prepare_;  // null without a preparer
  bool started_ = false;
  bool shut_down_ = false;
  absl::Status shutdown_status_;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_DELIVERY_H_
