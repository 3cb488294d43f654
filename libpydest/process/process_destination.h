// ProcessDestination: a Python destination under isolation(process) —
// workers(N) pydest-worker processes, one ProcessDriver each — and the
// host-side part of its work: the value-pairs evaluation (RecordPreparer,
// on the host's prepare thread, so workers receive records ready to become
// dicts). The host process never starts an interpreter for it.
//
// Create() starts every worker side by side and waits until each loaded
// the class and ran init(); an error there (import, class, init()) is the
// same Status as in-process, and no worker is left running.
//
// Thread-safety: Create, Deinit and the destructor on the owner's thread;
// driver(i) belongs to worker thread i; SetKillDeadline from any thread.
#ifndef LIBPYDEST_PROCESS_PROCESS_DESTINATION_H_
#define LIBPYDEST_PROCESS_PROCESS_DESTINATION_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libpydest/delivery/destination_counters.h"
#include "libpydest/delivery/driver.h"
#include "libpydest/delivery/preparer.h"
#include "libpydest/process/process_driver.h"
#include "pydest/destination_options.h"

namespace pydest::internal {

class ProcessDestination {
 public:
  static absl::StatusOr<std::unique_ptr<ProcessDestination>> Create(
      const DestinationOptions& options,
      std::shared_ptr<DestinationCounters> counters);
  ~ProcessDestination();  // kills workers still running

  int worker_count() const { return static_cast<int>(drivers_.size()); }
  Driver* driver(int index) { return drivers_.at(index).get(); }
  const std::string& persist_name() const { return persist_name_; }
  std::shared_ptr<Preparer> preparer() const { return preparer_; }

  // Runs stop before a step that would begin after `drain` (the host's
  // worker stops sending then too); a call still running at `kill` is
  // ended by killing its worker.
  void SetShutdownDeadlines(absl::Time drain, absl::Time kill);
  // deinit() in every worker, which then exit. Idempotent.
  void Deinit(absl::Time deadline);

 private:
  ProcessDestination() = default;

  std::shared_ptr<WorkerProcessConfig> config_;
  std::vector<std::unique_ptr<ProcessDriver>> drivers_;
  std::shared_ptr<Preparer> preparer_;
  std::string persist_name_;
  bool deinitialized_ = false;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_PROCESS_PROCESS_DESTINATION_H_
