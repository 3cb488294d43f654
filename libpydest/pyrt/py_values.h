// Small constructors of Python values from C++ data, shared by the dict
// conversion and the syslogng module: bytes, str (UTF-8 with
// surrogateescape, so invalid bytes survive), naive datetimes, lists of
// bytes. Each returns a new reference, or nullptr with a Python exception
// set.
//
// Thread-safety: every function needs the GIL.
#ifndef LIBPYDEST_PYRT_PY_VALUES_H_
#define LIBPYDEST_PYRT_PY_VALUES_H_

#include <Python.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libpydest/pyrt/gil.h"

namespace pydest::internal {

PyObject* NewBytes(RequiresGil gil, std::string_view value);
PyObject* NewStrSurrogateEscape(RequiresGil gil, std::string_view value);

// A naive datetime in the process's local time (syslog-ng's datetime()
// type hint and the *UNIXTIME macros, syslog-ng-behaviour.md §4.2), fold set
// from the DST flag.
PyObject* NewLocalDateTime(RequiresGil gil, int64_t unix_micros);

// A naive datetime of the wall-clock time at `utc_offset_seconds`
// (LogMessage.get_timestamp(): the message's own offset).
PyObject* NewDateTimeAtOffset(RequiresGil gil, int64_t unix_seconds,
                              int32_t microseconds,
                              int32_t utc_offset_seconds);

// syslog-ng's comma-separated list syntax ("a,b,\"c,d\"") split into items.
std::vector<std::string> SplitSyslogList(std::string_view text);

// A str or bytes name as UTF-8 bytes; false (TypeError set) otherwise.
bool NameFromObject(RequiresGil gil, PyObject* obj, std::string* out);

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYRT_PY_VALUES_H_
