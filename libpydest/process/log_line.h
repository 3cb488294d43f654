// A worker's log record as one line of its stderr, for records that must not
// wait for the protocol channel: a Python thread of the destination's own
// (a client library's sender, say) logs, through `logging` or a Logger()
// made earlier, while no call is running, and the host reads the channel
// only during calls. Its stderr is read all the time (worker_launcher.h),
// so such a thread never blocks on a full socket, and its records arrive at
// once, with their level.
//
// The line is a marker, then the record's protocol encoding in hex; a line
// that does not decode is ordinary output. A destination could print such a
// line itself: it would only log a record of its own, as it can anyway.
//
// Thread-safety: stateless functions.
#ifndef LIBPYDEST_PROCESS_LOG_LINE_H_
#define LIBPYDEST_PROCESS_LOG_LINE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "pydest/log_record.h"

namespace pydest::internal {

// A pipe takes a write of up to PIPE_BUF (4096 on Linux) whole, never mixed
// with what the destination prints to stderr at the same time: a longer
// record goes over the channel.
inline constexpr size_t kMaxLogLineBytes = 4096;

// The line for `record`, ending in '\n'; nullopt when it would be longer
// than kMaxLogLineBytes.
std::optional<std::string> LogLineOf(const LogRecord& record);

// The record a stderr line (without its '\n') carries, or nullopt for any
// other line.
std::optional<LogRecord> LogRecordOfLine(std::string_view line);

}  // namespace pydest::internal

#endif  // LIBPYDEST_PROCESS_LOG_LINE_H_
