// A timestamp broken down into civil date and time in a given UTC offset,
// with the week numbers syslog-ng's date macros print.
//
// Pure functions (a per-thread cache keeps the last breakdown); thread-safe.
#ifndef LIBPYDEST_MESSAGE_WALL_CLOCK_H_
#define LIBPYDEST_MESSAGE_WALL_CLOCK_H_

#include <cstdint>

#include "pydest/message.h"

namespace pydest::internal {

struct WallClock {
  int64_t year = 1970;
  int month = 1;  // 1 ... 12
  int day = 1;    // 1 ... 31
  int hour = 0;
  int minute = 0;
  int second = 0;
  int usec = 0;
  int wday = 4;  // 0 = Sunday
  int yday = 0;  // 0-based
  int32_t utc_offset_seconds = 0;
};

// Breaks `t` down in the given offset (proleptic Gregorian calendar; works
// before the epoch too).
WallClock ToWallClock(const Timestamp& t, int32_t utc_offset_seconds);

// ISO 8601 week number (01 ... 53) of a broken-down date: weeks start on
// Monday and week 1 holds the year's first Thursday.
int IsoWeek(const WallClock& wc);

}  // namespace pydest::internal

#endif  // LIBPYDEST_MESSAGE_WALL_CLOCK_H_
