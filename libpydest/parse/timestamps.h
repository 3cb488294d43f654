// Reading syslog timestamps, as syslog-ng 3.38 accepts them:
// - ISO 8601 / RFC 3339: YYYY-MM-DDThh:mm:ss[.fraction][Z|+hh:mm|-hh:mm]
//   (also +hhmm; JSON lines may use a space for the 'T'). The fraction is kept
//   to microseconds (extra digits cut); without a zone the time is local.
// - BSD (RFC 3164): "Mmm dd hh:mm:ss[.fraction]" with the year guessed from
//   the receive time, "Mmm dd yyyy hh:mm:ss" (Cisco PIX/ASA) and
//   "Mmm dd hh:mm:ss yyyy" (Linksys). Always local time.
// "Local" is the receiving host's zone: ParseOptions::local_utc_offset_seconds
// when set, else the process's local zone.
//
// Converting is arithmetic (days from the civil date, no zone library) except
// for the zone's offset, which LocalTimeCache remembers per local hour.
//
// Thread-safe: the functions keep one LocalTimeCache per thread for the
// process's local zone (looked up once); a LocalTimeCache itself is not.
#ifndef LIBPYDEST_PARSE_TIMESTAMPS_H_
#define LIBPYDEST_PARSE_TIMESTAMPS_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/time/time.h"
#include "pydest/message.h"
#include "pydest/parse.h"

namespace pydest::parse_internal {

// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (month
// 1-12, day 1-31, year 0-9999 as syslog stamps carry; no range checks).
int64_t DaysFromCivil(int year, int month, int day);

// The length of a month (1-12) in `year`, leap years counted.
int DaysInMonth(int year, int month);

// One zone's civil time <-> UTC conversions, remembered for the last local
// hour and the last UTC hour: a busy log has a new second every line but the
// same hour for thousands of lines, and asking the zone costs more than
// parsing a line. An hour holding a DST change (or any offset change) is not
// remembered; those lines ask the zone as before. Answers are the zone's own.
// Not thread-safe: one per thread (or per test).
class LocalTimeCache {
 public:
  explicit LocalTimeCache(absl::TimeZone zone) : zone_(zone) {}

  // The instant of a valid local civil time (second 0-59) as Unix seconds,
  // and the zone's offset at that instant. A time in a DST gap or overlap
  // gets absl's "pre" reading (the pre-transition offset).
  void CivilToUnix(int year, int month, int day, int hour, int minute,
                   int second, int64_t* unix_seconds, int32_t* offset);

  // The zone's UTC offset (seconds east) at a Unix second.
  int32_t OffsetAt(int64_t unix_seconds);

 private:
  bool LoadLocalHour(int year, int month, int day, int hour);
  void LoadUtcHour(int64_t unix_seconds);

  absl::TimeZone zone_;
  // The last local hour with one offset throughout: key packs y/m/d/h.
  int64_t hour_key_ = -1;
  int64_t hour_start_ = 0;  // Unix seconds of hh:00:00
  int32_t hour_offset_ = 0;
  // The last second read in an hour that is not remembered.
  int64_t second_key_ = -1;
  int64_t second_unix_ = 0;
  int32_t second_offset_ = 0;
  // Unix seconds [utc_begin_, utc_end_) have offset utc_offset_.
  int64_t utc_begin_ = 0;
  int64_t utc_end_ = 0;
  int32_t utc_offset_ = 0;
};

// This thread's cache for the process's local zone.
LocalTimeCache& ThreadLocalTime();

// The UTC offset (seconds east) of the receiving host at `t`. `local`
// (default: ThreadLocalTime()) stands for the process's local zone; tests
// pass another zone's.
int32_t LocalOffsetAt(const ParseOptions& options, absl::Time t,
                      LocalTimeCache* local = nullptr);

enum class IsoSeparator { kTOnly, kTOrSpace };

// An ISO 8601 timestamp at the start of *in; on success advances *in past
// it. kTOnly is the syslog rule (syslog-ng requires the 'T').
std::optional<Timestamp> ConsumeIsoTimestamp(
    std::string_view* in, const ParseOptions& options,
    IsoSeparator separator = IsoSeparator::kTOnly,
    LocalTimeCache* local = nullptr);

// A BSD timestamp (any of the three layouts) at the start of *in; on success
// advances *in past it. `received` is the reference for the year guess.
std::optional<Timestamp> ConsumeBsdTimestamp(std::string_view* in,
                                             absl::Time received,
                                             const ParseOptions& options,
                                             LocalTimeCache* local = nullptr);

// The year syslog would give a month (1-12) without one. syslog-ng 3.38
// takes the receive year and corrects only across New Year; we also move a
// stamp that would lie more than a month in the future to last year
// (docs/compatibility.md).
int GuessYear(int month, absl::Time received, const ParseOptions& options,
              LocalTimeCache* local = nullptr);

}  // namespace pydest::parse_internal

#endif  // LIBPYDEST_PARSE_TIMESTAMPS_H_
