// Syslog timestamps; see timestamps.h.
#include "libpydest/parse/timestamps.h"

#include <cstdint>

#include "absl/time/civil_time.h"
#include "libpydest/parse/reader_util.h"

namespace pydest::parse_internal {
namespace {

const absl::TimeZone& LocalZone() {
  // Looked up once: the zone database lookup is not free, and a process
  // changing TZ while parsing is not a case worth paying for on every line.
  static const absl::TimeZone* zone = new absl::TimeZone(absl::LocalTimeZone());
  return *zone;
}

// The local zone's UTC offset at `t`. Zone lookups cost more than parsing a
// whole line, and a reader sees the same second over and over (the receive
// time of a burst, the stamps of a busy log), so each thread keeps its last
// answer per second.
int32_t LocalOffset(absl::Time t) {
  thread_local int64_t cached_second = INT64_MIN;
  thread_local int32_t cached_offset = 0;
  const int64_t second = absl::ToUnixSeconds(t);
  if (second != cached_second) {
    cached_offset = LocalZone().At(t).offset;
    cached_second = second;
  }
  return cached_offset;
}

// A civil time read in the local zone (the earlier reading in a DST gap or
// overlap), with the same per-thread memory of the last second.
absl::Time LocalCivilToTime(const absl::CivilSecond& civil) {
  thread_local absl::CivilSecond cached_civil(1, 1, 1);
  thread_local absl::Time cached_time = absl::InfinitePast();
  if (cached_time == absl::InfinitePast() || civil != cached_civil) {
    cached_time = LocalZone().At(civil).pre;
    cached_civil = civil;
  }
  return cached_time;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool Expect(std::string_view* in, char c) {
  if (in->empty() || (*in)[0] != c) return false;
  in->remove_prefix(1);
  return true;
}

// Exactly `n` digits.
bool ConsumeDigits(std::string_view* in, int n, int* value) {
  if (static_cast<int>(in->size()) < n) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    if (!IsDigit((*in)[i])) return false;
    v = v * 10 + ((*in)[i] - '0');
  }
  in->remove_prefix(n);
  *value = v;
  return true;
}

// ".digits" into microseconds (extra digits cut, missing ones zero); no
// fraction leaves *in alone and gives 0.
int32_t ConsumeFraction(std::string_view* in) {
  if (in->size() < 2 || (*in)[0] != '.' || !IsDigit((*in)[1])) return 0;
  size_t i = 1;
  int32_t us = 0;
  int digits = 0;
  for (; i < in->size() && IsDigit((*in)[i]); ++i) {
    if (digits < 6) {
      us = us * 10 + ((*in)[i] - '0');
      ++digits;
    }
  }
  for (; digits < 6; ++digits) us *= 10;
  in->remove_prefix(i);
  return us;
}

// "Z", "+hh:mm", "-hh:mm", "+hhmm", "-hhmm".
bool ConsumeZone(std::string_view* in, int32_t* offset_seconds) {
  std::string_view s = *in;
  if (!s.empty() && (s[0] == 'Z' || s[0] == 'z')) {
    *offset_seconds = 0;
    in->remove_prefix(1);
    return true;
  }
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return false;
  int sign = s[0] == '-' ? -1 : 1;
  s.remove_prefix(1);
  int hours, minutes;
  if (!ConsumeDigits(&s, 2, &hours)) return false;
  Expect(&s, ':');
  if (!ConsumeDigits(&s, 2, &minutes) || hours > 23 || minutes > 59) {
    return false;
  }
  if (!s.empty() && IsDigit(s[0])) return false;
  *offset_seconds = sign * (hours * 3600 + minutes * 60);
  *in = s;
  return true;
}

// "hh:mm:ss" with range checks.
bool ConsumeClock(std::string_view* in, int* hour, int* minute, int* second) {
  std::string_view s = *in;
  if (!ConsumeDigits(&s, 2, hour) || !Expect(&s, ':') ||
      !ConsumeDigits(&s, 2, minute) || !Expect(&s, ':') ||
      !ConsumeDigits(&s, 2, second) || *hour > 23 || *minute > 59 ||
      *second > 60) {
    return false;
  }
  *in = s;
  return true;
}

// "Jan".."Dec" (any case) -> 1..12, or 0.
int MonthFromAbbrev(std::string_view s) {
  static constexpr std::string_view kMonths[] = {
      "jan", "feb", "mar", "apr", "may", "jun",
      "jul", "aug", "sep", "oct", "nov", "dec"};
  if (s.size() < 3) return 0;
  auto lower = [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  };
  for (int i = 0; i < 12; ++i) {
    if (lower(s[0]) == kMonths[i][0] && lower(s[1]) == kMonths[i][1] &&
        lower(s[2]) == kMonths[i][2]) {
      return i + 1;
    }
  }
  return 0;
}

// Civil fields read in the receiving host's zone (or `zone_offset` when the
// text gave one).
std::optional<Timestamp> MakeTimestamp(const ParseOptions& options, int year,
                                       int month, int day, int hour,
                                       int minute, int second, int32_t usec,
                                       std::optional<int32_t> zone_offset) {
  absl::CivilDay civil_day(year, month, day);
  if (month < 1 || month > 12 || day < 1 || civil_day.day() != day ||
      civil_day.month() != month) {
    return std::nullopt;  // e.g. Feb 30
  }
  if (second == 60) second = 59;  // a leap second stays in its minute
  absl::CivilSecond civil(year, month, day, hour, minute, second);
  absl::Time t;
  int32_t offset;
  if (zone_offset.has_value()) {
    offset = *zone_offset;
    t = absl::FromCivil(civil, absl::UTCTimeZone()) - absl::Seconds(offset);
  } else if (options.has_local_utc_offset) {
    offset = options.local_utc_offset_seconds;
    t = absl::FromCivil(civil, absl::UTCTimeZone()) - absl::Seconds(offset);
  } else {
    // In a DST gap or overlap, take the earlier reading.
    t = LocalCivilToTime(civil);
    offset = LocalOffset(t);
  }
  Timestamp ts = Timestamp::FromTime(t, offset);
  ts.microseconds = usec;
  return ts;
}

}  // namespace

int32_t LocalOffsetAt(const ParseOptions& options, absl::Time t) {
  if (options.has_local_utc_offset) return options.local_utc_offset_seconds;
  return LocalOffset(t);
}

int GuessYear(int month, absl::Time received, const ParseOptions& options) {
  // The receiving host's year and month, remembered per second per thread
  // like the offsets above (a burst of lines shares its receive second).
  thread_local int64_t cached_local_second = INT64_MIN;
  thread_local int cached_year = 0;
  thread_local int cached_month = 0;
  const int64_t local_second = absl::ToUnixSeconds(received) +
                               LocalOffsetAt(options, received);
  if (local_second != cached_local_second) {
    const absl::CivilSecond now = absl::ToCivilSecond(
        absl::FromUnixSeconds(local_second), absl::UTCTimeZone());
    cached_year = static_cast<int>(now.year());
    cached_month = now.month();
    cached_local_second = local_second;
  }
  int year = cached_year;
  int ahead = month - cached_month;
  if (ahead > 1) return year - 1;    // e.g. December read in January
  if (ahead < -10) return year + 1;  // January read in December
  return year;
}

std::optional<Timestamp> ConsumeIsoTimestamp(std::string_view* in,
                                             const ParseOptions& options,
                                             IsoSeparator separator) {
  std::string_view s = *in;
  int year, month, day, hour, minute, second;
  if (!ConsumeDigits(&s, 4, &year) || !Expect(&s, '-') ||
      !ConsumeDigits(&s, 2, &month) || !Expect(&s, '-') ||
      !ConsumeDigits(&s, 2, &day) || s.empty()) {
    return std::nullopt;
  }
  if (s[0] != 'T' && !(separator == IsoSeparator::kTOrSpace &&
                       (s[0] == ' ' || s[0] == 't'))) {
    return std::nullopt;
  }
  s.remove_prefix(1);
  if (!ConsumeClock(&s, &hour, &minute, &second)) return std::nullopt;
  int32_t usec = ConsumeFraction(&s);
  int32_t zone = 0;
  std::optional<int32_t> zone_offset;
  if (ConsumeZone(&s, &zone)) zone_offset = zone;
  std::optional<Timestamp> ts = MakeTimestamp(
      options, year, month, day, hour, minute, second, usec, zone_offset);
  if (ts) *in = s;
  return ts;
}

std::optional<Timestamp> ConsumeBsdTimestamp(std::string_view* in,
                                             absl::Time received,
                                             const ParseOptions& options) {
  std::string_view s = *in;
  int month = MonthFromAbbrev(s);
  if (month == 0) return std::nullopt;
  s.remove_prefix(3);
  int day, hour, minute, second, year = 0;
  // The day is two characters, space- or zero-padded ("Feb  5", "Feb 05");
  // an unpadded "Feb 5" is taken too.
  if (!Expect(&s, ' ')) return std::nullopt;
  if (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  if (!ConsumeDigits(&s, 2, &day) && !ConsumeDigits(&s, 1, &day)) {
    return std::nullopt;
  }
  if (!Expect(&s, ' ')) return std::nullopt;
  // Cisco PIX/ASA: "Mmm dd yyyy hh:mm:ss".
  if (s.size() > 4 && s[4] == ' ' && ConsumeDigits(&s, 4, &year)) {
    s.remove_prefix(1);
  }
  if (!ConsumeClock(&s, &hour, &minute, &second)) return std::nullopt;
  int32_t usec = ConsumeFraction(&s);
  // Linksys: "Mmm dd hh:mm:ss yyyy" and more text after a blank.
  if (year == 0 && s.size() > 5 && s[0] == ' ' &&
      (s[5] == ' ' || s[5] == '\t')) {
    std::string_view y = s.substr(1);
    if (ConsumeDigits(&y, 4, &year)) s = y;
  }
  if (year == 0) year = GuessYear(month, received, options);
  std::optional<Timestamp> ts = MakeTimestamp(
      options, year, month, day, hour, minute, second, usec, std::nullopt);
  if (ts) *in = s;
  return ts;
}

}  // namespace pydest::parse_internal
