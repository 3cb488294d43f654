#include "libpydest/delivery/worker.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pydest::internal {

WorkerConfig WorkerConfig::FromOptions(const DestinationOptions& options) {
  WorkerConfig c;
  c.driver_name = options.name;
  c.retries = options.retries;
  // WorkerConfig keeps the integer forms: -1 = unset, whole milliseconds
  // (a fraction rounds up, so a short timeout is not taken for none).
  auto ms = [](const std::optional<absl::Duration>& d) -> int64_t {
    if (!d.has_value() || *d == absl::InfiniteDuration()) return -1;
    return absl::ToInt64Milliseconds(absl::Ceil(*d, absl::Milliseconds(1)));
  };
  c.batch_lines = options.batch_lines.value_or(-1);
  c.batch_timeout_ms = ms(options.batch_timeout);
  c.batch_idle_timeout_ms = ms(options.batch_idle_timeout);
  c.time_reopen = options.time_reopen;
  c.backoff = options.backoff;
  // Take at least one batch-lines() worth, so a QUEUED batch can fill up
  // inside one GIL hold.
  // A worker process costs a round trip per run: larger runs spread it.
  const size_t least = options.isolation == Isolation::kProcess ? 512 : 64;
  c.max_batch = std::max<size_t>(
      least, c.batch_lines > 0 ? static_cast<size_t>(c.batch_lines) : 0);
  c.log = options.log_sink;
  return c;
}

// Marks which driver call the worker is in, for the shutdown report.
class Worker::CallScope {
 public:
  CallScope(Worker* worker, const char* call) : worker_(worker) {
    worker_->current_call_.store(call, std::memory_order_release);
  }
  ~CallScope() {
    worker_->current_call_.store(nullptr, std::memory_order_release);
  }

 private:
  Worker* worker_;
};

Worker::Worker(int index, Driver* driver, const WorkerConfig* config,
               MessageQueue* queue, OutcomeTracker* tracker, Clock* clock,
               Throttle* throttle)
    : index_(index),
      driver_(driver),
      config_(config),
      queue_(queue),
      tracker_(tracker),
      clock_(clock),
      throttle_(throttle),
      backoff_(config->time_reopen, config->backoff, clock) {}

void Worker::Log(LogRecord::Level level, const char* text,
                 std::vector<std::pair<std::string, std::string>> tags) {
  if (abandoned() || !config_->log) return;
  LogRecord record;
  record.level = level;
  record.text = text;
  record.tags = std::move(tags);
  config_->log(record);
}

std::string Worker::TimeReopenTag() const {
  return absl::StrCat(absl::ToDoubleSeconds(config_->time_reopen));
}

// ---------------------------------------------------------------------------
// The taken messages and their outcomes.

void Worker::Acknowledge() {
  if (abandoned()) return;  // Abandon() settled them
  tracker_->AddAcknowledged(static_cast<int64_t>(Pending()));
  acked_.store(next_, std::memory_order_release);
}

void Worker::SettleUpTo(size_t end, Outcome outcome) {
  // reported_ <= acked_ <= end, unless Abandon() settled everything while the
  // worker thread moved acked_.
  const size_t acked = std::clamp(acked_.load(std::memory_order_relaxed),
                                  reported_, std::max(reported_, end));
  if (acked > reported_) {
    tracker_->ReportRange(batch_.data() + reported_, acked - reported_,
                          Outcome::kDelivered);
    tracker_->AddAcknowledged(-static_cast<int64_t>(acked - reported_));
  }
  if (end > acked) {
    tracker_->ReportRange(batch_.data() + acked, end - acked, outcome);
  }
  reported_ = std::max(reported_, end);
  acked_.store(reported_, std::memory_order_release);
}

void Worker::ReportDelivered() {
  absl::MutexLock lock(&state_mu_);
  if (abandoned()) return;  // Abandon() reported them
  SettleUpTo(acked_.load(std::memory_order_relaxed), Outcome::kDelivered);
}

void Worker::Settle(Outcome outcome) {
  absl::MutexLock lock(&state_mu_);
  if (abandoned()) return;
  SettleUpTo(next_, outcome);
}

