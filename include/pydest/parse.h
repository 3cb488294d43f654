// Readers that turn log lines into pydest::Message: RFC 3164 (BSD syslog),
// RFC 5424 (with structured data) and JSON lines, with syslog-ng's rules.
//
// Bad input never fails and is never lost: a line that does not parse becomes
// a message whose MESSAGE is the raw line and whose flags carry
// kMessageParseError; invalid UTF-8 is carried through as bytes (flag
// kMessageInvalidUtf8); a line longer than max_line_size is cut there
// (kMessageTruncated). Thread-safe: the functions keep no state.
#ifndef PYDEST_PARSE_H_
#define PYDEST_PARSE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "pydest/message.h"

namespace pydest {

enum class InputFormat {
  kAuto,     // per line: '{' -> JSON, "<PRI>1 " -> RFC 5424, else RFC 3164
  kRfc3164,
  kRfc5424,
  kJson,
};

struct ParseOptions {
  // Longer lines are truncated to this many bytes (syslog-ng's
  // log-msg-size(), default 65536).
  size_t max_line_size = 65536;
  // Receive time ($R_*); also the event time of a line without a timestamp,
  // and the reference for guessing the year of an RFC 3164 timestamp.
  // InfinitePast means "now".
  absl::Time received = absl::InfinitePast();
  // UTC offset (seconds east) of the receiving host: RFC 3164 timestamps,
  // which carry no zone, are taken to be in it. Unset: the local zone's.
  bool has_local_utc_offset = false;
  int32_t local_utc_offset_seconds = 0;
  // HOST_FROM, and HOST for lines without a header. "" = this machine's name.
  std::string host_from;
  // syslog-ng's keep-hostname(yes): HOST is taken from the line.
  // (No-header lines get host_from either way.)
  // Default facility.severity for lines without <PRI> (user.notice).
  int default_pri = 13;
  // The SOURCE pair ("" = not set) and FILE_NAME ("" = not set).
  std::string source_name;
  std::string file_name;
};

// Parses one line (without its line terminator) in the given format.
Message ParseLine(std::string_view line, InputFormat format,
                  const ParseOptions& options);

Message ParseRfc3164(std::string_view line, const ParseOptions& options);
Message ParseRfc5424(std::string_view line, const ParseOptions& options);
// One JSON object per line. Well-known fields (see docs/input-formats.md)
// map to the message; everything else becomes name-value pairs, nested
// objects flattened with dots as syslog-ng's json-parser does.
Message ParseJsonLine(std::string_view line, const ParseOptions& options);

// "auto", "rfc3164", "rfc5424", "json" -> format; false if unknown.
bool ParseInputFormatName(std::string_view name, InputFormat* format);

}  // namespace pydest

#endif  // PYDEST_PARSE_H_
