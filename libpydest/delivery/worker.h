// Worker: one worker thread of a destination — syslog-ng's threaded
// destination worker, reduced to what the python() driver uses. It owns one
// Driver and runs the state machine of syslog-ng-behaviour.md §2.3-2.6, §3.2:
//
//   open at start-up (even with no traffic) -> wait for messages -> drain
//   round: [is_opened (+open) ->] send per message -> result handling ->
//   flush() at batch-lines / end of round / batch-timeout -> ...
//   failures: close step, suspend for time-reopen (or the backoff), reopen.
//   shutdown: final flush(), close step; what is left gets kDroppedShutdown.
//
// The worker's taken messages live in batch_: [0, reported_) have their
// outcome; [reported_, acked_) are delivered and get their outcome at the
// end of the driver batch (one lock and one tracker call per batch, outside
// the GIL); [acked_, next_) is the pending batch (sent, QUEUED, waiting for
// a SUCCESS); [next_, end) is not sent yet. A rewind sets next_ = acked_.
//
// Thread-safety: Run() is the worker thread's body. Abandon(), done() and
// current_call() are for the owning thread (shutdown); everything else is
// private to the worker thread. Only the worker thread changes batch_ (under
// state_mu_) and reads it without the lock; Abandon() reads it under
// state_mu_, so an abandoned worker's messages still get their outcome
// exactly once.
#ifndef LIBPYDEST_DELIVERY_WORKER_H_
#define LIBPYDEST_DELIVERY_WORKER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libpydest/delivery/backoff.h"
#include "libpydest/delivery/clock.h"
#include "libpydest/delivery/driver.h"
#include "libpydest/delivery/latency_recorder.h"
#include "libpydest/delivery/message_queue.h"
#include "libpydest/delivery/outcome_tracker.h"
#include "libpydest/delivery/throttle.h"
#include "pydest/destination_options.h"
#include "pydest/log_record.h"
#include "pydest/outcome.h"
#include "pydest/reopen_backoff.h"

namespace pydest::internal {

// The settings every worker of a destination shares (immutable).
struct WorkerConfig {
  std::string driver_name = "d_python#0";  // the `driver` tag of log records
  int retries = 3;                         // retries()
  int batch_lines = -1;                    // batch-lines()
  int64_t batch_timeout_ms = -1;           // batch-timeout()
  int64_t batch_idle_timeout_ms = -1;      // batch-idle-timeout()
  absl::Duration time_reopen = absl::Seconds(1);
  ReopenBackoff backoff;
  size_t max_batch = 64;  // messages taken from the queue at once
  std::function<void(const LogRecord&)> log;  // never empty

  static WorkerConfig FromOptions(const DestinationOptions& options);
};

// RETRY results before one is handled as NOT_CONNECTED; hard-coded in
// syslog-ng (syslog-ng-behaviour.md §3.2).
inline constexpr int kRetryLimit = 3;

class Worker {
 public:
  // `throttle` (throttle(), shared by the workers) may be null.
  Worker(int index, Driver* driver, const WorkerConfig* config,
         MessageQueue* queue, OutcomeTracker* tracker, Clock* clock,
         Throttle* throttle = nullptr);
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // The thread body: returns after the shutdown sequence (or abandonment).
  void Run();

  // For the owner, when the worker missed the shutdown deadline: from now on
  // the worker reports nothing and calls nothing it can avoid; its
  // unsettled messages get kDroppedShutdown here. Returns how many.
  size_t Abandon() ABSL_LOCKS_EXCLUDED(state_mu_);
  bool done() const { return done_.load(std::memory_order_acquire); }
  // Waits (real time) until done() or `timeout`; true when done.
  bool WaitDone(absl::Duration timeout) ABSL_LOCKS_EXCLUDED(done_mu_);
  // The driver call the worker is in right now ("send", "open", ...), or
  // nullptr.
  const char* current_call() const {
    return current_call_.load(std::memory_order_acquire);
  }
  int index() const { return index_; }

 private:
  class CallScope;

  bool abandoned() const { return abandoned_.load(std::memory_order_acquire); }
  void Log(LogRecord::Level level, const char* text,
           std::vector<std::pair<std::string, std::string>> tags);
  std::string TimeReopenTag() const;

  // Steps of the state machine (syslog-ng-behaviour.md §2.3-2.5).
  void Connect(bool reopen);
  void CloseStep();
  void Disconnect();
  void Suspend();
  void DrainRound();
  bool TakeMoreMessages() ABSL_LOCKS_EXCLUDED(state_mu_);
  // Moves incoming_ (just popped from the queue) into batch_.
  void AppendIncoming() ABSL_LOCKS_EXCLUDED(state_mu_);
  // Lets go of the messages once all have their outcome.
  void ReleaseReported() ABSL_LOCKS_EXCLUDED(state_mu_);
  void InsertOne();
  // Driver::SendsRuns(): the unsent messages go to SendRun at once, and
  // each step is then handled as InsertOne handles its call's result.
  void InsertRun();
  // Driver::SendsRuns(): how many messages one run takes (about 2 ms of
  // send() time, by the recent average), and how many the worker takes from
  // the queue at once (no more than it will send soon, so that the other
  // workers get the rest).
  size_t RunCap() const;
  size_t TakeLimit() const;
  // After a send() (or a step of a run) returned `result` for the message
  // just counted in next_.
  void AfterSend(DeliveryResult result, bool first_of_batch);
  void FlushStep();
  // What a send() or flush() result does (worker_results.cc). Failures
  // end the driver batch first.
  void HandleResult(DeliveryResult result);
  void HandleFailure(DeliveryResult result);
  void HandleNotConnected();
  // kWorkerLost: the worker process died; `in_send` when it was in the
  // send() of the message at next_ - 1 (a poison candidate).
  void HandleWorkerLost(bool in_send);
  // Drops the message at next_ - 1 alone (kDroppedPoison); the pending
  // ones before it stay pending.
  void DropPoison() ABSL_LOCKS_EXCLUDED(state_mu_);
  void ExitSequence();

