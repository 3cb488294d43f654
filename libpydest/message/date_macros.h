// The date and time macros of syslog-ng ($DATE, $ISODATE, $STAMP, $YEAR,
// $WEEK, $ISOWEEK, $TZOFFSET, $UNIXTIME, ... and their R_/S_/C_/P_ forms):
// one timestamp turned into syslog-ng 3.38's text, honouring the template
// options frac-digits(), ts-format() and local-time-zone().
//
// AppendDateMacro writes into the caller's buffer and allocates nothing
// itself (a thread-local cache keeps the last IANA zone it loaded, and the
// thread's DateTexts the rendered fields of the last timestamps).
// Thread-safe.
#ifndef LIBPYDEST_MESSAGE_DATE_MACROS_H_
#define LIBPYDEST_MESSAGE_DATE_MACROS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "libpydest/message/wall_clock.h"
#include "pydest/template_options.h"
#include "pydest/timestamp.h"

namespace pydest::internal {

// One member of the date family; each exists unprefixed and with the
// R_ (received), S_ (stamp), C_ (current) and P_ (processed) prefixes.
enum class DateField : uint8_t {
  kDate,           // "Oct 11 22:14:15" (day space-padded) + fraction
  kFullDate,       // "2026 Oct 11 22:14:15" + fraction
  kIsoDate,        // "2026-10-11T22:14:15+00:00", fraction before the zone
  kStamp,          // in the ts-format() of the template options
  kYear,           // "2026"
  kYearDay,        // "284" (001 ... 366)
  kMonth,          // "10"
  kMonthWeek,      // week of the month, Sunday-started, unpadded
  kMonthAbbrev,    // "Oct"
  kMonthName,      // "October"
  kDay,            // "11"
  kHour,           // "22"
  kHour12,         // "10" (12 for midnight and noon)
  kMin,            // "14"
  kSec,            // "15"
  kUsec,           // "000123"
  kMsec,           // "000"
  kAmPm,           // "AM" / "PM"
  kWeekDayAbbrev,  // "Sun" ($WEEKDAY and $WEEK_DAY_ABBREV)
  kWeekDay,        // 1 = Sunday ... 7 = Saturday
  kWeekDayName,    // "Sunday"
  kWeek,           // Monday-started week of the year, 00 ... 53 (strftime %W)
  kIsoWeek,        // ISO 8601 week number, 01 ... 53
  kTzOffset,       // "+02:00" ($TZOFFSET and $TZ)
  kUnixTime,       // "1791756855" + fraction
};

// The UTC offset `t` is shown in: local-time-zone() when set (a fixed
// "+HH:MM" offset, or an IANA zone evaluated at t), otherwise the offset the
// timestamp carries. An IANA name that cannot be loaded falls back to the
// timestamp's own offset; check names up front with CheckLocalTimeZone.
int32_t DisplayOffset(const Timestamp& t, const TemplateOptions& options);

// Appends the value of `field` for `t` to `out`.
void AppendDateMacro(DateField field, const Timestamp& t,
                     const TemplateOptions& options, std::string* out);

// OK when `name` is usable as local-time-zone(): "", "+HH:MM", "-HH:MM",
// "+HHMM", or a zone that absl::LoadTimeZone finds (IANA names need the
// system's zoneinfo). Otherwise InvalidArgument naming the zone.
absl::Status CheckLocalTimeZone(std::string_view name);

}  // namespace pydest::internal

#endif  // LIBPYDEST_MESSAGE_DATE_MACROS_H_
