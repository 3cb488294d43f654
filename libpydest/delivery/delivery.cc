#include "libpydest/delivery/delivery.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libpydest/delivery/message_queue.h"
#include "libpydest/delivery/outcome_tracker.h"
#include "libpydest/delivery/throttle.h"
#include "libpydest/delivery/worker.h"

namespace pydest::internal {
namespace {

// Prepared messages that may wait for the workers: four batches, so the
// prepare thread stays ahead of a worker, and is woken when half of them
// were taken; at least kMinPrepareWindow, so that with small batches it is
// not woken every hundred messages (each wake-up is two context switches).
constexpr size_t kMinPrepareWindow = 1024;

size_t PrepareWindow(const WorkerConfig& config) {
  return std::max(kMinPrepareWindow, 4 * config.max_batch);
}

// The host's callbacks as the tracker's one: on_outcome, then
// on_outcome_report, whichever are set.
OutcomeTracker::Callback OutcomeCallback(const DestinationOptions& options) {
  if (!options.on_outcome) return options.on_outcome_report;
  auto on_outcome = options.on_outcome;
  if (!options.on_outcome_report) {
    return [on_outcome](const Message& m, const OutcomeReport& report) {
      on_outcome(m, report.outcome);
    };
  }
  return [on_outcome, on_report = options.on_outcome_report](
             const Message& m, const OutcomeReport& report) {
    on_outcome(m, report.outcome);
    on_report(m, report);
  };
}


// How many messages the queue holds in memory: log-fifo-size, or with a
// disk buffer its mem-buf-length() (the rest waits in the files).
size_t MemoryCapacity(const DestinationOptions& options, bool durable) {
  if (durable && options.disk_buffer.has_value() &&
      options.disk_buffer->mem_buf_length.has_value()) {
    return static_cast<size_t>(*options.disk_buffer->mem_buf_length);
  }
  return options.log_fifo_size;
}

}  // namespace

// What the workers share with the owner; kept alive by every worker thread.
struct DeliveryState {
  DeliveryState(const DestinationOptions& options, Clock* clock, bool staged,
                std::shared_ptr<DestinationCounters> counters_in,
                std::shared_ptr<DurableStore> store_in)
      : config(WorkerConfig::FromOptions(options)),
        counters(counters_in ? std::move(counters_in)
                             : std::make_shared<DestinationCounters>()),
        store(std::move(store_in)),
        tracker(OutcomeCallback(options), options.first_seqnum, clock,
                counters.get()),
        queue(MemoryCapacity(options, store != nullptr), options.overflow,
              &tracker, clock, staged ? PrepareWindow(config) : 0,
              store.get()) {
    if (options.throttle.has_value() && *options.throttle > 0) {
      throttle = std::make_unique<Throttle>(*options.throttle, clock);
    }
    if (store != nullptr) {
      DurableStore* s = store.get();
      tracker.SetDiskBuffer(
          [s](uint64_t id) { s->NoteKept(id); },
          [s, q = &queue](uint64_t id) {
            s->NoteSettledThrough(id);
            q->NotifyRoom();
          });
      queue.AdoptRecovered(store->recovered());
    }
  }

