// Test helper: ParseOptions with a fixed receive time, zone and host, so that
// reader tests do not depend on the machine's clock, TZ or name.
// Thread-safe: pure functions.
#ifndef TESTS_PARSE_TEST_OPTIONS_H_
#define TESTS_PARSE_TEST_OPTIONS_H_

#include <cstdint>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "pydest/parse.h"

namespace pydest::test {

inline absl::Time Utc(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone());
}

// Received 2026-11-24T09:41:52Z on "testhost", in UTC.
inline ParseOptions TestOptions() {
  ParseOptions o;
  o.received = Utc(2026, 11, 24, 9, 41, 52);
  o.local_utc_offset_seconds = 0;
  o.host_from = "testhost";
  return o;
}

inline int64_t UnixSeconds(int y, int mo, int d, int h, int mi, int s) {
  return absl::ToUnixSeconds(Utc(y, mo, d, h, mi, s));
}

}  // namespace pydest::test

#endif  // TESTS_PARSE_TEST_OPTIONS_H_
