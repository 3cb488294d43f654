#include "libpydest/process/process_driver.h"

#include <signal.h>
#include <errno.h>
#include <sys/wait.h>
#include <time.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libpydest/python/record_preparer.h"

namespace pydest::internal {
namespace {

int64_t MonotonicNanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// How long a wait may block before it looks at the deadlines again (the
// shutdown deadline can be set while it waits).
constexpr int kMaxPollMs = 10;

}  // namespace

ProcessDriver::ProcessDriver(int index,
                             std::shared_ptr<WorkerProcessConfig> config)
    : index_(index), config_(std::move(config)) {}

ProcessDriver::~ProcessDriver() {
  if (child_ != nullptr) {
    kill(child_->pid(), SIGKILL);
    int status = 0;
    waitpid(child_->pid(), &status, 0);
  }
}

void ProcessDriver::Log(LogRecord::Level level, const char* text,
                        std::vector<std::pair<std::string, std::string>> tags) {
  LogRecord record;
  record.level = level;
  record.text = text;
  record.tags = {{"driver", config_->name},
                 {"worker_index", absl::StrCat(index_)}};
  for (auto& tag : tags) record.tags.push_back(std::move(tag));
  config_->log(record);
}

absl::Status ProcessDriver::Launch() {
  dead_.reset();
  absl::StatusOr<std::unique_ptr<LaunchedWorker>> launched = LaunchWorker(
      config_->executable, config_->log,
      {{"driver", config_->name}, {"worker_index", absl::StrCat(index_)}});
  if (!launched.ok()) return launched.status();
  child_ = std::move(*launched);
  seen_ = WorkerCounters{};
  keys_sent_ = 0;
  WorkerSetup setup = config_->setup;
  setup.index = index_;
  if (!child_->channel().Send(static_cast<uint8_t>(FrameType::kSetup),
                              EncodeSetup(setup))) {
    Lost("start", "it did not take its setup");
    return absl::UnavailableError(
        "isolation(process): the worker process ended at once");
  }
  return absl::OkStatus();
}

absl::Status ProcessDriver::AwaitReady() {
  std::string payload;
  uint64_t unused = 0;
  // kReady or kSetupFailed; AwaitAnswer takes kReady, a failure comes back
  // through `setup_failure`.
  if (!AwaitAnswer(FrameType::kReady, &unused, &payload, "init")) {
    if (!payload.empty()) return DecodeStatus(payload);
    // A limit the interpreter itself does not fit in is the usual cause
    // when one is set: say so rather than leave it to the log.
    const std::optional<uint64_t>& limit =
        config_->setup.options.memory_limit_mib;
    return absl::FailedPreconditionError(absl::StrCat(
        "isolation(process): the worker process of '", config_->name,
        "' ended while loading the class (its output is in the log)",
        limit.has_value()
            ? absl::StrCat("; memory-limit(", *limit,
                           ") may be too small for its Python interpreter "
                           "and libraries to start")
            : ""));
  }
  absl::StatusOr<WorkerReady> ready = DecodeReady(payload);
  if (!ready.ok()) {
    Lost("init", "its answer was malformed");
    return ready.status();
  }
  if (!started_once_) {
    has_is_opened_ = ready->has_is_opened;
    persist_name_ = ready->persist_name;
  }
  started_once_ = true;
  return absl::OkStatus();
}

void ProcessDriver::AddCounters(const WorkerCounters& now) {
  auto add = [this](std::atomic<uint64_t>& counter, uint64_t total,
                    uint64_t* seen) {
    if (total > *seen) config_->counters->Add(counter, total - *seen);
    *seen = total;
  };
  add(config_->counters->python_exceptions, now.python_exceptions,
      &seen_.python_exceptions);
  add(config_->counters->casting_errors, now.casting_errors,
      &seen_.casting_errors);
  add(config_->counters->written_bytes, now.written_bytes,
      &seen_.written_bytes);
}

bool ProcessDriver::AwaitAnswer(FrameType answer, uint64_t* value,
                                std::string* payload, const char* call) {
  const int64_t timeout_nanos =
      config_->send_timeout.has_value()
          ? absl::ToInt64Nanoseconds(*config_->send_timeout)
          : INT64_MAX;
  // Before the worker publishes its first call (start-up), the wait itself
  // is what send-timeout() limits.
  const int64_t wait_start = MonotonicNanos();
  for (;;) {
    child_->progress().stop_runs_at_nanos.store(
        config_->stop_runs_at_nanos.load(), std::memory_order_relaxed);
    const int64_t now = MonotonicNanos();
    const int64_t kill_at = config_->kill_at_nanos.load();
    if (now >= kill_at) {
      Log(LogRecord::Level::kError,
          "Worker process still busy at the shutdown deadline; killed",
          {{"call", call}});
      Lost(call, "killed at the shutdown deadline");
      return false;
    }
    if (timeout_nanos != INT64_MAX) {
      int64_t started =
          child_->progress().call_started_nanos.load(std::memory_order_acquire);
      if (started == 0 || std::string_view(call) == "init") started = wait_start;
      if (now - started >= timeout_nanos) {
        Log(LogRecord::Level::kError,
            "A call into the destination ran longer than send-timeout(); "
            "killing its worker process",
            {{"call", call},
             {"send_timeout",
              absl::StrCat(absl::ToDoubleSeconds(*config_->send_timeout))}});
        Lost(call, "killed for send-timeout()");
        return false;
      }
    }
    uint8_t type = 0;
    payload->clear();
    switch (child_->channel().Receive(kMaxPollMs, &type, payload)) {
      case FrameChannel::Received::kTimeout:
        continue;
      case FrameChannel::Received::kClosed:
        Lost(call, "its connection closed");
        payload->clear();
        return false;
      case FrameChannel::Received::kDamaged:
        Lost(call, "it sent a malformed frame");
        payload->clear();
        return false;
      case FrameChannel::Received::kFrame:
        break;
    }
    const auto got = static_cast<FrameType>(type);
    if (got == FrameType::kLog) {
      absl::StatusOr<LogRecord> record = DecodeLogRecord(*payload);
      if (record.ok()) config_->log(*record);
      continue;
    }
    if (got == answer) {
      if (answer == FrameType::kReady) return true;
      WorkerCounters counters;
      if (!DecodeAnswer(*payload, value, &counters)) {
        Lost(call, "its answer was malformed");
        return false;
      }
      AddCounters(counters);
      return true;
    }
    if (got == FrameType::kSetupFailed && answer == FrameType::kReady) {
      // *payload keeps the status for AwaitReady; the worker exits.
      std::string status = std::move(*payload);
      Lost(call, "");
      *payload = std::move(status);
      return false;
    }
    Lost(call, absl::StrCat("it answered with frame type ", type));
    payload->clear();
    return false;
  }
}

void ProcessDriver::Lost(const char* call, const std::string& why) {
  if (child_ == nullptr) return;
  const pid_t pid = child_->pid();
  kill(pid, SIGKILL);  // gone or not, it is done
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!why.empty()) {
    Log(LogRecord::Level::kError, "Worker process ended",
        {{"pid", absl::StrCat(pid)},
         {"call", call},
         {"status", DescribeExit(status)},
         {"reason", why}});
  }
  dead_ = std::move(child_);
}

