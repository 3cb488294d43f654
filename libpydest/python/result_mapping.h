// A send()/flush() result as a DeliveryResult (syslog-ng-behaviour.md §3.1):
// bool before int (True = SUCCESS, False = ERROR), ints 0..6 (IntEnum
// members included) as themselves, anything else — out-of-range ints,
// None, float, str — ERROR with the log record syslog-ng writes.
//
// Thread-safety: needs the GIL.
#ifndef LIBPYDEST_PYTHON_RESULT_MAPPING_H_
#define LIBPYDEST_PYTHON_RESULT_MAPPING_H_

#include <Python.h>

#include <optional>

#include "libpydest/delivery/driver.h"
#include "libpydest/pyrt/gil.h"
#include "pydest/config_version.h"
#include "pydest/log_record.h"

namespace pydest::internal {

struct MappedResult {
  DeliveryResult result = DeliveryResult::kError;
  std::optional<LogRecord> log;  // set when the value was not a valid result
};

// `value` is a borrowed reference (not null). `version` picks syslog-ng's
// 3.38 or 4.x wording of the error.
MappedResult MapResult(RequiresGil gil, PyObject* value,
                       const ConfigVersion& version);

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYTHON_RESULT_MAPPING_H_
