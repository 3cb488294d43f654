// The dict init(options) receives (syslog-ng-behaviour.md §1.2, §2.2 step 10):
// keys as configured ('-' already turned into '_'); values all str under
// @version < 4.2, typed from 4.2 on (int, float, bool, list of str,
// LogTemplate).
//
// Thread-safety: needs the GIL.
#ifndef LIBPYDEST_PYTHON_OPTIONS_DICT_H_
#define LIBPYDEST_PYTHON_OPTIONS_DICT_H_

#include <Python.h>

#include "libpydest/pyrt/gil.h"
#include "pydest/destination_options.h"

namespace pydest::internal {

// A new dict; nullptr with a Python error set (e.g. a LogTemplate value
// that does not compile).
PyObject* NewOptionsDict(RequiresGil gil, const DestinationOptions& options);

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYTHON_OPTIONS_DICT_H_
