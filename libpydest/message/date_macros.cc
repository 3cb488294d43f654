// Date and time macros: the text of each, written by hand rather than with
// absl::FormatTime so that no macro allocates (calendar arithmetic lives in
// wall_clock.cc). Only local-time-zone() with an IANA name consults absl's
// zone data, through a per-thread cache of the last zone loaded.
#include "libpydest/message/date_macros.h"

#include <algorithm>
#include <array>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

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
// The offset of the last second asked for is kept too: the date macros of
// one message ask for the same second many times in a row.
struct ZoneCache {
  std::string name;
  absl::TimeZone zone;
  bool loaded = false;
  bool has_last = false;
  int64_t last_seconds = 0;
  int32_t last_offset = 0;
};

ZoneCache& LoadZoneCached(const std::string& name) {
  thread_local ZoneCache cache;
  if (cache.name != name) {  // never empty: "" is handled by the caller
    cache.name = name;
    cache.loaded = absl::LoadTimeZone(name, &cache.zone);
    cache.has_last = false;
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

// A date macro's text is at most ~45 bytes: it is built on the stack and
// appended to the caller's buffer in one go (many tiny appends cost more
// than the formatting itself).
class StackText {
 public:
  void Put(char c) { data_[n_++] = c; }
  void Two(int v) {
    data_[n_++] = static_cast<char>('0' + (v / 10) % 10);
    data_[n_++] = static_cast<char>('0' + v % 10);
  }
  void Str(std::string_view s) {
    for (char c : s) data_[n_++] = c;
  }
  void Uint(uint64_t v, int width, char pad) {
    char tmp[24];
    int k = 0;
    do {
      tmp[k++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    for (int i = k; i < width; ++i) data_[n_++] = pad;
    while (k > 0) data_[n_++] = tmp[--k];
  }
  void Int(int64_t v) {
    if (v < 0) {
      Put('-');
      Uint(static_cast<uint64_t>(-(v + 1)) + 1, 0, '0');
    } else {
      Uint(static_cast<uint64_t>(v), 0, '0');
    }
  }
  void AppendTo(std::string* out) const { out->append(data_, n_); }

 private:
  char data_[80];
  int n_ = 0;
};

// frac-digits(): digits of the microseconds, truncated, at most 6.
void PutFraction(int usec, int frac_digits, StackText* b) {
  if (frac_digits <= 0) return;
  int n = std::min(frac_digits, 6);
  b->Put('.');
  int divisor = 100000;
  for (int i = 0; i < n; ++i) {
    b->Put(static_cast<char>('0' + (usec / divisor) % 10));
    divisor /= 10;
  }
}

void PutClock(const WallClock& wc, int frac_digits, StackText* b) {
  b->Two(wc.hour);
  b->Put(':');
  b->Two(wc.minute);
  b->Put(':');
  b->Two(wc.second);
  PutFraction(wc.usec, frac_digits, b);
}

// "+HH:MM" / "-HH:MM", as syslog-ng's $TZOFFSET and the ISODATE suffix.
void PutZone(int32_t offset, StackText* b) {
  int32_t a = offset < 0 ? -offset : offset;
  b->Put(offset < 0 ? '-' : '+');
  b->Two(a / 3600);
  b->Put(':');
  b->Two((a % 3600) / 60);
}

// RFC 3164 ("BSD") stamp: "Feb  5 17:32:18" — the day is space-padded.
void PutBsd(const WallClock& wc, int frac, StackText* b) {
  b->Str(kMonthAbbrev[wc.month - 1]);
  b->Put(' ');
  b->Uint(wc.day, 2, ' ');
  b->Put(' ');
  PutClock(wc, frac, b);
}

void PutIso(const WallClock& wc, int frac, StackText* b) {
  b->Int(wc.year);
  b->Put('-');
  b->Two(wc.month);
  b->Put('-');
  b->Two(wc.day);
  b->Put('T');
  PutClock(wc, frac, b);
  PutZone(wc.utc_offset_seconds, b);
}

void PutFull(const WallClock& wc, int frac, StackText* b) {
  b->Int(wc.year);
  b->Put(' ');
  PutBsd(wc, frac, b);
}

void PutUnix(const Timestamp& t, int frac, StackText* b) {
  b->Int(t.unix_seconds);
  PutFraction(t.microseconds, frac, b);
}

}  // namespace

int32_t DisplayOffset(const Timestamp& t, const TemplateOptions& options) {
  const std::string& tz = options.local_time_zone;
  if (tz.empty()) return t.utc_offset_seconds;
  int32_t fixed = 0;
  if (ParseFixedOffset(tz, &fixed)) return fixed;
  ZoneCache& cache = LoadZoneCached(tz);
  if (!cache.loaded) return t.utc_offset_seconds;
  if (!cache.has_last || cache.last_seconds != t.unix_seconds) {
    cache.last_offset =
        cache.zone.At(absl::FromUnixSeconds(t.unix_seconds)).offset;
    cache.last_seconds = t.unix_seconds;
    cache.has_last = true;
  }
  return cache.last_offset;
}


void AppendDateMacro(DateField field, const Timestamp& t,
                     const TemplateOptions& options, std::string* out) {
  const WallClock wc = ToWallClock(t, DisplayOffset(t, options));
  const int frac = options.frac_digits;
  StackText b;
  switch (field) {
    case DateField::kDate:
      PutBsd(wc, frac, &b);
      break;
    case DateField::kFullDate:
      PutFull(wc, frac, &b);
      break;
    case DateField::kIsoDate:
      PutIso(wc, frac, &b);
      break;
    case DateField::kStamp:
      switch (ParseTsFormat(options.ts_format)) {
        case TsFormat::kBsd:
          PutBsd(wc, frac, &b);
          break;
        case TsFormat::kIso:
          PutIso(wc, frac, &b);
          break;
        case TsFormat::kFull:
          PutFull(wc, frac, &b);
          break;
        case TsFormat::kUnix:
          PutUnix(t, frac, &b);
          break;
      }
      break;
    case DateField::kYear:
      b.Uint(static_cast<uint64_t>(wc.year < 0 ? 0 : wc.year), 4, '0');
      break;
    case DateField::kYearDay:
      b.Uint(wc.yday + 1, 3, '0');
      break;
    case DateField::kMonth:
      b.Two(wc.month);
      break;
    case DateField::kMonthWeek:
      // syslog-ng's week of the month: full weeks so far, plus one when the
      // month's first Sunday-started week has already begun.
      b.Uint(wc.day / 7 + ((wc.wday > 0 && wc.day % 7 >= wc.wday) ? 1 : 0), 0,
             '0');
      break;
    case DateField::kMonthAbbrev:
      b.Str(kMonthAbbrev[wc.month - 1]);
      break;
    case DateField::kMonthName:
      b.Str(kMonthName[wc.month - 1]);
      break;
    case DateField::kDay:
      b.Two(wc.day);
      break;
    case DateField::kHour:
      b.Two(wc.hour);
      break;
    case DateField::kHour12: {
      int h = wc.hour % 12;
      b.Two(h == 0 ? 12 : h);
      break;
    }
    case DateField::kMin:
      b.Two(wc.minute);
      break;
    case DateField::kSec:
      b.Two(wc.second);
      break;
    case DateField::kUsec:
      b.Uint(wc.usec, 6, '0');
      break;
    case DateField::kMsec:
      b.Uint(wc.usec / 1000, 3, '0');
      break;
    case DateField::kAmPm:
      b.Str(wc.hour < 12 ? "AM" : "PM");
      break;
    case DateField::kWeekDayAbbrev:
      b.Str(kWeekDayAbbrev[wc.wday]);
      break;
    case DateField::kWeekDay:
      b.Uint(wc.wday + 1, 0, '0');
      break;
    case DateField::kWeekDayName:
      b.Str(kWeekDayName[wc.wday]);
      break;
    case DateField::kWeek:
      // strftime's %W: weeks start on Monday; days before the first Monday
      // are week 00.
      b.Two((wc.yday - (wc.wday + 6) % 7 + 7) / 7);
      break;
    case DateField::kIsoWeek:
      b.Two(IsoWeek(wc));
      break;
    case DateField::kTzOffset:
      PutZone(wc.utc_offset_seconds, &b);
      break;
    case DateField::kUnixTime:
      PutUnix(t, frac, &b);
      break;
  }
  b.AppendTo(out);
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
