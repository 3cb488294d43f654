// One LogRecord as text, in syslog-ng's internal-message layout: what a
// destination's log record looks like on stderr, whether the destination
// context writes it (no log sink set) or the host's default sink does (with
// the level in front). Kept apart from both so that each formats the same
// way without including the other.
//
// Thread-safety: a pure function.
#ifndef LIBPYDEST_PYRT_LOG_RECORD_FORMAT_H_
#define LIBPYDEST_PYRT_LOG_RECORD_FORMAT_H_

#include <string>

#include "pydest/log_record.h"

namespace pydest::internal {

// "text; tag='value', tag='value'" plus the traceback on the next lines
// (no trailing newline).
std::string FormatLogRecord(const LogRecord& record);

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYRT_LOG_RECORD_FORMAT_H_
