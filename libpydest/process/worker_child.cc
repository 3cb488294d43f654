#include "libpydest/process/worker_child.h"

#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "libpydest/delivery/destination_counters.h"
#include "libpydest/process/frame_channel.h"
#include "libpydest/process/log_line.h"
#include "libpydest/process/shared_progress.h"
#include "libpydest/process/worker_protocol.h"
#include "libpydest/pyrt/log_record_format.h"
#include "libpydest/python/python_destination.h"
#include "libpydest/python/record_preparer.h"
#include "libpydest/value_pairs/value_pairs.h"
#include "pydest/log_hook.h"

namespace pydest::internal {
namespace {

int64_t MonotonicNanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// The host evaluates value-pairs; the worker only needs the key names, in
// the host's id order, for the dicts it builds.
class ReceivedKeys final : public ValuePairs {
 public:
  void Evaluate(const Message&, const MacroContext&, Record* record,
                EvaluationReport*) const override {
    record->Clear();  // never called in a worker
  }
  const KeyTable& keys() const override { return keys_; }
  KeyTable& mutable_keys() { return keys_; }

 private:
  KeyTable keys_;
};

// Publishes each step in the shared page.
class ProgressObserver final : public RunObserver {
 public:
  explicit ProgressObserver(SharedProgress* progress) : progress_(progress) {}
  void CallStarted(int64_t now_nanos) override {
    progress_->call_started_nanos.store(now_nanos, std::memory_order_release);
  }
  bool StopBeforeStep(int64_t now_nanos) override {
    return now_nanos >=
           progress_->stop_runs_at_nanos.load(std::memory_order_relaxed);
  }
  void StepDone(size_t index, const RunStep& step) override {
    SharedProgress::Step& slot = progress_->steps[index];
    slot.result = static_cast<uint8_t>(step.result);
    slot.connected = step.connected ? 1 : 0;
    slot.send_nanos = step.send_nanos;
    progress_->call_started_nanos.store(0, std::memory_order_relaxed);
    progress_->steps_done.store(static_cast<uint32_t>(index + 1),
                                std::memory_order_release);
  }

 private:
  SharedProgress* progress_;
};

// Ends the process once the host's end of the lifeline is closed: the
// host died, or gave up on this worker, which may be deep in a call.
void WatchHost(int fd) {
  std::thread([fd] {
    pollfd pfd{fd, POLLIN, 0};
    for (;;) {
      if (poll(&pfd, 1, -1) > 0 && pfd.revents != 0) _exit(0);
    }
  }).detach();
}

class WorkerChild {
 public:
  WorkerChild(FrameChannel* channel, SharedProgress* progress)
      : channel_(channel), progress_(progress), observer_(progress) {}

  int Run() {
    uint8_t type = 0;
    std::string payload;
    if (channel_->Receive(-1, &type, &payload) !=
            FrameChannel::Received::kFrame ||
        type != static_cast<uint8_t>(FrameType::kSetup)) {
      return 2;
    }
    absl::StatusOr<WorkerSetup> setup = DecodeSetup(payload);
    if (!setup.ok()) {
      Send(FrameType::kSetupFailed, EncodeStatus(setup.status()));
      return 2;
    }
    value_pairs_ = setup->value_pairs;
    DestinationOptions options = std::move(setup->options);
    if (options.memory_limit_mib.has_value()) {
      const rlim_t bytes = static_cast<rlim_t>(*options.memory_limit_mib) << 20;
      rlimit limit{bytes, bytes};
      setrlimit(RLIMIT_AS, &limit);
    }
    options.log_sink = [this](const LogRecord& record) { Log(record); };
    // Records of no destination (Python logging on a thread the class
    // started) would be plain stderr text: as lines the host decodes,
    // they keep their level and reach the destination's log sink.
    SetLogHook([this](const LogRecord& record) { LogAsLine(record); });
    std::shared_ptr<ReceivedKeys> keys;
    if (value_pairs_) keys = std::make_shared<ReceivedKeys>();
    keys_ = keys.get();
    counters_ = std::make_shared<DestinationCounters>();
    absl::StatusOr<std::unique_ptr<PythonDestination>> created =
        PythonDestination::CreateWithValuePairs(options, keys, counters_);
    if (!created.ok()) {
      Send(FrameType::kSetupFailed, EncodeStatus(created.status()));
      return 0;
    }
    std::unique_ptr<PythonDestination> destination = std::move(*created);
    driver_ = destination->driver(0);
    WorkerReady ready;
    ready.persist_name = destination->persist_name();
    ready.has_is_opened = driver_->HasIsOpened();
    if (!Send(FrameType::kReady, EncodeReady(ready))) return 0;

    // Calls into the class on a thread of their own, as in a host.
    bool deinit = false;
    std::thread calls([this, &deinit] {
      serving_thread_.store(std::this_thread::get_id());
      deinit = Serve();
      serving_thread_.store(main_thread_);
    });
    calls.join();
    if (!deinit) return 0;  // the host is gone: nothing to answer
    destination->Deinit();  // on the thread that ran init()
    Send(FrameType::kReply, EncodeReply(0, Counters()));
    return 0;
  }

 private:
  bool Send(FrameType type, const std::string& payload) {
    return channel_->Send(static_cast<uint8_t>(type), payload);
  }

  // A record of the thread that answers the host goes over the channel, in
  // order with its answers; one of any other thread as a stderr line, which
  // the host reads all the time (log_line.h): the channel is read only
  // during calls, and a full socket would block that thread.
  void Log(const LogRecord& record) {
    if (std::this_thread::get_id() != serving_thread_.load()) {
      LogAsLine(record);
      return;
    }
    Send(FrameType::kLog, EncodeLogRecord(record));
  }