bool ProcessDriver::Request(FrameType type, const std::string& payload,
                            FrameType answer, uint64_t* value,
                            const char* call) {
  if (child_ == nullptr) return false;
  if (!child_->channel().Send(static_cast<uint8_t>(type), payload)) {
    Lost(call, "its connection closed");
    return false;
  }
  std::string reply;
  return AwaitAnswer(answer, value, &reply, call);
}

bool ProcessDriver::Open() {
  if (child_ == nullptr) {
    if (started_once_) config_->counters->Add(config_->counters->worker_restarts);
    absl::Status started = Launch();
    if (started.ok()) started = AwaitReady();
    if (!started.ok()) {
      Log(LogRecord::Level::kError, "Cannot start a worker process",
          {{"error", std::string(started.message())}});
      return false;
    }
  }
  uint64_t value = 0;
  return Request(FrameType::kOpen, "", FrameType::kReply, &value, "open") &&
         value != 0;
}

bool ProcessDriver::IsOpened() {
  uint64_t value = 0;
  return Request(FrameType::kIsOpened, "", FrameType::kReply, &value,
                 "is_opened") &&
         value != 0;
}

DeliveryResult ProcessDriver::Send(const QueuedMessage& message) {
  const QueuedMessage* one = &message;
  RunStep step;
  RunLimits limits;
  SendRun(&one, 1, limits, &step);
  return step.connected ? step.result : DeliveryResult::kNotConnected;
}

