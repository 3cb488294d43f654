#include "libpydest/host/default_log_sink.h"

#include <cstdio>
#include <string>

#include "libpydest/pyrt/log_hook.h"
#include "libpydest/pyrt/log_record_format.h"

namespace pydest::internal {

const char* LogLevelName(LogRecord::Level level) {
  switch (level) {
    case LogRecord::Level::kTrace:
      return "trace";
    case LogRecord::Level::kDebug:
      return "debug";
    case LogRecord::Level::kInfo:
      return "info";
    case LogRecord::Level::kWarning:
      return "warning";
    case LogRecord::Level::kError:
      return "error";
  }
  return "info";
}

std::function<void(const LogRecord&)> DefaultLogSink() {
  return [](const LogRecord& record) {
    // A process-wide hook takes every level; the host filters.
    if (CallLogHook(record)) return;
    // Debug and trace records (e.g. "Error establishing connection to
    // server" on every failed open) are what syslog-ng hides without -d.
    if (record.level == LogRecord::Level::kDebug ||
        record.level == LogRecord::Level::kTrace) {
      return;
    }
    std::string line = "pydest: ";
    line += LogLevelName(record.level);
    line += ": ";
    line += FormatLogRecord(record);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
  };
}

}  // namespace pydest::internal