  WorkerConfig config;
  std::shared_ptr<DestinationCounters> counters;
  std::shared_ptr<DurableStore> store;  // null: memory only
  std::unique_ptr<Throttle> throttle;   // throttle(); null = unlimited
  OutcomeTracker tracker;
  MessageQueue queue;
};

namespace {

// Encodings of the messages one call hands over (reused per thread).
std::vector<DurableStore::Encoded>& EncodedScratch(size_t n) {
  thread_local std::vector<DurableStore::Encoded> scratch;
  if (scratch.size() < n) scratch.resize(n);
  return scratch;
}

}  // namespace

Delivery::Delivery(const DestinationOptions& options,
                   std::vector<Driver*> drivers,
                   std::shared_ptr<void> keep_alive, Clock* clock,
                   std::shared_ptr<Preparer> preparer,
                   std::shared_ptr<DestinationCounters> counters,
                   std::shared_ptr<DurableStore> store)
    : clock_(clock),
      state_(std::make_shared<DeliveryState>(
          options, clock, preparer != nullptr, std::move(counters),
          std::move(store))),
      keep_alive_(std::move(keep_alive)) {
  if (preparer != nullptr) {
    // The window, what each worker holds (a batch taken, a QUEUED batch
    // awaiting flush()) and a chunk being prepared.
    preparer->ExpectInFlight(PrepareWindow(state_->config) +
                             drivers.size() * 2 * state_->config.max_batch +
                             MessageQueue::kPrepareChunk);
    prepare_ = std::make_unique<PrepareStage>(
        std::move(preparer), &state_->queue, &state_->tracker, state_);
  }
  for (size_t i = 0; i < drivers.size(); ++i) {
    workers_.push_back(std::make_shared<Worker>(
        static_cast<int>(i), drivers[i], &state_->config, &state_->queue,
        &state_->tracker, clock_, state_->throttle.get()));
  }
}

Delivery::~Delivery() {
  if (!shut_down_) {
    const absl::Time now = clock_->Now();
    Shutdown(now, now + absl::Seconds(1)).IgnoreError();
  }
}

void Delivery::SetDeadLetters(std::shared_ptr<DeadLetterSink> sink) {
  state_->tracker.SetDeadLetters(std::move(sink));
}

void Delivery::Start() {
  if (started_ || shut_down_) return;
  started_ = true;
  if (prepare_ != nullptr) prepare_->Start();
  for (const std::shared_ptr<Worker>& worker : workers_) {
    // The thread owns what it touches: an abandoned worker may outlive this
    // object.
    threads_.emplace_back(
        [worker, state = state_, keep = keep_alive_] { worker->Run(); });
  }
}

absl::Status Delivery::Send(Message message, uint64_t context) {
  if (state_->store != nullptr) {
    return SendDurable(absl::MakeConstSpan(&message, 1),
                       absl::MakeConstSpan(&context, 1), /*may_block=*/true)
               .status();
  }
  std::optional<QueuedMessage> evicted;
  switch (state_->queue.Push(message, /*may_block=*/true, &evicted,
                             context)) {
    case MessageQueue::PushResult::kAccepted:
    case MessageQueue::PushResult::kFull:  // not with may_block
      return absl::OkStatus();
    case MessageQueue::PushResult::kAcceptedEvictedOldest:
      state_->tracker.Report(*evicted, Outcome::kDroppedQueueOverflow);
      return absl::OkStatus();
    case MessageQueue::PushResult::kDroppedNewest:
      state_->tracker.ReportUnaccepted(message, context,
                                       Outcome::kDroppedQueueOverflow);
      return absl::OkStatus();
    case MessageQueue::PushResult::kClosed:
      state_->tracker.ReportUnaccepted(message, context,
                                       Outcome::kDroppedNotAccepted);
      return absl::FailedPreconditionError(
          "the destination is shutting down; message not accepted");
  }
  return absl::OkStatus();
}

bool Delivery::TrySend(Message message, uint64_t context) {
  return TrySendBatch(absl::MakeConstSpan(&message, 1),
                      absl::MakeConstSpan(&context, 1)) == 1;
}

size_t Delivery::TrySendBatch(absl::Span<const Message> messages,
                              absl::Span<const uint64_t> contexts) {
  if (state_->store != nullptr) {
    absl::StatusOr<size_t> taken =
        SendDurable(messages, contexts, /*may_block=*/false);
    return taken.ok() ? *taken : 0;
  }
  // In slices, so the results fit on the stack.
  constexpr size_t kSlice = 256;
  MessageQueue::PushResult results[kSlice];
  std::vector<QueuedMessage> evicted;
  size_t taken = 0;
  while (taken < messages.size()) {
    const size_t n = std::min(kSlice, messages.size() - taken);
    const Message* slice = messages.data() + taken;
    const absl::Span<const uint64_t> slice_contexts =
        contexts.subspan(std::min(taken, contexts.size()));
    const size_t done = state_->queue.TryPushBatch(slice, slice_contexts, n,
                                                   results, &evicted);
    for (size_t i = 0; i < done; ++i) {
      if (results[i] == MessageQueue::PushResult::kDroppedNewest) {
        state_->tracker.ReportUnaccepted(
            slice[i], i < slice_contexts.size() ? slice_contexts[i] : 0,
            Outcome::kDroppedQueueOverflow);
      }
    }
    for (QueuedMessage& m : evicted) {
      state_->tracker.Report(m, Outcome::kDroppedQueueOverflow);
    }
    evicted.clear();
    taken += done;
    if (done < n) break;
  }
  return taken;
}

absl::StatusOr<size_t> Delivery::SendDurable(
    absl::Span<const Message> messages, absl::Span<const uint64_t> contexts,
    bool may_block) {
  DurableStore& store = *state_->store;
  // Encoded here, outside the queue's lock; framed and written under it.
  std::vector<DurableStore::Encoded>& encoded = EncodedScratch(messages.size());
  for (size_t i = 0; i < messages.size(); ++i) {
    DurableStore::Encode(messages[i], i < contexts.size() ? contexts[i] : 0,
                         &encoded[i]);
  }
  thread_local std::vector<MessageQueue::PushResult> results;
  if (results.size() < messages.size()) results.resize(messages.size());
  std::string full_reason;
  const size_t done = state_->queue.PushDurable(
      messages.data(), contexts, encoded.data(), messages.size(), may_block,
      results.data(), &full_reason);
  size_t accepted = 0, dropped = 0;
  for (size_t i = 0; i < done; ++i) {
    if (results[i] == MessageQueue::PushResult::kDroppedNewest) {
      state_->tracker.ReportUnaccepted(
          messages[i], i < contexts.size() ? contexts[i] : 0,
          Outcome::kDroppedQueueOverflow);
      ++dropped;
    } else {
      ++accepted;
    }
  }
  if (dropped > 0) {
    LogDiskBufferFull(dropped, full_reason);
  } else if (!full_reason.empty()) {
    // overflow(block): the hand-over waited for room (Send) or took fewer
    // (TrySend*); say why, or a producer stalls on a full disk silently.
    LogDiskBufferFull(0, full_reason);
  }
  if (accepted > 0) {
    // reliable(yes): accepted means on disk. One sync covers every caller
    // waiting at the time (group commit).
    if (absl::Status s = store.Commit(); !s.ok() && state_->config.log) {
      LogRecord record;
      record.level = LogRecord::Level::kError;
      record.text = "Error syncing the disk buffer";
      record.tags = {{"driver", state_->config.driver_name},
                     {"error", std::string(s.message())}};
      state_->config.log(record);
    }
  }
  if (done < messages.size() && may_block) {
    // Only a shutdown stops a blocking hand-over.
    state_->tracker.ReportUnaccepted(
        messages[done], done < contexts.size() ? contexts[done] : 0,
        Outcome::kDroppedNotAccepted);
    return absl::FailedPreconditionError(
        "the destination is shutting down; message not accepted");
  }
  return done;
}

void Delivery::LogDiskBufferFull(size_t dropped, const std::string& reason) {
  // At most one line a second: a full buffer under load drops many.
  if (!state_->config.log || !full_warnings_.Allow(clock_->Now())) return;
  LogRecord record;
  record.level = LogRecord::Level::kWarning;
  record.text = dropped > 0
                    ? "Disk buffer full; messages dropped as overflow() says"
                    : "Disk buffer full; waiting for room, as overflow(block) "
                      "says (delivered messages make room)";
  record.tags = {{"driver", state_->config.driver_name}};
  if (dropped > 0) record.tags.emplace_back("dropped", absl::StrCat(dropped));
  record.tags.emplace_back("reason", reason);
  state_->config.log(record);
}

absl::Status Delivery::Flush(absl::Time deadline) {
  const uint64_t last = state_->tracker.LastAccepted();
  state_->queue.RequestFlush();
  return state_->tracker.WaitSettled(last, deadline);
}

absl::Status Delivery::Shutdown(absl::Time drain_deadline,
                                absl::Time hard_deadline) {
  if (shut_down_) return shutdown_status_;
  shut_down_ = true;
  state_->queue.Close(drain_deadline);

  std::vector<std::string> abandoned;
  if (started_) {
    for (size_t i = 0; i < workers_.size(); ++i) {
      Worker& worker = *workers_[i];
      // Real-time slices against the injected clock: a fake clock only
      // moves while workers wait on it.
      while (!worker.done()) {
        const absl::Duration left = hard_deadline - clock_->Now();
        if (left <= absl::ZeroDuration()) break;
        worker.WaitDone(std::min(left, absl::Milliseconds(20)));
      }
      if (worker.done()) {
        threads_[i].join();
        continue;
      }
      const char* call = worker.current_call();
      const size_t dropped = worker.Abandon();
      threads_[i].detach();
      abandoned.push_back(absl::StrCat(
          "worker ", i, " (in ", call != nullptr ? call : "no call", "(), ",
          dropped, " message(s) dropped)"));
      if (state_->config.log) {
        LogRecord record;
        record.level = LogRecord::Level::kError;
        record.text =
            "Worker did not stop by the shutdown deadline and was abandoned";
        record.tags = {{"driver", state_->config.driver_name},
                       {"worker_index", absl::StrCat(i)},
                       {"function", call != nullptr ? call : ""}};
        state_->config.log(record);
      }
    }
  }
  // The prepare thread ends at the drain deadline (or when the queue is
  // drained) and gives back what it holds, before the rest is dropped.
  if (prepare_ != nullptr && started_) {
    // It only runs C++ code: a moment past the deadline is still given.
    const absl::Duration left = std::max(hard_deadline - clock_->Now(),
                                         absl::Milliseconds(50));
    std::vector<QueuedMessage> held;
    if (!prepare_->Stop(left, &held)) {
      abandoned.push_back(absl::StrCat("the prepare thread (",
                                       held.size(), " message(s) dropped)"));
      for (QueuedMessage& m : held) {
        state_->tracker.Report(m, Outcome::kDroppedShutdown);
      }
    }
  }
  for (QueuedMessage& m : state_->queue.TakeAll()) {
    state_->tracker.Report(m, Outcome::kDroppedShutdown);
  }
  if (state_->store != nullptr) {
    // What waits in the files only stays there for the next run; it is
    // read back just to report each message's outcome.
    std::vector<QueuedMessage> kept, unreadable;
    state_->queue.TakeSpilled(&kept, &unreadable);
    state_->tracker.ReportRange(kept.data(), kept.size(),
                                Outcome::kDroppedShutdown);
    state_->tracker.ReportRange(unreadable.data(), unreadable.size(),
                                Outcome::kDroppedOnError);
  }
  if (!abandoned.empty()) {
    shutdown_status_ = absl::DeadlineExceededError(
        absl::StrCat("shutdown deadline passed; abandoned ",
                     absl::StrJoin(abandoned, ", ")));
  }
  return shutdown_status_;
}

std::function<uint64_t()> Delivery::UnsettledCounter() const {
  std::weak_ptr<DeliveryState> state = state_;
  return [state]() -> uint64_t {
    std::shared_ptr<DeliveryState> s = state.lock();
    return s ? s->tracker.Unsettled() : 0;
  };
}

DestinationStats Delivery::stats() const {
  DestinationStats s = state_->counters->Snapshot();
  if (state_->store != nullptr) s.disk_buffer_bytes = state_->store->bytes();
  s.queue_depth = state_->queue.size();
  s.queue_capacity = state_->queue.capacity();
  return s;
}

}  // namespace pydest::internal