size_t ProcessDriver::SendRun(const QueuedMessage* const* messages,
                              size_t count, RunLimits limits, RunStep* steps) {
  if (child_ == nullptr) {
    // It died between calls: reconnect (a new worker) without a try.
    steps[0] = RunStep{DeliveryResult::kNotConnected, false, 0};
    return 1;
  }
  count = std::min(count, kMaxRunSteps);
  std::vector<std::string_view> new_keys;
  uint32_t key_count = keys_sent_;
  if (config_->value_pairs != nullptr) {
    const KeyTable& table = config_->value_pairs->keys();
    key_count = static_cast<uint32_t>(table.size());
    for (uint32_t id = keys_sent_; id < key_count; ++id) {
      new_keys.push_back(table.Name(id));
    }
  }
  RunEncoder encoder;
  encoder.Begin(&frame_, limits, keys_sent_, new_keys, count);
  for (size_t i = 0; i < count; ++i) {
    const QueuedMessage& m = *messages[i];
    if (config_->value_pairs != nullptr) {
      encoder.AddRecord(m.seqnum,
                        static_cast<const PreparedRecord&>(*m.prepared).record);
    } else {
      encoder.AddMessage(m.seqnum, m.message);
    }
  }
  SharedProgress& progress = child_->progress();
  progress.steps_done.store(0, std::memory_order_relaxed);
  progress.call_started_nanos.store(0, std::memory_order_relaxed);
  progress.stop_runs_at_nanos.store(config_->stop_runs_at_nanos.load(),
                                    std::memory_order_relaxed);
  if (!child_->channel().Send(static_cast<uint8_t>(FrameType::kRun),
                              frame_)) {
    Lost("send", "its connection closed");
    steps[0] = RunStep{DeliveryResult::kNotConnected, false, 0};
    return 1;
  }
  keys_sent_ = key_count;
  uint64_t done = 0;
  std::string reply;
  const bool answered =
      AwaitAnswer(FrameType::kRunDone, &done, &reply, "send");
  // The steps that finished are in the worker's page (still mapped in
  // dead_ when it died).
  SharedProgress& page = answered ? child_->progress() : dead_->progress();
  const size_t finished = std::min<size_t>(
      page.steps_done.load(std::memory_order_acquire), count);
  for (size_t i = 0; i < finished; ++i) {
    const SharedProgress::Step& s = page.steps[i];
    steps[i] = RunStep{static_cast<DeliveryResult>(s.result), s.connected != 0,
                       s.send_nanos};
  }
  if (answered) {
    if (done == finished) return done;
    Lost("send", "its run answer did not match its progress");
  }
  // It died. Did the run end before it (the last step stopped the run)?
  RunLimits replay = limits;
  for (size_t i = 0; i < finished; ++i) {
    if (RunStopsAfter(steps[i], &replay)) return i + 1;
  }
  if (finished == count) return finished;
  const bool in_call =
      page.call_started_nanos.load(std::memory_order_acquire) != 0;
  // In a call: the message it was on failed a try (and may be poison).
  // Between calls: it never got to it.
  steps[finished] = in_call
                        ? RunStep{DeliveryResult::kWorkerLost, true, 0}
                        : RunStep{DeliveryResult::kNotConnected, false, 0};
  return finished + 1;
}

DeliveryResult ProcessDriver::Flush() {
  // No worker: the last one's pending messages were handed back when it
  // died; nothing is left to flush.
  if (child_ == nullptr) return DeliveryResult::kSuccess;
  uint64_t value = 0;
  if (!Request(FrameType::kFlush, "", FrameType::kReply, &value, "flush")) {
    return DeliveryResult::kWorkerLost;
  }
  return static_cast<DeliveryResult>(value);
}

void ProcessDriver::Close() {
  uint64_t value = 0;
  Request(FrameType::kClose, "", FrameType::kReply, &value, "close");
}

void ProcessDriver::Deinit(absl::Time deadline) {
  dead_.reset();
  if (child_ == nullptr) return;
  const int64_t until =
      MonotonicNanos() +
      std::max<int64_t>(0, absl::ToInt64Nanoseconds(deadline - absl::Now()));
  config_->kill_at_nanos.store(
      std::min(config_->kill_at_nanos.load(), until));
  uint64_t value = 0;
  if (Request(FrameType::kDeinit, "", FrameType::kReply, &value, "deinit")) {
    // It exits by itself; Lost() reaps it (SIGKILL is harmless by now).
    const pid_t pid = child_->pid();
    int status = 0;
    bool reaped = false;
    for (int i = 0; i < 100 && !reaped; ++i) {
      reaped = waitpid(pid, &status, WNOHANG) == pid;
      if (!reaped) absl::SleepFor(absl::Milliseconds(2));
    }
    if (!reaped) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
    }
    child_.reset();
  }
  dead_.reset();
}

}  // namespace pydest::internal