void Worker::SettleRest(Outcome outcome) {
  absl::MutexLock lock(&state_mu_);
  if (abandoned()) return;
  SettleUpTo(batch_.size(), outcome);
  next_ = batch_.size();
}

size_t Worker::Abandon() {
  abandoned_.store(true, std::memory_order_release);
  // The worker holds state_mu_ only for short bookkeeping (and for the
  // host's on_outcome callbacks); do not wait for it forever.
  const absl::Time give_up = absl::Now() + absl::Milliseconds(200);
  while (!state_mu_.TryLock()) {
    if (absl::Now() > give_up) return 0;
    absl::SleepFor(absl::Milliseconds(1));
  }
  // Delivered ones keep their outcome; the rest are dropped.
  const size_t acked = acked_.load(std::memory_order_acquire);
  const size_t n = batch_.size() - std::max(acked, reported_);
  SettleUpTo(batch_.size(), Outcome::kDroppedShutdown);
  state_mu_.Unlock();
  return n;
}

void Worker::BeginDriverBatch() {
  driver_->BeginBatch();
  in_batch_ = true;
}

void Worker::EndDriverBatch() {
  if (in_batch_) {
    driver_->EndBatch();
    in_batch_ = false;
  }
  tracker_->AddLatencies(&send_latency_, &queue_time_);
  last_send_end_ = kNoSendEnd;
  ReportDelivered();
}

bool Worker::WaitDone(absl::Duration timeout) {
  absl::MutexLock lock(&done_mu_);
  if (!done()) done_cv_.WaitWithTimeout(&done_mu_, timeout);
  return done();
}

// Moves the settled prefix out and appends newly queued messages. Only
// between driver batches.
bool Worker::TakeMoreMessages() {
  if (queue_->TryPopBatch(TakeLimit(), &incoming_) == 0) return false;
  AppendIncoming();
  return true;
}

void Worker::AppendIncoming() {
  absl::MutexLock lock(&state_mu_);
  if (reported_ > 0) {
    batch_.erase(batch_.begin(), batch_.begin() + reported_);
    next_ -= reported_;
    never_sent_ -= std::min(never_sent_, reported_);
    acked_.store(acked_.load(std::memory_order_relaxed) - reported_,
                 std::memory_order_release);
    reported_ = 0;
  }
  if (batch_.empty()) {
    // The usual case (the last batch was released): take the popped
    // messages as they are, without moving each one.
    batch_.swap(incoming_);
  } else {
    for (QueuedMessage& m : incoming_) batch_.push_back(std::move(m));
  }
  incoming_.clear();  // keeps its capacity: no allocation per batch
  batch_size_ = batch_.size();
}

void Worker::ReleaseReported() {
  // Everything has its outcome: let go of the messages now rather than at
  // the next batch (the host may be waiting for their memory).
  absl::MutexLock lock(&state_mu_);
  if (reported_ == batch_.size()) {
    batch_.clear();
    reported_ = next_ = never_sent_ = batch_size_ = 0;
    acked_.store(0, std::memory_order_release);
  }
}

// ---------------------------------------------------------------------------
// Connection (syslog-ng-behaviour.md §2.3 "open step", §2.4).

void Worker::Connect(bool reopen) {
  if (reopen) tracker_->AddReopen();
  bool ok;
  {
    CallScope call(this, "open");
    ok = driver_->Open();
  }
  connected_ = ok;
  if (!ok) {
    // syslog-ng logs this at debug level only; the class's own logging says
    // why.
    Log(LogRecord::Level::kDebug, "Error establishing connection to server",
        {{"driver", config_->driver_name},
         {"worker_index", absl::StrCat(index_)},
         {"time_reopen", TimeReopenTag()}});
    Suspend();
  }
}

void Worker::CloseStep() {
  // With is_opened(), close() only runs when the class says it is open.
  if (driver_->HasIsOpened()) {
    bool opened;
    {
      CallScope call(this, "is_opened");
      opened = driver_->IsOpened();
    }
    if (!opened || abandoned()) return;
  }
  CallScope call(this, "close");
  driver_->Close();
}

