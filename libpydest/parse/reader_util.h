// What the readers (RFC 3164, RFC 5424, JSON lines) share: preparing a line
// (terminator, size limit, UTF-8 check), the receive-side fields every message
// gets, the fallback message for a line that does not parse, and timestamp
// helpers (ISO 8601, UTC offsets of the receiving host).
//
// Thread-safe: no mutable state (the host name and local zone are looked up
// once, behind function-local statics).
#ifndef LIBPYDEST_PARSE_READER_UTIL_H_
#define LIBPYDEST_PARSE_READER_UTIL_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/time/civil_time.h"
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

// The UTC offset (seconds east) of the receiving host at `t`
// (options.local_utc_offset_seconds, else the local zone's).
int32_t LocalOffsetAt(const ParseOptions& options, absl::Time t);

// A zoneless civil time read in the receiving host's zone.
absl::Time LocalCivilToTime(const ParseOptions& options,
                            absl::CivilSecond civil, int32_t* offset_seconds);

// HOST_FROM: options.host_from or this machine's short name.
std::string_view HostFrom(const ParseOptions& options);

// Starts a message with what every reader sets: receive time, HOST_FROM,
// SOURCE, FILE_NAME, default facility/severity, the line's flags.
MessageBuilder StartMessage(const PreparedLine& line,
                            const ParseOptions& options);

// Sets the event time to the receive time (a line without a timestamp).
void StampWithReceiveTime(const PreparedLine& line,
                          const ParseOptions& options, MessageBuilder* b);

// The message for a line that does not parse: MESSAGE = the line, HOST =
// HOST_FROM, stamp = receive time, default priority, kMessageParseError.
Message ParseErrorMessage(const PreparedLine& line,
                          const ParseOptions& options);

// Reads an ISO 8601 / RFC 3339 timestamp at the start of `*in`:
// YYYY-MM-DD('T'|' ')hh:mm:ss[.fraction][Z|+hh:mm|-hh:mm|+hhmm]. The fraction
// is kept to microseconds; without a zone the time is local. On success
// advances *in past it.
std::optional<Timestamp> ConsumeIsoTimestamp(std::string_view* in,
                                             const ParseOptions& options);

// Reads 1..max_digits decimal digits at the start of `*in`.
bool ConsumeNumber(std::string_view* in, int max_digits, int* value);

// Reads ".digits" (any count) at the start of `*in` into microseconds
// (extra digits dropped, missing ones zero). Returns false when there is no
// fraction; *in is then unchanged.
bool ConsumeFraction(std::string_view* in, int32_t* microseconds);

}  // namespace pydest::parse_internal

#endif  // LIBPYDEST_PARSE_READER_UTIL_H_
