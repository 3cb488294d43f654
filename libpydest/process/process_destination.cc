#include "libpydest/process/process_destination.h"

#include <time.h>

#include <algorithm>
#include <utility>

#include "libpydest/pyrt/destination_context.h"
#include "libpydest/python/record_preparer.h"
#include "libpydest/value_pairs/value_pairs.h"

namespace pydest::internal {
namespace {

int64_t MonotonicNanosAt(absl::Time t) {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const int64_t now = int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
  if (t == absl::InfiniteFuture()) return INT64_MAX;
  return now + absl::ToInt64Nanoseconds(t - absl::Now());
}

}  // namespace

absl::StatusOr<std::unique_ptr<ProcessDestination>> ProcessDestination::Create(
    const DestinationOptions& options,
    std::shared_ptr<DestinationCounters> counters) {
  absl::StatusOr<std::string> executable =
      FindWorkerExecutable(options.worker_executable);
  if (!executable.ok()) return executable.status();
  std::unique_ptr<ProcessDestination> dest(new ProcessDestination());
  auto config = std::make_shared<WorkerProcessConfig>();
  config->executable = *executable;
  config->setup.options = options;
  config->setup.value_pairs = options.value_pairs.has_value();
  config->send_timeout = options.send_timeout;
  config->log = options.log_sink;
  config->name = options.name;
  config->counters = counters;
  if (options.value_pairs) {
    ValuePairsOptions vp_options;
    vp_options.version = options.version;
    vp_options.on_error = options.on_error;
    absl::StatusOr<std::unique_ptr<ValuePairs>> compiled =
        ValuePairs::Compile(*options.value_pairs, vp_options);
    if (!compiled.ok()) return compiled.status();
    config->value_pairs = std::move(*compiled);
    // Casting errors are counted and logged here, where records are made.
    dest->preparer_ = std::make_shared<RecordPreparer>(
        config->value_pairs, MakeDestinationContext(options, counters));
  }
  dest->config_ = config;
  const int workers = std::max(1, options.workers);
  for (int i = 0; i < workers; ++i) {
    dest->drivers_.push_back(std::make_unique<ProcessDriver>(i, config));
  }
  // Side by side: each worker starts its interpreter while the others do.
  absl::Status status;
  for (auto& driver : dest->drivers_) {
    status = driver->Launch();
    if (!status.ok()) return status;
  }
  for (auto& driver : dest->drivers_) {
    absl::Status ready = driver->AwaitReady();
    if (status.ok()) status = ready;
  }
  // On failure the workers that did start are killed without deinit(), as
  // in-process a destination whose init() failed gets none.
  if (!status.ok()) return status;
  dest->persist_name_ = dest->drivers_[0]->persist_name();
  return dest;
}

ProcessDestination::~ProcessDestination() = default;

void ProcessDestination::SetShutdownDeadlines(absl::Time drain,
                                              absl::Time kill) {
  config_->stop_runs_at_nanos.store(MonotonicNanosAt(drain));
  config_->kill_at_nanos.store(MonotonicNanosAt(kill));
}

void ProcessDestination::Deinit(absl::Time deadline) {
  if (deinitialized_) return;
  deinitialized_ = true;
  for (auto& driver : drivers_) driver->Deinit(deadline);
}

}  // namespace pydest::internal
