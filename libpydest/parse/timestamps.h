// Reading syslog timestamps, as syslog-ng 3.38 accepts them:
// - ISO 8601 / RFC 3339: YYYY-MM-DDThh:mm:ss[.fraction][Z|+hh:mm|-hh:mm]
//   (also +hhmm; JSON lines may use a space for the 'T'). The fraction is kept
//   to microseconds (extra digits cut); without a zone the time is local.
// - BSD (RFC 3164): "Mmm dd hh:mm:ss[.fraction]" with the year guessed from
//   the receive time, "Mmm dd yyyy hh:mm:ss" (Cisco PIX/ASA) and
//   "Mmm dd hh:mm:ss yyyy" (Linksys). Always local time.
// "Local" is the receiving host's zone: ParseOptions::local_utc_offset_seconds
// when has_local_utc_offset, else the process's local zone.
//
// Thread-safe: pure functions (the local zone is looked up once).
#ifndef LIBPYDEST_PARSE_TIMESTAMPS_H_
#define LIBPYDEST_PARSE_TIMESTAMPS_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/time/time.h"
#include "pydest/message.h"
#include "pydest/parse.h"

namespace pydest::parse_internal {

// The UTC offset (seconds east) of the receiving host at `t`.
int32_t LocalOffsetAt(const ParseOptions& options, absl::Time t);

enum class IsoSeparator { kTOnly, kTOrSpace };

// An ISO 8601 timestamp at the start of *in; on success advances *in past
// it. kTOnly is the syslog rule (syslog-ng requires the 'T').
std::optional<Timestamp> ConsumeIsoTimestamp(
    std::string_view* in, const ParseOptions& options,
    IsoSeparator separator = IsoSeparator::kTOnly);

// A BSD timestamp (any of the three layouts) at the start of *in; on success
// advances *in past it. `received` is the reference for the year guess.
std::optional<Timestamp> ConsumeBsdTimestamp(std::string_view* in,
                                             absl::Time received,
                                             const ParseOptions& options);

// The year syslog would give a month (1-12) without one. syslog-ng 3.38
// takes the receive year and corrects only across New Year; we also move a
// stamp that would lie more than a month in the future to last year
// (docs/compatibility.md).
int GuessYear(int month, absl::Time received, const ParseOptions& options);

}  // namespace pydest::parse_internal

#endif  // LIBPYDEST_PARSE_TIMESTAMPS_H_
