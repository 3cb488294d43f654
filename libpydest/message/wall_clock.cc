// Calendar arithmetic for the date macros: seconds since the epoch to a
// civil date and time, week numbers. Done by hand rather than with
// absl::FormatTime/CivilSecond so that nothing allocates and the common
// case (the same second again) is a copy from a per-thread cache.
#include "libpydest/message/wall_clock.h"

#include <array>

namespace pydest::internal {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

bool IsLeap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Day of the week (0 = Sunday ... 6) of 31 December of year y. An ISO year
// has 53 weeks when it ends on a Thursday, or starts on one (the previous
// year ends on a Wednesday) — then a leap year ends on a Friday.
int64_t DecemberLastWeekday(int64_t y) {
  return ((y + FloorDiv(y, 4) - FloorDiv(y, 100) + FloorDiv(y, 400)) % 7 + 7) %
         7;
}

int IsoWeeksInYear(int64_t y) {
  return (DecemberLastWeekday(y) == 4 || DecemberLastWeekday(y - 1) == 3) ? 53
                                                                          : 52;
}

WallClock BreakDown(int64_t unix_seconds, int32_t utc_offset_seconds);

}  // namespace

WallClock ToWallClock(const Timestamp& t, int32_t utc_offset_seconds) {
  // The date macros of one message break the same second down again and
  // again (27 macros per timestamp in the all-macros scope): keep the last.
  struct Cache {
    bool valid = false;
    int64_t unix_seconds = 0;
    int32_t offset = 0;
    WallClock wc;
  };
  thread_local Cache cache;
  if (cache.valid && cache.unix_seconds == t.unix_seconds &&
      cache.offset == utc_offset_seconds) {
    WallClock wc = cache.wc;
    wc.usec = t.microseconds;
    return wc;
  }
  WallClock wc = BreakDown(t.unix_seconds, utc_offset_seconds);
  cache.valid = true;
  cache.unix_seconds = t.unix_seconds;
  cache.offset = utc_offset_seconds;
  cache.wc = wc;
  wc.usec = t.microseconds;
  return wc;
}

namespace {

WallClock BreakDown(int64_t unix_seconds, int32_t utc_offset_seconds) {
  WallClock wc;
  wc.utc_offset_seconds = utc_offset_seconds;
  int64_t local = unix_seconds + utc_offset_seconds;
  int64_t days = FloorDiv(local, 86400);
  int64_t secs = local - days * 86400;
  wc.hour = static_cast<int>(secs / 3600);
  wc.minute = static_cast<int>((secs % 3600) / 60);
  wc.second = static_cast<int>(secs % 60);
  wc.wday = static_cast<int>(((days + 4) % 7 + 7) % 7);  // 1970-01-01: Thu

  // Civil date from a day count, with March-based years so that the leap
  // day falls at the end of the year (400-year eras of 146097 days).
  int64_t z = days + 719468;
  int64_t era = FloorDiv(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  wc.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  wc.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  wc.year = yoe + era * 400 + (wc.month <= 2 ? 1 : 0);

  static constexpr std::array<int, 12> kDaysBefore = {
      0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  wc.yday = kDaysBefore[wc.month - 1] + wc.day - 1 +
            (wc.month > 2 && IsLeap(wc.year) ? 1 : 0);
  return wc;
}

}  // namespace

int IsoWeek(const WallClock& wc) {
  int iso_wday = wc.wday == 0 ? 7 : wc.wday;  // Monday = 1 ... Sunday = 7
  int week = (wc.yday + 1 - iso_wday + 10) / 7;
  if (week < 1) return IsoWeeksInYear(wc.year - 1);
  if (week > IsoWeeksInYear(wc.year)) return 1;
  return week;
}
}  // namespace pydest::internal