void Worker::Disconnect() {
  CloseStep();
  connected_ = false;
}

void Worker::Suspend() {
  connected_ = false;
  if (exiting_) return;
  const absl::Duration wait = backoff_.Next();
  suspended_until_ = clock_->Now() + wait;
  tracker_->AddSuspended(wait);
}

// ---------------------------------------------------------------------------
// Sending (syslog-ng-behaviour.md §2.3 "insert step") and result handling
// (§2.6, §3.2).

void Worker::InsertOne() {
  const QueuedMessage& message = At(next_);
  const bool first_of_batch = Pending() == 0;

  DeliveryResult result;
  bool connected = true;
  if (driver_->HasIsOpened()) {
    last_send_end_ = kNoSendEnd;  // is_opened() is not part of send()
    {
      CallScope call(this, "is_opened");
      connected = driver_->IsOpened();
    }
    if (!connected && !abandoned()) {
      CallScope call(this, "open");
      connected = driver_->Open();
    }
  }
  if (!connected) {
    result = DeliveryResult::kNotConnected;  // send() is not called
    last_send_end_ = kNoSendEnd;
  } else {
    // The start of send() also ends the message's time in the queue. When
    // the previous send() of this driver batch just returned, with only the
    // worker's own bookkeeping since (no driver call), its end is this
    // one's start: one clock read per message instead of two.
    const int64_t send_start = last_send_end_ != kNoSendEnd
                                   ? last_send_end_
                                   : clock_->MonotonicNanos();
    {
      CallScope call(this, "send");
      result = driver_->Send(message);
    }
    last_send_end_ = clock_->MonotonicNanos();
    send_latency_.Record(last_send_end_ - send_start);
    if (next_ >= never_sent_) {
      queue_time_.Record(send_start - message.accepted_nanos);
      never_sent_ = next_ + 1;
    }
    if (abandoned()) {
      // Abandon() reported it kDroppedShutdown while send() ran.
      tracker_->AddLateCompletions(1);
      return;
    }
  }
  if (abandoned()) return;
  ++next_;
  lost_in_send_ = connected;
  AfterSend(result, first_of_batch);
}

void Worker::AfterSend(DeliveryResult result, bool first_of_batch) {
  if (result == DeliveryResult::kSuccess) {
    HandleResult(result);
    return;
  }
  // The clock is read only when a timer needs it: batch-timeout() at the
  // batch's first message, batch-idle-timeout() at every message.
  if (first_of_batch || config_->batch_idle_timeout_ms > 0) {
    const absl::Time now = clock_->Now();
    if (first_of_batch) batch_start_ = now;
    if (config_->batch_idle_timeout_ms > 0) last_send_ = now;
  }
  HandleResult(result);
}

size_t Worker::RunCap() const {
  // About kRunBudget of send() time per run: long sends go a few at a time.
  constexpr double kRunBudgetNanos = 2e6;
  if (avg_send_nanos_ <= 0) return config_->max_batch;
  const double fit = kRunBudgetNanos / avg_send_nanos_;
  return fit >= static_cast<double>(config_->max_batch)
             ? config_->max_batch
             : std::max<size_t>(1, static_cast<size_t>(fit));
}

size_t Worker::TakeLimit() const {
  if (!driver_->SendsRuns()) return config_->max_batch;
  // What the other workers could be sending meanwhile stays in the queue;
  // a QUEUED batch still fills up in one take.
  const size_t lines =
      config_->batch_lines > 0 ? static_cast<size_t>(config_->batch_lines) : 1;
  return std::min(config_->max_batch, std::max(RunCap(), lines));
}

