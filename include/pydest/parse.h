// Readers that turn log lines into pydest::Message: RFC 3164 (BSD syslog),
// RFC 5424 (with structured data) and JSON lines, with syslog-ng 3.38's rules
// (docs/input-formats.md describes every rule and the JSON field names).
//
// Bad input never fails and is never lost: a line that does not parse becomes
// a message whose MESSAGE is the raw line and whose flags carry
// kMessageParseError; invalid UTF-8 is carried through as bytes (flag
// kMessageInvalidUtf8); a line longer than max_line_size is cut there
// (kMessageTruncated). Trailing "\n" and NUL bytes, then one "\r", are
// stripped.
//
// Thread-safety: the functions keep no state and may be called from any
// number of threads at once. A ParseStats is plain data: use one per thread
// (or guard it) when counting.
#ifndef PYDEST_PARSE_H_
#define PYDEST_PARSE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "pydest/export.h"
#include "pydest/input_format.h"
#include "pydest/message.h"

namespace pydest {

// How lines are read. Each field has its default beside it; the defaults
// are syslog-ng's for a file() source.
struct ParseOptions {
  // Longer lines are cut to this many bytes (syslog-ng's log-msg-size()):
  // 65536, syslog-ng's default. Raise it for sources that write longer
  // records; 0 means no limit (then one line may use any amount of memory).
  size_t max_line_size = 65536;
  // The receive time ($R_*); also the event time of a line without a
  // timestamp, and the reference for guessing the year of an RFC 3164
  // timestamp. Unset (the default): the time ParseLine is called. Set it to
  // when the line really arrived (a batch read at once, a replayed log).
  std::optional<absl::Time> received;
  // The UTC offset (seconds east) of the receiving host: timestamps that
  // carry no zone (RFC 3164, zoneless ISO/JSON stamps) are taken to be in
  // it, and the receive time is shown in it. Unset (the default): the
  // process's local zone (TZ). Set it when the logs were written in another
  // zone than the reader's, or for results that do not depend on TZ.
  std::optional<int32_t> local_utc_offset_seconds;
  // HOST_FROM, and HOST for lines that carry none. "" (the default): this
  // machine's short host name (gethostname() up to the first dot).
  std::string host_from;
  // syslog-ng's keep-hostname(): true (the default here) keeps a HOST the
  // line carries; false sets HOST to host_from on every line, as syslog-ng's
  // file() and stdin() sources do unless told keep-hostname(yes).
  bool keep_hostname = true;
  // Facility * 8 + severity for lines without <PRI>: 13 (user.notice),
  // syslog-ng's default-priority().
  int default_pri = 13;
  // The SOURCE pair and the ".source.<name>" tag; "" (the default): neither.
  std::string source_name;
  // FILE_NAME; "" (the default): not set.
  std::string file_name;
  // JSON lines: put before the names of the fields that are not well-known
  // (syslog-ng's json-parser prefix()); "" (the default): none.
  std::string json_prefix;
};

// Counters a caller can keep over many lines (e.g. the CLI's summary).
struct ParseStats {
  uint64_t parsed = 0;        // lines turned into messages (every line)
  uint64_t parse_errors = 0;  // ... of which flagged kMessageParseError
  uint64_t truncated = 0;     // ... flagged kMessageTruncated
  uint64_t invalid_utf8 = 0;  // ... flagged kMessageInvalidUtf8

  // Counts one produced message by its flags.
  PYDEST_EXPORT void Count(const Message& message);
};

// Parses one line (without its line terminator) in the given format and
// returns the message. Never fails: a line that does not parse is returned
// as a kMessageParseError message holding the raw line (see the top).
PYDEST_EXPORT Message ParseLine(std::string_view line, InputFormat format,
                                const ParseOptions& options);
// The same, and counts the result in *stats (may be null).
PYDEST_EXPORT Message ParseLine(std::string_view line, InputFormat format,
                                const ParseOptions& options,
                                ParseStats* stats);

// The per-format readers; ParseLine calls them.
PYDEST_EXPORT Message ParseRfc3164(std::string_view line,
                                   const ParseOptions& options);
// A line whose version is not "1" (e.g. a BSD line) is read as RFC 3164, as
// syslog-ng's flags(syslog-protocol) does.
PYDEST_EXPORT Message ParseRfc5424(std::string_view line,
                                   const ParseOptions& options);
// One JSON object per line. Well-known fields (see docs/input-formats.md)
// map to the message; everything else becomes name-value pairs, nested
// objects flattened with dots as syslog-ng's json-parser does.
PYDEST_EXPORT Message ParseJsonLine(std::string_view line,
                                    const ParseOptions& options);

// The format ParseLine(kAuto) picks for `line` (never kAuto).
PYDEST_EXPORT InputFormat DetectInputFormat(std::string_view line);

}  // namespace pydest

#endif  // PYDEST_PARSE_H_