  // Batching (batch-lines / batch-timeout, syslog-ng-behaviour.md §3.3).
  bool FlushNow();
  // batch-timeout() or batch-idle-timeout() is set.
  bool HasBatchTimer() const {
    return config_->batch_timeout_ms > 0 || config_->batch_idle_timeout_ms > 0;
  }
  absl::Time BatchFlushAt();

  // The pending batch: messages sent (QUEUED or EXPLICIT_ACK_MGMT) and not
  // acknowledged yet; what syslog-ng calls batch_size.
  size_t Pending() const {
    return next_ - acked_.load(std::memory_order_relaxed);
  }
  bool HasUnsent() const { return next_ < batch_size_; }
  // The driver batch (BeginBatch .. EndBatch) and its end, where delivered
  // messages get their outcome.
  void BeginDriverBatch();
  void EndDriverBatch();
  // SUCCESS: the whole pending batch (earlier QUEUED ones too) is delivered.
  void Acknowledge();
  void ReportDelivered() ABSL_LOCKS_EXCLUDED(state_mu_);
  // Reports the delivered ones, then `outcome` for the pending batch
  // (Settle) or for everything not delivered (SettleRest).
  void Settle(Outcome outcome) ABSL_LOCKS_EXCLUDED(state_mu_);
  void SettleRest(Outcome outcome) ABSL_LOCKS_EXCLUDED(state_mu_);
  void SettleUpTo(size_t end, Outcome outcome)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_mu_);
  void Rewind() { next_ = acked_.load(std::memory_order_relaxed); }
  // The message at `i`, read by the worker thread without the lock (it is
  // the only writer of batch_).
  const QueuedMessage& At(size_t i) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return batch_[i];
  }

  const int index_;
  Driver* const driver_;
  const WorkerConfig* const config_;
  MessageQueue* const queue_;
  OutcomeTracker* const tracker_;
  Clock* const clock_;
  Throttle* const throttle_;
  Backoff backoff_;

  // Worker-thread state.
  bool connected_ = false;
  bool exiting_ = false;       // in the shutdown sequence: never suspend
  bool round_broken_ = false;  // RETRY ends the drain round
  bool batching_ = false;      // a QUEUED was seen: sticky
  bool in_batch_ = false;      // between Driver::BeginBatch and EndBatch
  int error_count_ = 0;        // retries_on_error_counter
  int retry_count_ = 0;        // RETRY counter
  int attempts_ = 0;           // NOT_CONNECTED rounds (backoff.max_attempts)
  // The message whose send() was running when the worker process died,
  // and how many times in a row that happened (isolation(process)).
  uint64_t lost_seqnum_ = 0;
  int lost_tries_ = 0;
  bool lost_in_send_ = false;  // the kWorkerLost being handled came from send()
  std::vector<const QueuedMessage*> run_messages_;  // InsertRun's, reused
  std::vector<RunStep> run_steps_;
  double avg_send_nanos_ = 0;  // of this worker's recent send() calls
  uint64_t served_flush_generation_ = 0;
  absl::Time suspended_until_ = absl::InfinitePast();
  absl::Time throttled_until_ = absl::InfinitePast();  // throttle()
  absl::Time last_flush_ = absl::InfinitePast();
  absl::Time batch_start_ = absl::InfinitePast();
  absl::Time last_send_ = absl::InfinitePast();  // of the pending batch

  absl::Mutex state_mu_;
  std::vector<QueuedMessage> batch_ ABSL_GUARDED_BY(state_mu_);
  size_t reported_ ABSL_GUARDED_BY(state_mu_) = 0;
  // Written by the worker thread only; Abandon() reads it.
  std::atomic<size_t> acked_{0};
  size_t next_ = 0;        // worker thread only
  // batch_[never_sent_, end) were never offered to send(): their first
  // send() records their queue_time (a rewind does not lower it). Worker
  // thread only.
  size_t never_sent_ = 0;
  // send() durations and queue times of the driver batch, added to the
  // destination's histograms at its end. Worker thread only.
  LatencyTally send_latency_;
  LatencyTally queue_time_;
  // When the last send() returned (Clock::MonotonicNanos()), while no other
  // driver call has been made since in this driver batch; else kNoSendEnd.
  static constexpr int64_t kNoSendEnd = INT64_MIN;
  int64_t last_send_end_ = kNoSendEnd;
  std::vector<QueuedMessage> incoming_;  // worker thread only
  size_t batch_size_ = 0;  // batch_.size(), for the worker thread's checks

  std::atomic<bool> abandoned_{false};
  std::atomic<const char*> current_call_{nullptr};
  std::atomic<bool> done_{false};
  absl::Mutex done_mu_;
  absl::CondVar done_cv_;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_WORKER_H_
