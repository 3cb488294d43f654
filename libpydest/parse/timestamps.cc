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

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kSecondsPerHour = 3600;
constexpr int64_t kDaysPer400Years = 146097;

// Days from 0000-03-01 to a date, counting years from March so that the leap
// day ends its year and a month's first day is a linear function of the
// month. The year is moved on by one 400-year cycle (same calendar) to keep
// every quantity non-negative for years 0 and up.
constexpr int64_t DaysFromMarchBase(int year, int month, int day) {
  const int64_t y = static_cast<int64_t>(year) + 400 - (month <= 2 ? 1 : 0);
  const int64_t m = month <= 2 ? month + 9 : month - 3;  // March is 0
  const int64_t days_before_year = 365 * y + y / 4 - y / 100 + y / 400;
  const int64_t days_before_month = (153 * m + 2) / 5;  // 31,30,31,30,31,...
  return days_before_year + days_before_month + day - 1;
}

constexpr int64_t kEpochFromMarchBase = DaysFromMarchBase(1970, 1, 1);

// The date `days` after 1970-01-01 (days >= the start of year -400).
void CivilFromDays(int64_t days, int* year, int* month) {
  const int64_t n = days + kEpochFromMarchBase;
  const int64_t cycle = n / kDaysPer400Years;
  const int64_t day_of_cycle = n % kDaysPer400Years;  // 0..146096
  // Years into the cycle: take out the leap days before dividing by 365
  // (one per 4 years, less one per 100, plus the cycle's last day).
  const int64_t year_of_cycle =
      (day_of_cycle - day_of_cycle / 1460 + day_of_cycle / 36524 -
       day_of_cycle / (kDaysPer400Years - 1)) /
      365;
  const int64_t day_of_year =
      day_of_cycle -
      (365 * year_of_cycle + year_of_cycle / 4 - year_of_cycle / 100);
  const int64_t m = (5 * day_of_year + 2) / 153;  // March is 0
  *month = static_cast<int>(m < 10 ? m + 3 : m - 9);
  *year = static_cast<int>(cycle * 400 + year_of_cycle - 400 +
                           (*month <= 2 ? 1 : 0));
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Seconds of a civil time counted as if it were UTC.
int64_t CivilSeconds(int year, int month, int day, int hour, int minute,
                     int second) {
  return DaysFromCivil(year, month, day) * kSecondsPerDay +
         hour * kSecondsPerHour + minute * 60 + second;
}

// The instant of a transition reported by NextTransition (absl's own way:
// the zone's reading of the civil time jumped to).
int64_t TransitionSeconds(const absl::TimeZone& zone,
                          const absl::TimeZone::CivilTransition& tr) {
  return absl::ToUnixSeconds(zone.At(tr.to).trans);
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
                                       std::optional<int32_t> zone_offset,
                                       LocalTimeCache* local) {
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return std::nullopt;  // e.g. Feb 30
  }
  if (second == 60) second = 59;  // a leap second stays in its minute
  Timestamp ts;
  if (zone_offset.has_value() || options.local_utc_offset_seconds) {
    const int32_t offset = zone_offset.has_value()
                               ? *zone_offset
                               : *options.local_utc_offset_seconds;
    ts.unix_seconds =
        CivilSeconds(year, month, day, hour, minute, second) - offset;
    ts.utc_offset_seconds = offset;
  } else {
    // The zone's reading; in a DST gap or overlap the pre-transition one.
    if (local == nullptr) local = &ThreadLocalTime();
    local->CivilToUnix(year, month, day, hour, minute, second,
                       &ts.unix_seconds, &ts.utc_offset_seconds);
  }
  ts.microseconds = usec;
  return ts;
}

}  // namespace