void Worker::InsertRun() {
  const size_t count =
      std::min({batch_size_ - next_, config_->max_batch, RunCap()});
  run_messages_.clear();
  for (size_t i = 0; i < count; ++i) run_messages_.push_back(&At(next_ + i));
  run_steps_.resize(count);
  RunLimits limits;
  limits.batching = batching_;
  limits.batch_lines = config_->batch_lines;
  limits.pending = Pending();
  const int64_t run_start = clock_->MonotonicNanos();
  size_t done;
  {
    CallScope call(this, "send");
    done = driver_->SendRun(run_messages_.data(), count, limits,
                            run_steps_.data());
  }
  last_send_end_ = kNoSendEnd;
  if (abandoned()) {
    tracker_->AddLateCompletions(done);
    return;
  }
  // Stopped at the drain deadline before any step: the round ends.
  if (done == 0) round_broken_ = true;
  // Each step as InsertOne would have handled its call; the driver stopped
  // where the worker would have stopped.
  int64_t step_start = run_start;
  for (size_t i = 0; i < done && !abandoned(); ++i) {
    const RunStep& step = run_steps_[i];
    const bool first_of_batch = Pending() == 0;
    if (step.connected) {
      send_latency_.Record(step.send_nanos);
      avg_send_nanos_ = avg_send_nanos_ <= 0
                            ? static_cast<double>(step.send_nanos)
                            : 0.9 * avg_send_nanos_ + 0.1 * step.send_nanos;
      if (next_ >= never_sent_) {
        queue_time_.Record(step_start - At(next_).accepted_nanos);
        never_sent_ = next_ + 1;
      }
      step_start += step.send_nanos;
    }
    ++next_;
    lost_in_send_ = step.connected;
    AfterSend(step.connected ? step.result : DeliveryResult::kNotConnected,
              first_of_batch);
    if (round_broken_ || !connected_) break;
  }
}

void Worker::FlushStep() {
  last_send_end_ = kNoSendEnd;  // flush() is not part of the next send()
  const size_t n = Pending();
  DeliveryResult result;
  {
    CallScope call(this, "flush");
    result = driver_->Flush();
  }
  lost_in_send_ = false;
  if (abandoned()) {
    // The pending (QUEUED) batch was reported kDroppedShutdown meanwhile.
    tracker_->AddLateCompletions(n);
    return;
  }
  last_flush_ = clock_->Now();
  if (n > 0 && (result == DeliveryResult::kSuccess ||
                result == DeliveryResult::kDrop)) {
    tracker_->AddBatch();
  }
  HandleResult(result);
}

// ---------------------------------------------------------------------------
// Batching (syslog-ng-behaviour.md §2.3, §3.3).

absl::Time Worker::BatchFlushAt() {
  absl::Time at = absl::InfiniteFuture();
  if (config_->batch_timeout_ms > 0) {
    // The timer runs from the first message of the pending batch (what the
    // batch-queued and batch-flush-false probes show), or from the last
    // flush when nothing is pending.
    absl::Time base = last_flush_;
    if (Pending() > 0) base = std::max(base, batch_start_);
    if (base == absl::InfinitePast()) return base;
    at = base + absl::Milliseconds(config_->batch_timeout_ms);
  }
  // batch-idle-timeout() (AxoSyslog): also once no message joined the
  // pending batch for that long.
  if (config_->batch_idle_timeout_ms > 0 && Pending() > 0) {
    at = std::min(at, last_send_ +
                          absl::Milliseconds(config_->batch_idle_timeout_ms));
  }
  return at;
}

bool Worker::FlushNow() {
  if (config_->batch_lines <= 1 || !batching_) return true;
  // Only the idle timer, and nothing pending: as without a timer.
  if (config_->batch_timeout_ms <= 0 &&
      (config_->batch_idle_timeout_ms <= 0 || Pending() == 0)) {
    return true;
  }
  return clock_->Now() >= BatchFlushAt();
}

