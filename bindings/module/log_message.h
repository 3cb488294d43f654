// LogMessage (syslog-ng-behaviour.md §7.2): a destination's view of one
// message when the driver has no value-pairs(), and a small writable message
// that Python code may build itself (LogMessage("text")).
//
// Reading: msg["NAME"] / msg[b"NAME"] gives the name-value pair or macro
// (every *STAMP macro works; syslog-ng 3.38 aborts on them). Unset names
// give b"" under @version < 4.0 and raise KeyError from 4.0 on; from 4.0
// (and not in compatibility mode) typed macros come typed (FACILITY_NUM
// int, TAGS list, UNIXTIME datetime). A message handed to send() is read
// only: assignment raises TypeError.
//
// The type is written against the CPython C API (log_message.cc) rather than
// pybind11: send() gets one per message, and pybind11's per-call dispatch
// and per-object holder allocation cost more than the destination's own
// work. Values are looked up in log_message_values.cc.
//
// Thread-safety: LogMessageData is used under the GIL only; the Message it
// holds is immutable and shared.
#ifndef BINDINGS_MODULE_LOG_MESSAGE_H_
#define BINDINGS_MODULE_LOG_MESSAGE_H_

#include <Python.h>

#include <cstdint>
#include <memory>

#include "libpydest/pyrt/destination_context.h"
#include "libpydest/pyrt/gil.h"
#include "pydest/message.h"

namespace pydest::internal {

struct LogMessageData {
  Message message;
  bool read_only = false;
  uint64_t seqnum = 0;   // $SEQNUM; 0 = empty
  Timestamp processed;   // $P_* macros
  std::shared_ptr<const DestinationContext> context;  // never null
};

// The data of `obj` when it is a LogMessage (or an instance of a subclass),
// else nullptr (no Python error set). Valid while `obj` is alive.
const LogMessageData* LogMessageDataOf(RequiresGil gil, PyObject* obj);

}  // namespace pydest::internal

#endif  // BINDINGS_MODULE_LOG_MESSAGE_H_