int64_t DaysFromCivil(int year, int month, int day) {
  return DaysFromMarchBase(year, month, day) - kEpochFromMarchBase;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30,
                                    31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

bool LocalTimeCache::LoadLocalHour(int year, int month, int day, int hour) {
  // The hour has one reading per civil time and one offset when its first
  // and last seconds are unique with the same offset and no offset change
  // falls inside it (a DST gap or overlap anywhere in the hour fails one of
  // these: it makes an end skipped or repeated, or the offsets differ).
  const absl::TimeZone::TimeInfo first =
      zone_.At(absl::CivilSecond(year, month, day, hour, 0, 0));
  const absl::TimeZone::TimeInfo last =
      zone_.At(absl::CivilSecond(year, month, day, hour, 59, 59));
  if (first.kind != absl::TimeZone::TimeInfo::UNIQUE ||
      last.kind != absl::TimeZone::TimeInfo::UNIQUE ||
      last.pre - first.pre != absl::Seconds(kSecondsPerHour - 1)) {
    return false;
  }
  const int64_t start = absl::ToUnixSeconds(first.pre);
  const int32_t offset = zone_.At(first.pre).offset;
  if (CivilSeconds(year, month, day, hour, 0, 0) - offset != start) {
    return false;
  }
  absl::TimeZone::CivilTransition tr;
  if (zone_.NextTransition(first.pre, &tr) &&
      TransitionSeconds(zone_, tr) < start + kSecondsPerHour) {
    return false;
  }
  hour_start_ = start;
  hour_offset_ = offset;
  return true;
}

void LocalTimeCache::CivilToUnix(int year, int month, int day, int hour,
                                 int minute, int second, int64_t* unix_seconds,
                                 int32_t* offset) {
  const int64_t hour_key =
      ((static_cast<int64_t>(year) * 16 + month) * 32 + day) * 32 + hour;
  if (hour_key != hour_key_) {
    if (!LoadLocalHour(year, month, day, hour)) {
      // An hour with an offset change: ask the zone for this second (the
      // pre-transition reading), remembering only the last second.
      const int64_t second_key = (hour_key * 64 + minute) * 64 + second;
      if (second_key != second_key_) {
        const absl::Time t =
            zone_.At(absl::CivilSecond(year, month, day, hour, minute, second))
                .pre;
        second_unix_ = absl::ToUnixSeconds(t);
        second_offset_ = zone_.At(t).offset;
        second_key_ = second_key;
      }
      *unix_seconds = second_unix_;
      *offset = second_offset_;
      return;
    }
    hour_key_ = hour_key;
  }
  *unix_seconds = hour_start_ + minute * 60 + second;
  *offset = hour_offset_;
}

void LocalTimeCache::LoadUtcHour(int64_t unix_seconds) {
  const absl::Time t = absl::FromUnixSeconds(unix_seconds);
  const int32_t offset = zone_.At(t).offset;
  // Remember the whole UTC hour when the offset holds through it, else just
  // this second.
  const int64_t begin = FloorDiv(unix_seconds, kSecondsPerHour) *
                        kSecondsPerHour;
  const int64_t end = begin + kSecondsPerHour;
  bool whole_hour =
      zone_.At(absl::FromUnixSeconds(begin)).offset == offset &&
      zone_.At(absl::FromUnixSeconds(end - 1)).offset == offset;
  absl::TimeZone::CivilTransition tr;
  if (whole_hour && zone_.NextTransition(absl::FromUnixSeconds(begin), &tr) &&
      TransitionSeconds(zone_, tr) < end) {
    whole_hour = false;
  }
  utc_begin_ = whole_hour ? begin : unix_seconds;
  utc_end_ = whole_hour ? end : unix_seconds + 1;
  utc_offset_ = offset;
}

int32_t LocalTimeCache::OffsetAt(int64_t unix_seconds) {
  if (unix_seconds < utc_begin_ || unix_seconds >= utc_end_) {
    LoadUtcHour(unix_seconds);
  }
  return utc_offset_;
}

LocalTimeCache& ThreadLocalTime() {
  thread_local LocalTimeCache cache(LocalZone());
  return cache;
}

int32_t LocalOffsetAt(const ParseOptions& options, absl::Time t,
                      LocalTimeCache* local) {
  if (options.local_utc_offset_seconds) {
    return *options.local_utc_offset_seconds;
  }
  if (local == nullptr) local = &ThreadLocalTime();
  return local->OffsetAt(absl::ToUnixSeconds(t));
}

int GuessYear(int month, absl::Time received, const ParseOptions& options,
              LocalTimeCache* local) {
  // The receiving host's year and month.
  const int64_t local_second = absl::ToUnixSeconds(received) +
                               LocalOffsetAt(options, received, local);
  int year, now_month;
  // Arithmetic for years 1-9999 (any real clock), remembered per thread for
  // the last local day (a burst of lines shares it); absl beyond.
  constexpr int64_t kFirst = -62135596800;  // 0001-01-01T00:00:00
  constexpr int64_t kEnd = 253402300800;    // 10000-01-01T00:00:00
  if (local_second >= kFirst && local_second < kEnd) {
    thread_local int64_t cached_day = INT64_MIN;
    thread_local int cached_year = 0;
    thread_local int cached_month = 0;
    const int64_t day = FloorDiv(local_second, kSecondsPerDay);
    if (day != cached_day) {
      CivilFromDays(day, &cached_year, &cached_month);
      cached_day = day;
    }
    year = cached_year;
    now_month = cached_month;
  } else {
    const absl::CivilSecond now = absl::ToCivilSecond(
        absl::FromUnixSeconds(local_second), absl::UTCTimeZone());
    year = static_cast<int>(now.year());
    now_month = now.month();
  }
  int ahead = month - now_month;
  if (ahead > 1) return year - 1;    // e.g. December read in January
  if (ahead < -10) return year + 1;  // January read in December
  return year;
}

std::optional<Timestamp> ConsumeIsoTimestamp(std::string_view* in,
                                             const ParseOptions& options,
                                             IsoSeparator separator,
                                             LocalTimeCache* local) {
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
      options, year, month, day, hour, minute, second, usec, zone_offset,
      local);
  if (ts) *in = s;
  return ts;
}

std::optional<Timestamp> ConsumeBsdTimestamp(std::string_view* in,
                                             absl::Time received,
                                             const ParseOptions& options,
                                             LocalTimeCache* local) {
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
  if (year == 0) year = GuessYear(month, received, options, local);
  std::optional<Timestamp> ts = MakeTimestamp(
      options, year, month, day, hour, minute, second, usec, std::nullopt,
      local);
  if (ts) *in = s;
  return ts;
}

}  // namespace pydest::parse_internal