  // A record too long for one line goes as plain text: never through the
  // channel from another thread.
  void LogAsLine(const LogRecord& record) {
    std::optional<std::string> line = LogLineOf(record);
    if (!line.has_value()) line = FormatLogRecord(record) + "\n";
    absl::MutexLock lock(&stderr_mu_);
    WriteAll(STDERR_FILENO, *line);
  }

  static void WriteAll(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = write(fd, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // the host is gone
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  WorkerCounters Counters() const {
    WorkerCounters c;
    c.python_exceptions = counters_->python_exceptions.load();
    c.casting_errors = counters_->casting_errors.load();
    c.written_bytes = counters_->written_bytes.load();
    return c;
  }

  // Answers requests; true when the host asked for deinit().
  bool Serve() {
    driver_->ThreadStarted();
    bool deinit = false;
    uint8_t type = 0;
    std::string payload;
    while (channel_->Receive(-1, &type, &payload) ==
           FrameChannel::Received::kFrame) {
      const auto request = static_cast<FrameType>(type);
      if (request == FrameType::kDeinit) {
        deinit = true;
        break;
      }
      if (request == FrameType::kRun) {
        if (!HandleRun(payload)) break;
        continue;
      }
      uint64_t value = 0;
      observer_.CallStarted(MonotonicNanos());
      switch (request) {
        case FrameType::kOpen:
          value = driver_->Open() ? 1 : 0;
          break;
        case FrameType::kIsOpened:
          value = driver_->IsOpened() ? 1 : 0;
          break;
        case FrameType::kFlush:
          value = static_cast<uint64_t>(driver_->Flush());
          break;
        case FrameType::kClose:
          driver_->Close();
          break;
        default:
          progress_->call_started_nanos.store(0);
          driver_->ThreadEnding();
          return false;  // not a request: the host is confused, stop
      }
      progress_->call_started_nanos.store(0, std::memory_order_release);
      if (!Send(FrameType::kReply, EncodeReply(value, Counters()))) break;
    }
    driver_->ThreadEnding();
    return deinit;
  }

  bool HandleRun(const std::string& payload) {
    absl::Status decoded = DecodeRun(payload, value_pairs_, &run_);
    if (decoded.ok() && value_pairs_) {
      KeyTable& table = keys_->mutable_keys();
      if (run_.first_new_key != table.size()) {
        decoded = absl::DataLossError("worker protocol: keys out of order");
      } else {
        for (const std::string& key : run_.new_keys) table.Intern(key);
        decoded = CheckRecordKeys(run_, static_cast<uint32_t>(table.size()));
      }
    }
    if (!decoded.ok() || run_.count > kMaxRunSteps) {
      LogRecord record;
      record.level = LogRecord::Level::kError;
      record.text = "Worker process received a malformed run";
      record.tags = {{"error", std::string(decoded.message())}};
      Send(FrameType::kLog, EncodeLogRecord(record));
      return false;
    }
    const size_t count = run_.count;
    while (prepared_.size() < count) {
      prepared_.push_back(std::make_shared<PreparedRecord>());
    }
    queued_.resize(count);
    pointers_.resize(count);
    steps_.resize(count);
    for (size_t i = 0; i < count; ++i) {
      RunRequest::Entry& entry = run_.entries[i];
      QueuedMessage& q = queued_[i];
      q.seqnum = entry.seqnum;
      if (value_pairs_) {
        prepared_[i]->record.Clear();
        std::swap(prepared_[i]->record, entry.record);
        q.prepared = prepared_[i];
      } else {
        q.message = std::move(entry.message);
      }
      pointers_[i] = &q;
    }
    progress_->steps_done.store(0, std::memory_order_release);
    driver_->BeginBatch();
    const size_t done = RunSteps(driver_, pointers_.data(), count, run_.limits,
                                 steps_.data(), &observer_);
    driver_->EndBatch();
    for (size_t i = 0; i < count; ++i) queued_[i].prepared.reset();
    return Send(FrameType::kRunDone, EncodeRunDone(done, Counters()));
  }

  FrameChannel* channel_;
  SharedProgress* progress_;
  ProgressObserver observer_;
  bool value_pairs_ = false;
  ReceivedKeys* keys_ = nullptr;
  std::shared_ptr<DestinationCounters> counters_;
  Driver* driver_ = nullptr;
  RunRequest run_;
  std::vector<std::shared_ptr<PreparedRecord>> prepared_;
  std::vector<QueuedMessage> queued_;
  std::vector<const QueuedMessage*> pointers_;
  std::vector<RunStep> steps_;
  // The thread that answers the host: this one until the calls thread
  // serves, and again for deinit().
  const std::thread::id main_thread_ = std::this_thread::get_id();
  std::atomic<std::thread::id> serving_thread_{main_thread_};
  absl::Mutex stderr_mu_;  // one record line at a time
};

}  // namespace

int RunWorkerChild() {
  void* page = mmap(nullptr, sizeof(SharedProgress), PROT_READ | PROT_WRITE,
                    MAP_SHARED, kWorkerProgressFd, 0);
  if (page == MAP_FAILED) return 2;
  close(kWorkerProgressFd);
  auto* progress = static_cast<SharedProgress*>(page);
  FrameChannel channel(kWorkerChannelFd);
  WatchHost(kWorkerLifelineFd);
  WorkerChild child(&channel, progress);
  const int status = child.Run();
  // Python's own finalisation could run the class's atexit code and
  // threads' cleanups for ever; a worker ends at once, as syslog-ng's
  // destinations end with the process.
  fflush(stdout);
  _exit(status);
}

}  // namespace pydest::internal
