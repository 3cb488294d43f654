// Finding the destination class (syslog-ng-behaviour.md §2.2 step 3, §9.2):
// the configuration's python {} code as module _syslogng_main, and class()
// resolved by splitting at the last dot.
//
// Thread-safety: needs the GIL.
#ifndef LIBPYDEST_PYTHON_CLASS_LOADER_H_
#define LIBPYDEST_PYTHON_CLASS_LOADER_H_

#include <Python.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libpydest/pyrt/gil.h"
#include "pydest/destination_options.h"

namespace pydest::internal {

// Runs options.global_code as a fresh _syslogng_main (reused when the same
// code is already loaded, so one configuration's destinations share it).
// InvalidArgument "Error compiling Python global code block" / "Error
// evaluating global Python block" with the traceback.
absl::Status LoadGlobalCode(RequiresGil gil, const DestinationOptions& o);

// A new reference to the class named `class_name`; NotFound naming the
// module that does not import (with sys.path and the traceback) or the
// attribute that is missing.
absl::StatusOr<PyObject*> ResolveClass(RequiresGil gil,
                                       const std::string& class_name);

// repr(obj) as UTF-8 ("?" when it fails).
std::string Repr(RequiresGil gil, PyObject* obj);

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYTHON_CLASS_LOADER_H_
