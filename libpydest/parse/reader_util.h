// What the readers (RFC 3164, RFC 5424, JSON lines) share: preparing a line
// (terminator, size limit, UTF-8 check), the receive-side fields every message
// gets, the fallback message for a line that does not parse, and <PRI>.
//
// Thread-safe: no mutable state (the host name is looked up once).
#ifndef LIBPYDEST_PARSE_READER_UTIL_H_
#define LIBPYDEST_PARSE_READER_UTIL_H_

#include <cstdint>
#include <string_view>

#include "absl/time/time.h"
#include "pydest/message.h"
#include "pydest/parse.h"

namespace pydest::parse_internal {

// A line ready for a reader.
struct PreparedLine {
  std::string_view text;  // terminator stripped, cut at max_line_size
  uint32_t flags = 0;     // kMessageTruncated, kMessageInvalidUtf8
  absl::Time received;    // options.received, or now
};

PreparedLine PrepareLine(std::string_view line, const ParseOptions& options);

bool IsValidUtf8(std::string_view s);

// HOST_FROM: options.host_from or this machine's short name.
std::string_view HostFrom(const ParseOptions& options);

// Starts a message with what every reader sets: receive time, HOST_FROM,
// SOURCE, FILE_NAME, default facility/severity, the line's flags.
MessageBuilder StartMessage(const PreparedLine& line,
                            const ParseOptions& options);

// Sets the event time to the receive time (a line without a timestamp).
void StampWithReceiveTime(const PreparedLine& line,
                          const ParseOptions& options, MessageBuilder* b);

// The whole line as MESSAGE: HOST = HOST_FROM, stamp = receive time,
// default priority, and `flags` (flags(no-parse) and parse errors).
Message WholeLineMessage(const PreparedLine& line, const ParseOptions& options,
                         uint32_t flags);

// The message for a line that does not parse: WholeLineMessage with
// kMessageParseError.
Message ParseErrorMessage(const PreparedLine& line,
                          const ParseOptions& options);

// The HOST of a line that names `host_in_line`: that name, or HOST_FROM
// under keep-hostname(no).
std::string_view LineHost(std::string_view host_in_line,
                          const ParseOptions& options);

enum class PriResult { kNone, kValid, kMalformed };

// "<PRI>" at the start of *in: 1 to 3 digits, at most 191, then '>'. kValid
// advances *in past it and sets *pri; kNone (no '<') and kMalformed leave
// *in alone.
PriResult ConsumePri(std::string_view* in, int* pri);

}  // namespace pydest::parse_internal

#endif  // LIBPYDEST_PARSE_READER_UTIL_H_
