// ProcessDriver: the Driver of one of workers(N) under isolation(process):
// each call goes to a pydest-worker process (worker_child.h) over the
// worker protocol, and a run of messages goes as one frame. The state
// machine (libpydest/delivery/worker.cc) stays in the host.
//
// When the worker process dies (a crash, os._exit, a kill from outside, or
// a kill by this driver for send-timeout() or at the shutdown deadline):
//   - the call in flight fails: send() of the message the SharedProgress
//     names as running is kWorkerLost (a failed try; the state machine
//     counts such tries and drops a message that kills every worker as
//     poison), flush() is kWorkerLost, open()/is_opened() are false;
//   - the death is logged with its exit status or signal;
//   - the next Open() starts a new worker (counted in worker_restarts).
// A worker that was gone before a run started makes the run's first step
// not connected: the state machine reconnects without counting a try.
//
// Thread-safety: Launch/AwaitReady and Deinit on the owner's thread, the
// Driver methods on the worker thread, never at once (the host runs
// Deinit after its workers are done).
#ifndef LIBPYDEST_PROCESS_PROCESS_DRIVER_H_
#define LIBPYDEST_PROCESS_PROCESS_DRIVER_H_

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libpydest/delivery/destination_counters.h"
#include "libpydest/delivery/driver.h"
#include "libpydest/process/worker_launcher.h"
#include "libpydest/process/worker_protocol.h"
#include "libpydest/value_pairs/value_pairs.h"
#include "pydest/log_record.h"

namespace pydest::internal {

// What the drivers of one destination share.
struct WorkerProcessConfig {
  std::string executable;
  WorkerSetup setup;  // its index is each driver's own
  std::optional<absl::Duration> send_timeout;
  std::function<void(const LogRecord&)> log;  // never empty
  std::string name;                           // the destination's
  std::shared_ptr<DestinationCounters> counters;
  // The host-side value-pairs plan (its key names go to the workers); null
  // when send() receives a LogMessage.
  std::shared_ptr<const ValuePairs> value_pairs;
  // CLOCK_MONOTONIC nanoseconds after which a call still running is ended
  // by killing its worker: the host's shutdown deadline. Any thread sets it.
  std::atomic<int64_t> kill_at_nanos{INT64_MAX};
  // The host's drain deadline, handed to the workers' pages: their runs
  // stop there (SharedProgress::stop_runs_at_nanos).
  std::atomic<int64_t> stop_runs_at_nanos{INT64_MAX};
};

class ProcessDriver final : public Driver {
 public:
  ProcessDriver(int index, std::shared_ptr<WorkerProcessConfig> config);
  // Kills and reaps a worker still running.
  ~ProcessDriver() override;
  ProcessDriver(const ProcessDriver&) = delete;
  ProcessDriver& operator=(const ProcessDriver&) = delete;

  // Starts a worker and hands it its setup; AwaitReady then waits until it
  // loaded the class and ran init() (or says why not). Two steps, so that
  // the workers of a destination start side by side.
  absl::Status Launch();
  absl::Status AwaitReady();
  // What the worker's class said (valid after AwaitReady succeeded).
  const std::string& persist_name() const { return persist_name_; }

  // deinit() in the worker, which then exits; killed at `deadline`.
  void Deinit(absl::Time deadline);

  bool Open() override;
  bool IsOpened() override;
  bool HasIsOpened() const override { return has_is_opened_; }
  DeliveryResult Send(const QueuedMessage& message) override;
  bool SendsRuns() const override { return true; }
  size_t SendRun(const QueuedMessage* const* messages, size_t count,
                 RunLimits limits, RunStep* steps) override;
  DeliveryResult Flush() override;
  void Close() override;

 private:
  // Sends a request and waits for its answer; false (the worker is gone,
  // and logged) when none came.
  bool Request(FrameType type, const std::string& payload, FrameType answer,
               uint64_t* value, const char* call);
  // Waits for `answer`, forwarding log records; enforces send-timeout()
  // and the shutdown deadline.
  bool AwaitAnswer(FrameType answer, uint64_t* value, std::string* payload,
                   const char* call);
  void AddCounters(const WorkerCounters& now);
  // The worker is gone (or must go): kill, reap, log; its page stays
  // readable in dead_ until the next Launch.
  void Lost(const char* call, const std::string& why);
  void Log(LogRecord::Level level, const char* text,
           std::vector<std::pair<std::string, std::string>> tags);

  const int index_;
  const std::shared_ptr<WorkerProcessConfig> config_;
  std::unique_ptr<LaunchedWorker> child_;  // null: no worker running
  std::unique_ptr<LaunchedWorker> dead_;   // the last one that died
  WorkerCounters seen_;  // the running worker's counters already added
  uint32_t keys_sent_ = 0;
  bool has_is_opened_ = false;
  bool started_once_ = false;
  std::string persist_name_;
  std::string frame_;  // the run being encoded, reused
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_PROCESS_PROCESS_DRIVER_H_
