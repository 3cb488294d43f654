// PythonDriver: the Driver (libpydest/delivery/driver.h) of one worker of a
// Python destination — one instance of the user's class — plus the state
// the workers of one destination share (DestinationShared).
//
// With value-pairs, every message arrives evaluated (RecordPreparer, on the
// destination's prepare thread, without the GIL: DESIGN.md rule 2), so
// Send only builds the dict and calls send(). BeginBatch takes the GIL once
// for the batch (rule 3); EndBatch releases it. Calls outside a batch take
// the GIL themselves.
// Python exceptions (SystemExit and KeyboardInterrupt included) become
// errors of the call and a log record (rule 6).
//
// Thread-safety: a PythonDriver is used by its worker thread only.
// DestinationShared's Python parts are used under the GIL; its counters are
// atomics readable from any thread.
#ifndef LIBPYDEST_PYTHON_PYTHON_DRIVER_H_
#define LIBPYDEST_PYTHON_PYTHON_DRIVER_H_

#include <Python.h>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "libpydest/delivery/driver.h"
#include "libpydest/pyrt/destination_context.h"
#include "libpydest/pyrt/gil.h"
#include "libpydest/pyrt/py_error.h"
#include "libpydest/python/record_to_dict.h"
#include "libpydest/value_pairs/value_pairs.h"
#include "pydest/destination_options.h"
#include "pydest/log_record.h"
#include "pydest/timestamp.h"

namespace pydest::internal {

struct DestinationShared {
  // `counters` receives python_exceptions, casting_errors and
  // written_bytes.
  DestinationShared(const DestinationOptions& opts,
                    std::shared_ptr<const ValuePairs> vp,
                    std::shared_ptr<DestinationCounters> counters);

  // A new reference to callable(arg) (arg may be null: no argument), or
  // nullptr after the exception was counted and logged ("Exception while
  // calling a Python function", tags naming `function`) — or, when `error`
  // is given, handed there instead of the log, for a caller that reports it
  // itself (init(): once, in its Status).
  PyObject* Call(RequiresGil gil, PyObject* callable, const char* function,
                 PyObject* arg, PythonError* error = nullptr);
  // Sends a record to the log sink with the GIL released meanwhile.
  void LogWithoutGil(RequiresGil gil, const LogRecord& record) const;

  DestinationOptions options;
  std::shared_ptr<const DestinationContext> context;
  std::shared_ptr<const ValuePairs> value_pairs;  // null: send() gets a LogMessage
  std::optional<KeyCache> keys;                   // set with value_pairs
  std::shared_ptr<std::atomic<uint64_t>> seqnum =
      std::make_shared<std::atomic<uint64_t>>(0);
};

class PythonDriver final : public Driver {
 public:
  // Takes a reference to `instance` (the user's object). Check Bind().
  PythonDriver(RequiresGil gil, DestinationShared* shared, PyObject* instance);
  ~PythonDriver() override;  // Release() must have run
  PythonDriver(const PythonDriver&) = delete;
  PythonDriver& operator=(const PythonDriver&) = delete;

  // Looks the methods up once (syslog-ng-behaviour.md §2.2 step 7);
  // FailedPrecondition when the class has no send().
  absl::Status Bind(RequiresGil gil);
  // Drops every Python reference.
  void Release(RequiresGil gil);

  PyObject* instance() const { return instance_; }

  void BeginBatch() override;
  void EndBatch() override;
  void ThreadStarted() override;
  void ThreadEnding() override;
  bool Open() override;
  bool IsOpened() override;
  bool HasIsOpened() const override { return is_opened_ != nullptr; }
  // With value-pairs, `message` must have been prepared by the
  // destination's RecordPreparer (PythonDestination::preparer()).
  DeliveryResult Send(const QueuedMessage& message) override;
  DeliveryResult Flush() override;
  void Close() override;

 private:
  bool IsOpenedLocked(RequiresGil gil);
  bool Truthy(RequiresGil gil, PyObject* value);
  PyObject* MakeArgument(RequiresGil gil, const QueuedMessage& message,
                         const Record* record);
  DeliveryResult MapAndLog(RequiresGil gil, PyObject* result);

  DestinationShared* shared_;
  PyObject* instance_ = nullptr;
  PyObject* send_ = nullptr;
  PyObject* open_ = nullptr;
  PyObject* is_opened_ = nullptr;
  PyObject* flush_ = nullptr;
  PyObject* close_ = nullptr;
  bool warned_open_none_ = false;

  // The current batch (BeginBatch .. EndBatch): its GIL, and the time a
  // LogMessage reports as $P_* ($R_* is the message's own), read once.
  std::optional<GilGuard> batch_gil_;
  std::optional<DestinationScope> batch_scope_;
  Timestamp processed_;
  // The worker thread's Python state (ThreadStarted .. ThreadEnding).
  std::optional<PinnedThreadState> thread_state_;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYTHON_PYTHON_DRIVER_H_
