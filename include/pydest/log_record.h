// LogRecord: one record of libpydest's own logging — what syslog-ng logs
// internally about a destination (an exception in send(), a reconnect, a
// worker abandoned at shutdown) and what the class logs through
// syslogng.Logger. Hosts receive them through DestinationOptions::log_sink.
//
// Thread-safety: a plain value.
#ifndef PYDEST_LOG_RECORD_H_
#define PYDEST_LOG_RECORD_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pydest {

struct LogRecord {
  enum class Level : uint8_t { kTrace, kDebug, kInfo, kWarning, kError };
  Level level = Level::kInfo;
  std::string text;  // e.g. "Exception while calling a Python function"
  // syslog-ng style tags, e.g. {"function", "send"}, {"exception", "..."}.
  std::vector<std::pair<std::string, std::string>> tags;
  std::string traceback;  // a Python traceback, when there is one
};

}  // namespace pydest

#endif  // PYDEST_LOG_RECORD_H_
