// Turning a pending Python exception into data: the exception's type name,
// its text and the formatted traceback (via the `traceback` module, never
// PyErr_Print, so SystemExit and KeyboardInterrupt raised by a destination
// are just errors of that call and cannot end the process — DESIGN.md
// rule 6). Also builds syslog-ng's "Exception while calling a Python
// function" log record (syslog-ng-behaviour.md §8).
//
// Thread-safety: every function needs the GIL (RequiresGil).
#ifndef LIBPYDEST_PYRT_PY_ERROR_H_
#define LIBPYDEST_PYRT_PY_ERROR_H_

#include <Python.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "libpydest/pyrt/gil.h"
#include "pydest/log_record.h"

namespace pydest::internal {

struct PythonError {
  std::string type_name;  // e.g. "RuntimeError"
  std::string text;       // str(exception)
  std::string traceback;  // "Traceback (most recent call last): ..."
  bool is_import_error = false;

  // "<Type>: <text>", as syslog-ng's `exception` tag (truncated to 255).
  std::string Summary() const;
};

// Takes (and clears) the pending exception. When none is pending, returns
// a PythonError with type_name "SystemError" saying so.
PythonError FetchPythonError(RequiresGil gil);

// The "Exception while calling a Python function" record with syslog-ng's
// tags caller, class, function and exception, plus the traceback.
LogRecord ExceptionRecord(std::string_view caller, std::string_view class_name,
                          std::string_view function, const PythonError& err);

// "import of module 'x' failed: ModuleNotFoundError: ...\n<traceback>".
absl::Status ErrorStatus(absl::StatusCode code, std::string_view what,
                         const PythonError& err);

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYRT_PY_ERROR_H_
