#include "libpydest/python/python_driver.h"

#include <algorithm>
#include <utility>

#include "bindings/module/syslogng_module.h"
#include "libpydest/pyrt/host_facts.h"
#include "libpydest/pyrt/process_guard.h"
#include "libpydest/pyrt/py_error.h"
#include "libpydest/python/record_preparer.h"
#include "libpydest/python/result_mapping.h"

namespace pydest::internal {
namespace {

// A bound method of `obj`, or nullptr when it has none (a missing optional
// method is fine, syslog-ng-behaviour.md §2.2 step 7).
PyObject* Method(PyObject* obj, const char* name) {
  PyObject* m = PyObject_GetAttrString(obj, name);
  if (m == nullptr) {
    PyErr_Clear();
    return nullptr;
  }
  if (!PyCallable_Check(m)) {
    Py_DECREF(m);
    return nullptr;
  }
  return m;
}

}  // namespace

DestinationShared::DestinationShared(
    const DestinationOptions& opts, std::shared_ptr<const ValuePairs> vp,
    std::shared_ptr<DestinationCounters> counters)
    : options(opts),
      context(MakeDestinationContext(opts, std::move(counters))),
      value_pairs(std::move(vp)) {
  if (value_pairs) keys.emplace(&value_pairs->keys());
}

PyObject* DestinationShared::Call(RequiresGil gil, PyObject* callable,
                                  const char* function, PyObject* arg,
                                  PythonError* error) {
  PyObject* result;
  {
    DestinationScope scope(context);
    // A child the call fork()ed ends in ~DestinationCall, before any of the
    // host's code below runs.
    DestinationCall call(function);
    result = arg == nullptr ? PyObject_CallNoArgs(callable)
                            : PyObject_CallOneArg(callable, arg);
  }
  if (result == nullptr) {
    PythonError err = FetchPythonError(gil);
    context->counters->Add(context->counters->python_exceptions);
    if (error != nullptr) {
      *error = std::move(err);
    } else {
      LogWithoutGil(gil, ExceptionRecord(context->name, context->class_name,
                                         function, err));
    }
  }
  return result;
}

void DestinationShared::LogWithoutGil(RequiresGil gil,
                                      const LogRecord& record) const {
  GilRelease release(gil);
  context->Log(record);
}

PythonDriver::PythonDriver(RequiresGil, DestinationShared* shared,
                           PyObject* instance)
    : shared_(shared), instance_(instance) {
  Py_INCREF(instance_);
}

PythonDriver::~PythonDriver() = default;

absl::Status PythonDriver::Bind(RequiresGil) {
  send_ = Method(instance_, "send");
  if (send_ == nullptr) {
    return absl::FailedPreconditionError(
        "Error initializing Python destination, class '" +
        shared_->options.class_name + "' does not have a send() method");
  }
  open_ = Method(instance_, "open");
  is_opened_ = Method(instance_, "is_opened");
  flush_ = Method(instance_, "flush");
  close_ = Method(instance_, "close");
  return absl::OkStatus();
}

void PythonDriver::Release(RequiresGil) {
  for (PyObject** p :
       {&send_, &open_, &is_opened_, &flush_, &close_, &instance_}) {
    Py_XDECREF(*p);
    *p = nullptr;
  }
}

bool PythonDriver::Truthy(RequiresGil, PyObject* value) {
  int t = PyObject_IsTrue(value);
  if (t < 0) {
    PyErr_Clear();
    return false;
  }
  return t == 1;
}

void PythonDriver::BeginBatch() {
  if (!shared_->value_pairs) processed_ = NowLocal();
  batch_gil_.emplace();
  batch_scope_.emplace(shared_->context);
}

void PythonDriver::EndBatch() {
  batch_scope_.reset();
  batch_gil_.reset();
}

void PythonDriver::ThreadStarted() { thread_state_.emplace(); }

void PythonDriver::ThreadEnding() {
  batch_scope_.reset();
  batch_gil_.reset();
  thread_state_.reset();
}

PyObject* PythonDriver::MakeArgument(RequiresGil gil,
                                     const QueuedMessage& message,
                                     const Record* record) {
  if (record == nullptr) {
    return NewLogMessage(gil, message.message, message.seqnum, processed_,
                         shared_->context);
  }
  DictOptions options;
  options.strings_as_str = shared_->options.strings_as_str;
  return RecordToDict(gil, *record, &*shared_->keys, options);
}

DeliveryResult PythonDriver::MapAndLog(RequiresGil gil, PyObject* result) {
  if (result == nullptr) return DeliveryResult::kError;
  MappedResult mapped = MapResult(gil, result, shared_->options.version);
  Py_DECREF(result);
  if (mapped.log) shared_->LogWithoutGil(gil, *mapped.log);
  return mapped.result;
}

DeliveryResult PythonDriver::Send(const QueuedMessage& message) {
  const Record* record = nullptr;
  if (shared_->value_pairs) {
    if (message.prepared == nullptr) {
      // Delivery runs the destination's RecordPreparer on every message
      // before a worker sees it; reaching here is a host bug, not the
      // destination's.
      LogRecord r;
      r.level = LogRecord::Level::kError;
      r.text = "Message reached send() without its value-pairs evaluated";
      r.tags = {{"driver", shared_->options.name}};
      shared_->context->Log(r);
      return DeliveryResult::kError;
    }
    record = &static_cast<const PreparedRecord&>(*message.prepared).record;
  }
  // Inside a batch the GIL is already held (BeginBatch took it once); a
  // nested PyGILState_Ensure per message would only cost thread-state
  // look-ups.
  std::optional<GilGuard> own_gil;
  if (!batch_gil_) {
    own_gil.emplace();
    if (!shared_->value_pairs) processed_ = NowLocal();
  }
  const RequiresGil held = batch_gil_ ? batch_gil_->held() : own_gil->held();
  shared_->seqnum->store(message.seqnum, std::memory_order_relaxed);
  PyObject* arg = MakeArgument(held, message, record);
  if (arg == nullptr) {
    PythonError err = FetchPythonError(held);
    shared_->context->counters->Add(
        shared_->context->counters->python_exceptions);
    shared_->LogWithoutGil(held,
                           ExceptionRecord(shared_->context->name,
                                           shared_->context->class_name,
                                           "send", err));
    return DeliveryResult::kError;
  }
  PyObject* result = shared_->Call(held, send_, "send", arg);
  Py_DECREF(arg);
  return MapAndLog(held, result);
}

bool PythonDriver::IsOpenedLocked(RequiresGil gil) {
  if (is_opened_ == nullptr) return true;
  PyObject* r = shared_->Call(gil, is_opened_, "is_opened", nullptr);
  if (r == nullptr) return false;
  bool ok = Truthy(gil, r);
  Py_DECREF(r);
  return ok;
}

bool PythonDriver::IsOpened() {
  GilGuard gil;
  return IsOpenedLocked(gil.held());
}

bool PythonDriver::Open() {
  GilGuard gil;
  if (open_ != nullptr) {
    PyObject* r = shared_->Call(gil.held(), open_, "open", nullptr);
    if (r == nullptr) return false;
    bool ok = true;
    if (r == Py_None) {
      // open() returning None counts as success, with a one-time warning
      // (its result counts since syslog-ng 3.25, syslog-ng-behaviour.md §2.3).
      if (!warned_open_none_) {
        warned_open_none_ = true;
        LogRecord w;
        w.level = LogRecord::Level::kWarning;
        w.text =
            "Since syslog-ng 3.25, the return value of open method in python "
            "destination is used as success/failure indicator. Please use "
            "return True or return False explicitly";
        w.tags = {{"class", shared_->options.class_name}};
        shared_->LogWithoutGil(gil.held(), w);
      }
    } else {
      ok = Truthy(gil.held(), r);
    }
    Py_DECREF(r);
    if (!ok) return false;
  }
  return IsOpenedLocked(gil.held());
}

DeliveryResult PythonDriver::Flush() {
  if (flush_ == nullptr) return DeliveryResult::kSuccess;
  GilGuard gil;
  PyObject* r = shared_->Call(gil.held(), flush_, "flush", nullptr);
  return MapAndLog(gil.held(), r);
}

void PythonDriver::Close() {
  if (close_ == nullptr) return;
  GilGuard gil;
  PyObject* r = shared_->Call(gil.held(), close_, "close", nullptr);
  Py_XDECREF(r);  // close()'s result is ignored (syslog-ng-behaviour.md §2.4)
}

}  // namespace pydest::internal
