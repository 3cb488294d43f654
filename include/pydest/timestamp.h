// Timestamp: a point in time with microsecond precision and the UTC offset
// it was written in — what syslog-ng keeps for a message's event time
// ($S_*, $ISODATE, ...) and receive time ($R_*), so that date macros can
// show a time in the zone its sender used.
//
// Thread-safety: a plain value.
#ifndef PYDEST_TIMESTAMP_H_
#define PYDEST_TIMESTAMP_H_

#include <cstdint>

#include "absl/time/time.h"
#include "pydest/export.h"

namespace pydest {

struct PYDEST_EXPORT Timestamp {
  int64_t unix_seconds = 0;
  int32_t microseconds = 0;        // 0 ... 999999
  int32_t utc_offset_seconds = 0;  // seconds east of UTC

  // `time` rounded down to the microsecond, said to be written at
  // `utc_offset_seconds` east of UTC.
  static Timestamp FromTime(absl::Time time, int32_t utc_offset_seconds = 0);
  // The point in time (the offset does not change it).
  absl::Time ToTime() const;
  friend bool operator==(const Timestamp& a, const Timestamp& b) {
    return a.unix_seconds == b.unix_seconds &&
           a.microseconds == b.microseconds &&
           a.utc_offset_seconds == b.utc_offset_seconds;
  }
  friend bool operator!=(const Timestamp& a, const Timestamp& b) {
    return !(a == b);
  }
};

}  // namespace pydest

#endif  // PYDEST_TIMESTAMP_H_
