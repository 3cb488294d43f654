// Date and time macros. The calendar arithmetic is done here (days since the
// epoch -> civil date) rather than with absl::FormatTime so that no macro
// allocates; only local-time-zone() with an IANA name consults absl's zone
// data, through a per-thread cache of the last zone loaded.
#include "libpydest/message/date_macros.h"

#include <algorithm>
#include <array>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libpydest/message/format_digits.h"

namespace pydest::internal {
namespace {

constexpr std::array<std::string_view, 12> kMonthAbbrev = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 12> kMonthName = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kWeekDayAbbrev = {
    "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> kWeekDayName = {
    "Sunday",   "Monday", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday"};

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

bool IsLeap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Day of the week (0 = Sunday ... 6) of 31 December of year y, shifted so
// that "4" means the year ends on a Thursday: ISO years with 53 weeks end on
// a Thursday, or on a Friday in a leap year.
int64_t DecemberLastWeekday(int64_t y) {
  return ((y + FloorDiv(y, 4) - FloorDiv(y, 100) + FloorDiv(y, 400)) % 7 + 7) %
         7;
}

int IsoWeeksInYear(int64_t y) {
  return (DecemberLastWeekday(y) == 4 || DecemberLastWeekday(y - 1) == 3) ? 53
                                                                          : 52;
}

// local-time-zone("+HH:MM") and its variants "+HHMM", "+HH".
bool ParseFixedOffset(std::string_view s, int32_t* offset) {
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return false;
  auto digit = [&](size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  if (!digit(1) || !digit(2)) return false;
  int hours = (s[1] - '0') * 10 + (s[2] - '0');
  int minutes = 0;
  size_t i = 3;
  if (i < s.size() && s[i] == ':') ++i;
  if (i < s.size()) {
    if (s.size() != i + 2 || !digit(i) || !digit(i + 1)) return false;
    minutes = (s[i] - '0') * 10 + (s[i + 1] - '0');
  } else if (i != 3) {
    return false;  // "+HH:" with nothing after it
  }
  if (hours > 23 || minutes > 59) return false;
  *offset = (s[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  return true;
}

// The last IANA zone this thread loaded: macros are evaluated with the same
// template options over and over, so one entry is enough.
struct ZoneCache {
  std::string name;
  absl::TimeZone zone;
  bool loaded = false;
};

const ZoneCache& LoadZoneCached(const std::string& name) {
  thread_local ZoneCache cache;
  if (cache.name != name) {  // never empty: "" is handled by the caller
    cache.name = name;
    cache.loaded = absl::LoadTimeZone(name, &cache.zone);
  }
  return cache;
}

enum class TsFormat : uint8_t { kBsd, kIso, kFull, kUnix };

// ts-format(): syslog-ng accepts rfc3164/bsd, rfc3339/iso, full and unix.
TsFormat ParseTsFormat(const std::string& s) {
  if (s == "rfc3339" || s == "iso") return TsFormat::kIso;
  if (s == "unix") return TsFormat::kUnix;
  if (s == "full") return TsFormat::kFull;
  return TsFormat::kBsd;
}

// frac-digits(): digits of the microseconds, truncated, at most 6.
void AppendFraction(int usec, int frac_digits, std::string* out) {
  if (frac_digits <= 0) return;
  int n = std::min(frac_digits, 6);
  char buf[8];
  buf[0] = '.';
  int divisor = 100000;
  for (int i = 1; i <= n; ++i) {
    buf[i] = static_cast<char>('0' + (usec / divisor) % 10);
    divisor /= 10;
  }
  out->append(buf, n + 1);
}

void AppendTwo(int v, std::string* out) {
  char buf[2] = {static_cast<char>('0' + (v / 10) % 10),
                 static_cast<char>('0' + v % 10)};
  out->append(buf, 2);
}

void AppendClock(const WallClock& wc, int frac_digits, std::string* out) {
  char buf[8] = {static_cast<char>('0' + wc.hour / 10),
                 static_cast<char>('0' + wc.hour % 10),
                 ':',
                 static_cast<char>('0' + wc.minute / 10),
                 static_cast<char>('0' + wc.minute % 10),
                 ':',
                 static_cast<char>('0' + wc.second / 10),
                 static_cast<char>('0' + wc.second % 10)};
  out->append(buf, 8);
  AppendFraction(wc.usec, frac_digits, out);
}

// "+HH:MM" / "-HH:MM", as syslog-ng's $TZOFFSET and the ISODATE suffix.
void AppendZone(int32_t offset, std::string* out) {
  int32_t a = offset < 0 ? -offset : offset;
  out->push_back(offset < 0 ? '-' : '+');
  AppendTwo(a / 3600, out);
  out->push_back(':');
  AppendTwo((a % 3600) / 60, out);
}

// RFC 3164 ("BSD") stamp: "Feb  5 17:32:18" — the day is space-padded.
void AppendBsd(const WallClock& wc, int frac, std::string* out) {
  out->append(kMonthAbbrev[wc.month - 1]);
  out->push_back(' ');
  AppendUnsigned(wc.day, 2, ' ', out);
  out->push_back(' ');
  AppendClock(wc, frac, out);
}

void AppendIso(const WallClock& wc, int frac, std::string* out) {
  AppendSigned(wc.year, out);
  out->push_back('-');
  AppendTwo(wc.month, out);
  out->push_back('-');
  AppendTwo(wc.day, out);
  out->push_back('T');
  AppendClock(wc, frac, out);
  AppendZone(wc.utc_offset_seconds, out);
}

void AppendFull(const WallClock& wc, int frac, std::string* out) {
  AppendSigned(wc.year, out);
  out->push_back(' ');
  AppendBsd(wc, frac, out);
}

void AppendUnix(const Timestamp& t, int frac, std::string* out) {
  AppendSigned(t.unix_seconds, out);
  AppendFraction(t.microseconds, frac, out);
}

}  // namespace

int32_t DisplayOffset(const Timestamp& t, const TemplateOptions& options) {
  const std::string& tz = options.local_time_zone;
  if (tz.empty()) return t.utc_offset_seconds;
  int32_t fixed = 0;
  if (ParseFixedOffset(tz, &fixed)) return fixed;
  const ZoneCache& cache = LoadZoneCached(tz);
  if (!cache.loaded) return t.utc_offset_seconds;
  return cache.zone.At(absl::FromUnixSeconds(t.unix_seconds)).offset;
}

WallClock ToWallClock(const Timestamp& t, int32_t utc_offset_seconds) {
  WallClock wc;
  wc.utc_offset_seconds = utc_offset_seconds;
  wc.usec = t.microseconds;
  int64_t local = t.unix_seconds + utc_offset_seconds;
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

int IsoWeek(const WallClock& wc) {
  int iso_wday = wc.wday == 0 ? 7 : wc.wday;  // Monday = 1 ... Sunday = 7
  int week = (wc.yday + 1 - iso_wday + 10) / 7;
  if (week < 1) return IsoWeeksInYear(wc.year - 1);
  if (week > IsoWeeksInYear(wc.year)) return 1;
  return week;
}

void AppendDateMacro(DateField field, const Timestamp& t,
                     const TemplateOptions& options, std::string* out) {
  const WallClock wc = ToWallClock(t, DisplayOffset(t, options));
  const int frac = options.frac_digits;
  switch (field) {
    case DateField::kDate:
      AppendBsd(wc, frac, out);
      return;
    case DateField::kFullDate:
      AppendFull(wc, frac, out);
      return;
    case DateField::kIsoDate:
      AppendIso(wc, frac, out);
      return;
    case DateField::kStamp:
      switch (ParseTsFormat(options.ts_format)) {
        case TsFormat::kBsd:
          AppendBsd(wc, frac, out);
          return;
        case TsFormat::kIso:
          AppendIso(wc, frac, out);
          return;
        case TsFormat::kFull:
          AppendFull(wc, frac, out);
          return;
        case TsFormat::kUnix:
          AppendUnix(t, frac, out);
          return;
      }
      return;
    case DateField::kYear:
      AppendUnsigned(static_cast<uint64_t>(wc.year < 0 ? 0 : wc.year), 4, '0',
                     out);
      return;
    case DateField::kYearDay:
      AppendUnsigned(wc.yday + 1, 3, '0', out);
      return;
    case DateField::kMonth:
      AppendTwo(wc.month, out);
      return;
    case DateField::kMonthWeek:
      // syslog-ng's week of the month: full weeks so far, plus one when the
      // month's first Sunday-started week has already begun.
      AppendUnsigned(wc.day / 7 + ((wc.wday > 0 && wc.day % 7 >= wc.wday) ? 1
                                                                           : 0),
                     out);
      return;
    case DateField::kMonthAbbrev:
      out->append(kMonthAbbrev[wc.month - 1]);
      return;
    case DateField::kMonthName:
      out->append(kMonthName[wc.month - 1]);
      return;
    case DateField::kDay:
      AppendTwo(wc.day, out);
      return;
    case DateField::kHour:
      AppendTwo(wc.hour, out);
      return;
    case DateField::kHour12: {
      int h = wc.hour % 12;
      AppendTwo(h == 0 ? 12 : h, out);
      return;
    }
    case DateField::kMin:
      AppendTwo(wc.minute, out);
      return;
    case DateField::kSec:
      AppendTwo(wc.second, out);
      return;
    case DateField::kUsec:
      AppendUnsigned(wc.usec, 6, '0', out);
      return;
    case DateField::kMsec:
      AppendUnsigned(wc.usec / 1000, 3, '0', out);
      return;
    case DateField::kAmPm:
      out->append(wc.hour < 12 ? "AM" : "PM");
      return;
    case DateField::kWeekDayAbbrev:
      out->append(kWeekDayAbbrev[wc.wday]);
      return;
    case DateField::kWeekDay:
      AppendUnsigned(wc.wday + 1, out);
      return;
    case DateField::kWeekDayName:
      out->append(kWeekDayName[wc.wday]);
      return;
    case DateField::kWeek:
      // strftime's %W: weeks start on Monday; days before the first Monday
      // are week 00.
      AppendTwo((wc.yday - (wc.wday + 6) % 7 + 7) / 7, out);
      return;
    case DateField::kIsoWeek:
      AppendTwo(IsoWeek(wc), out);
      return;
    case DateField::kTzOffset:
      AppendZone(wc.utc_offset_seconds, out);
      return;
    case DateField::kUnixTime:
      AppendUnix(t, frac, out);
      return;
  }
}

absl::Status CheckLocalTimeZone(std::string_view name) {
  if (name.empty()) return absl::OkStatus();
  int32_t fixed = 0;
  if (ParseFixedOffset(name, &fixed)) return absl::OkStatus();
  absl::TimeZone zone;
  if (absl::LoadTimeZone(std::string(name), &zone)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "local-time-zone(\"", std::string(name),
      "\"): not a +HH:MM offset and no such time zone in the system's "
      "zoneinfo; timestamps would keep their own UTC offset"));
}

}  // namespace pydest::internal
