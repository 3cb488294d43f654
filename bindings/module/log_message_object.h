// Private to bindings/module: the memory layout of a _syslogng.LogMessage
// object, shared by the type and its slots (log_message.cc) and its methods
// (log_message_methods.cc).
//
// Thread-safety: objects are used under the GIL only.
#ifndef BINDINGS_MODULE_LOG_MESSAGE_OBJECT_H_
#define BINDINGS_MODULE_LOG_MESSAGE_OBJECT_H_

#include <Python.h>

#include "bindings/module/log_message.h"

namespace pydest::internal {

struct PyLogMessage {
  PyObject_HEAD
  PyObject* weakrefs;  // weakref.ref(msg) works, as on any pybind11 object
  LogMessageData data;
};

// The data of a LogMessage (or subclass instance); unchecked.
inline LogMessageData& LogMessageDataUnchecked(PyObject* self) {
  return reinterpret_cast<PyLogMessage*>(self)->data;
}

// syslog-ng's TypeError text for any change to a message send() got.
inline constexpr const char* kLogMessageReadOnly =
    "Log message is read only, cannot set name-value pair";

// The method table of the type (log_message_methods.cc).
extern PyMethodDef kLogMessageMethods[];

}  // namespace pydest::internal

#endif  // BINDINGS_MODULE_LOG_MESSAGE_OBJECT_H_
