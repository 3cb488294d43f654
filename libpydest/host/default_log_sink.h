// The host's default log sink: one line per LogRecord on stderr, in
// syslog-ng's internal-message layout ("text; tag='value', ..." and the
// traceback below), with the level in front — unless the process has a log
// hook (pydest/log_hook.h), which then gets every record. Used when
// DestinationOptions::log_sink is empty.
//
// Thread-safety: the returned function may be called from any thread; each
// record is written with one fwrite, so lines from threads do not mix.
#ifndef LIBPYDEST_HOST_DEFAULT_LOG_SINK_H_
#define LIBPYDEST_HOST_DEFAULT_LOG_SINK_H_

#include <functional>

#include "pydest/log_record.h"

namespace pydest::internal {

std::function<void(const LogRecord&)> DefaultLogSink();
const char* LogLevelName(LogRecord::Level level);

}  // namespace pydest::internal

#endif  // LIBPYDEST_HOST_DEFAULT_LOG_SINK_H_