// One drain round: send everything that is queued, then flush() unless the
// worker got suspended.
void Worker::DrainRound() {
  round_broken_ = false;
  while (connected_ && !abandoned()) {
    if (!HasUnsent()) {
      EndDriverBatch();
      absl::Time drain_deadline;
      if (queue_->closed(&drain_deadline) &&
          clock_->Now() >= drain_deadline) {
        break;
      }
      if (!TakeMoreMessages()) break;
    }
    if (queue_->closing()) {
      absl::Time drain_deadline;
      queue_->closed(&drain_deadline);
      if (clock_->Now() >= drain_deadline) break;
    }
    if (throttle_ != nullptr) {
      // throttle(): out of tokens ends the round; Run() waits for the next
      // one outside the driver batch (no flush, as when suspended).
      const absl::Time until = throttle_->Take();
      if (until != absl::InfinitePast()) {
        throttled_until_ = until;
        break;
      }
    }
    if (!in_batch_) BeginDriverBatch();
    if (throttle_ == nullptr && driver_->SendsRuns()) {
      InsertRun();
    } else {
      InsertOne();
    }
    // A rewind ends the driver batch: the messages are offered again in a
    // fresh one.
    if (round_broken_ || !connected_) break;
    if (batching_ && static_cast<int64_t>(Pending()) >= config_->batch_lines) {
      FlushStep();
      if (round_broken_) break;
    }
  }
  EndDriverBatch();
  if (abandoned()) return;
  ReleaseReported();
  // flush() after every drain round, even when nothing is pending, but not
  // while suspended (syslog-ng-behaviour.md §2.3) or throttled.
  if (connected_ && throttled_until_ == absl::InfinitePast() && FlushNow()) {
    FlushStep();
  }
}

// ---------------------------------------------------------------------------
// Shutdown (syslog-ng-behaviour.md §2.5).

void Worker::ExitSequence() {
  exiting_ = true;
  if (abandoned()) return;
  // The final flush runs even when disconnected; its result is handled
  // (a failure means the close step) but never suspends.
  FlushStep();
  if (abandoned()) return;
  CloseStep();
  SettleRest(Outcome::kDroppedShutdown);
}

void Worker::Run() {
  driver_->ThreadStarted();
  Connect(/*reopen=*/false);
  while (!abandoned()) {
    const uint64_t epoch = queue_->control_epoch();
    absl::Time drain_deadline;
    const bool stopping = queue_->closed(&drain_deadline);
    const absl::Time now = clock_->Now();
    if (stopping && now >= drain_deadline) break;

    if (!connected_) {
      if (now < suspended_until_) {
        // A reopen after the drain deadline could not deliver anything.
        if (stopping && suspended_until_ >= drain_deadline) break;
        queue_->WaitControl(suspended_until_, epoch);
        continue;
      }
      Connect(/*reopen=*/true);
      continue;
    }

    if (throttled_until_ != absl::InfinitePast()) {
      if (now < throttled_until_) {
        if (stopping && throttled_until_ >= drain_deadline) break;
        queue_->WaitControl(throttled_until_, epoch);
        continue;
      }
      throttled_until_ = absl::InfinitePast();
    }

    // Connected. PyDestinationHost::Flush or an expired batch-timeout
    // flushes a pending QUEUED batch.
    const uint64_t generation = queue_->flush_generation();
    const bool pending = Pending() > 0;
    if (generation != served_flush_generation_) {
      served_flush_generation_ = generation;
      if (pending) {
        FlushStep();
        continue;
      }
    }
    const bool timer = pending && batching_ && HasBatchTimer();
    if (timer && now >= BatchFlushAt()) {
      FlushStep();
      continue;
    }
    if (!HasUnsent() && !TakeMoreMessages()) {
      // Drained; a prepare thread may still hold messages for us.
      if (stopping && queue_->drained()) break;
      absl::Time wake = timer ? BatchFlushAt() : absl::InfiniteFuture();
      if (stopping) wake = std::min(wake, drain_deadline);
      if (queue_->PopBatch(TakeLimit(), wake, epoch, &incoming_) ==
          MessageQueue::Wake::kMessages) {
        AppendIncoming();
      }
      continue;
    }
    DrainRound();
  }
  ExitSequence();
  // Before done(): the shutdown may hold the GIL once the workers are done.
  driver_->ThreadEnding();
  {
    absl::MutexLock lock(&done_mu_);
    done_.store(true, std::memory_order_release);
    done_cv_.SignalAll();
  }
}

}  // namespace pydest::internal
