// PythonDestination: a user's syslog-ng Python destination class, loaded
// and initialised (syslog-ng-behaviour.md §2.2), with one instance — one
// Driver — per worker (workers(N)).
//
// Create() runs on the calling ("main") thread: it starts the interpreter
// if needed, extends sys.path (python_path, virtualenv), runs the
// configuration's python {} code as module _syslogng_main, imports
// loaders(), resolves class() (split at the last dot; no dot: from
// _syslogng_main), injects DROP/ERROR/SUCCESS/QUEUED/NOT_CONNECTED/RETRY/MAX,
// template_options, seqnum and persist_name as class attributes (under
// target(axosyslog): the last three on each instance after __init__, the
// constants after it too), instantiates the class with no arguments once per worker and calls
// init(options) on each — or init() when the method takes no argument
// (3.7-era classes such as the tutorial's TextDestination; syslog-ng fails
// those with a TypeError, see docs/compatibility.md).
//
// Differences from syslog-ng 3.38 kept on purpose (docs/compatibility.md):
// under @version >= 4.0 a class that does not derive from
// syslogng.LogDestination gets a warning instead of an init error.
//
// Thread-safety: Create, Deinit and the destructor run on the same thread
// (the one that owns the destination); driver(i) is handed to worker i,
// which alone calls it. Counters may be read from any thread.
#ifndef LIBPYDEST_PYTHON_PYTHON_DESTINATION_H_
#define LIBPYDEST_PYTHON_PYTHON_DESTINATION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libpydest/delivery/destination_counters.h"
#include "libpydest/delivery/driver.h"
#include "libpydest/delivery/preparer.h"
#include "libpydest/value_pairs/value_pairs.h"
#include "pydest/destination_options.h"

namespace pydest::internal {

struct DestinationShared;
class PythonDriver;
class RecordPreparer;

class PythonDestination {
 public:
  // Compiles options.value_pairs (when set) and loads the class. Errors
  // name what failed: the module that does not import (with the sys.path
  // searched and the traceback), the class that is missing, the init()
  // that returned a falsy value or raised (with the traceback). The
  // destination counts into `counters` (its own when null): the host passes
  // the ones its Delivery counts into, so that stats have one place.
  static absl::StatusOr<std::unique_ptr<PythonDestination>> Create(
      const DestinationOptions& options,
      std::shared_ptr<DestinationCounters> counters = nullptr);

  // As Create, with the value-pairs plan already compiled; null means
  // send() receives a LogMessage. options.value_pairs is ignored.
  static absl::StatusOr<std::unique_ptr<PythonDestination>>
  CreateWithValuePairs(const DestinationOptions& options,
                       std::shared_ptr<const ValuePairs> value_pairs,
                       std::shared_ptr<DestinationCounters> counters = nullptr);

  // Deinit()s if that has not happened, then releases the Python objects.
  ~PythonDestination();
  PythonDestination(const PythonDestination&) = delete;
  PythonDestination& operator=(const PythonDestination&) = delete;

  int worker_count() const { return static_cast<int>(drivers_.size()); }
  // The driver of worker `index` (0 <= index < worker_count()); owned here.
  Driver* driver(int index);

  // Calls deinit() on every instance (optional method; result ignored,
  // exceptions logged). Call after the workers stopped. Idempotent.
  void Deinit();

  // "python(<class>)", "python.<persist-name>" or "python.<what
  // generate_persist_name() returned>" (syslog-ng-behaviour.md §9.4).
  const std::string& persist_name() const { return persist_name_; }

  // What the destination counts: exceptions raised by its methods (all
  // instances), casting errors of value-pairs evaluation, and what it
  // reported with stats_written_bytes_add().
  const DestinationCounters& counters() const;

  // Where os._exit's report reads how many accepted messages it loses
  // (the host's queue, once it exists). Any thread.
  void SetUnsettledCounter(std::function<uint64_t()> count);

  // With value-pairs(), what evaluates them ahead of the workers (for the
  // Delivery's prepare thread); null when send() gets a LogMessage.
  std::shared_ptr<Preparer> preparer() const;

 private:
  PythonDestination();

  std::unique_ptr<DestinationShared> shared_;
  std::vector<std::unique_ptr<PythonDriver>> drivers_;
  std::shared_ptr<RecordPreparer> preparer_;
  std::string persist_name_;
  bool deinitialized_ = false;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYTHON_PYTHON_DESTINATION_H_
