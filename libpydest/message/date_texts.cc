// DateTexts: rendering syslog-ng's date fields by hand rather than with
// absl::FormatTime so that nothing allocates; each field is written once per
// timestamp straight into the DateTexts that keeps it.
#include "libpydest/message/date_texts.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

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

// The writers below take the position to write at and return the position
// after what they wrote: the cursor stays in a register (a writer object
// with its length in memory reloads it after every char store, as a char
// store may alias it). A field is at most DateTexts::kMaxFieldSize bytes.

char* Two(char* p, int v) {
  p[0] = static_cast<char>('0' + (v / 10) % 10);
  p[1] = static_cast<char>('0' + v % 10);
  return p + 2;
}

char* Str(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// `v` in decimal, left-padded with `pad` to `width`.
char* Uint(char* p, uint64_t v, int width, char pad) {
  char tmp[24];
  int k = 0;
  do {
    tmp[k++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (int i = k; i < width; ++i) *p++ = pad;
  while (k > 0) *p++ = tmp[--k];
  return p;
}

char* Int(char* p, int64_t v) {
  if (v < 0) {
    *p++ = '-';
    return Uint(p, static_cast<uint64_t>(-(v + 1)) + 1, 0, '0');
  }
  return Uint(p, static_cast<uint64_t>(v), 0, '0');
}

// frac-digits(): digits of the microseconds, truncated, at most 6.
char* Fraction(char* p, int usec, int frac_digits) {
  if (frac_digits <= 0) return p;
  int n = std::min(frac_digits, 6);
  *p++ = '.';
  int divisor = 100000;
  for (int i = 0; i < n; ++i) {
    *p++ = static_cast<char>('0' + (usec / divisor) % 10);
    divisor /= 10;
  }
  return p;
}

char* Clock(char* p, const WallClock& wc, int frac_digits) {
  p = Two(p, wc.hour);
  *p++ = ':';
  p = Two(p, wc.minute);
  *p++ = ':';
  p = Two(p, wc.second);
  return Fraction(p, wc.usec, frac_digits);
}

// "+HH:MM" / "-HH:MM", as syslog-ng's $TZOFFSET and the ISODATE suffix.
char* Zone(char* p, int32_t offset) {
  int32_t a = offset < 0 ? -offset : offset;
  *p++ = offset < 0 ? '-' : '+';
  p = Two(p, a / 3600);
  *p++ = ':';
  return Two(p, (a % 3600) / 60);
}

// RFC 3164 ("BSD") stamp: "Feb  5 17:32:18" — the day is space-padded.
char* Bsd(char* p, const WallClock& wc, int frac) {
  p = Str(p, kMonthAbbrev[wc.month - 1]);
  *p++ = ' ';
  p = Uint(p, wc.day, 2, ' ');
  *p++ = ' ';
  return Clock(p, wc, frac);
}

char* Iso(char* p, const WallClock& wc, int frac) {
  p = Int(p, wc.year);
  *p++ = '-';
  p = Two(p, wc.month);
  *p++ = '-';
  p = Two(p, wc.day);
  *p++ = 'T';
  p = Clock(p, wc, frac);
  return Zone(p, wc.utc_offset_seconds);
}

char* Full(char* p, const WallClock& wc, int frac) {
  p = Int(p, wc.year);
  *p++ = ' ';
  return Bsd(p, wc, frac);
}

char* Unix(char* p, const DateTextsKey& t, int frac) {
  p = Int(p, t.unix_seconds);
  return Fraction(p, t.microseconds, frac);
}

// Writes the text of `field` at `p`; returns the end.
char* RenderField(char* p, DateField field, const WallClock& wc,
                  const DateTextsKey& key) {
  const int frac = key.frac_digits;
  switch (field) {
    case DateField::kDate:
      return Bsd(p, wc, frac);
    case DateField::kFullDate:
      return Full(p, wc, frac);
    case DateField::kIsoDate:
      return Iso(p, wc, frac);
    case DateField::kStamp:
      switch (key.ts_format) {
        case TsFormat::kBsd:
          return Bsd(p, wc, frac);
        case TsFormat::kIso:
          return Iso(p, wc, frac);
        case TsFormat::kFull:
          return Full(p, wc, frac);
        case TsFormat::kUnix:
          return Unix(p, key, frac);
      }
      return p;
    case DateField::kYear:
      return Uint(p, static_cast<uint64_t>(wc.year < 0 ? 0 : wc.year), 4,
                  '0');
    case DateField::kYearDay:
      return Uint(p, wc.yday + 1, 3, '0');
    case DateField::kMonth:
      return Two(p, wc.month);
    case DateField::kMonthWeek:
      // syslog-ng's week of the month: full weeks so far, plus one when the
      // month's first Sunday-started week has already begun.
      return Uint(
          p, wc.day / 7 + ((wc.wday > 0 && wc.day % 7 >= wc.wday) ? 1 : 0), 0,
          '0');
    case DateField::kMonthAbbrev:
      return Str(p, kMonthAbbrev[wc.month - 1]);
    case DateField::kMonthName:
      return Str(p, kMonthName[wc.month - 1]);
    case DateField::kDay:
      return Two(p, wc.day);
    case DateField::kHour:
      return Two(p, wc.hour);
    case DateField::kHour12: {
      int h = wc.hour % 12;
      return Two(p, h == 0 ? 12 : h);
    }
    case DateField::kMin:
      return Two(p, wc.minute);
    case DateField::kSec:
      return Two(p, wc.second);
    case DateField::kUsec:
      return Uint(p, wc.usec, 6, '0');
    case DateField::kMsec:
      return Uint(p, wc.usec / 1000, 3, '0');
    case DateField::kAmPm:
      return Str(p, wc.hour < 12 ? "AM" : "PM");
    case DateField::kWeekDayAbbrev:
      return Str(p, kWeekDayAbbrev[wc.wday]);
    case DateField::kWeekDay:
      return Uint(p, wc.wday + 1, 0, '0');
    case DateField::kWeekDayName:
      return Str(p, kWeekDayName[wc.wday]);
    case DateField::kWeek:
      // strftime's %W: weeks start on Monday; days before the first Monday
      // are week 00.
      return Two(p, (wc.yday - (wc.wday + 6) % 7 + 7) / 7);
    case DateField::kIsoWeek:
      return Two(p, IsoWeek(wc));
    case DateField::kTzOffset:
      return Zone(p, wc.utc_offset_seconds);
    case DateField::kUnixTime:
      return Unix(p, key, frac);
  }
  return p;
}

}  // namespace

TsFormat ParseTsFormat(std::string_view s) {
  // ts-format(): syslog-ng accepts rfc3164/bsd, rfc3339/iso, full and unix.
  if (s == "rfc3164") return TsFormat::kBsd;  // the default, checked first
  if (s == "rfc3339" || s == "iso") return TsFormat::kIso;
  if (s == "unix") return TsFormat::kUnix;
  if (s == "full") return TsFormat::kFull;
  return TsFormat::kBsd;
}

DateTextsKey MakeDateTextsKey(const Timestamp& t,
                              const TemplateOptions& options) {
  DateTextsKey key;
  key.unix_seconds = t.unix_seconds;
  key.microseconds = t.microseconds;
  key.display_offset = DisplayOffset(t, options);
  key.frac_digits = options.frac_digits;
  key.ts_format = ParseTsFormat(options.ts_format);
  return key;
}

void DateTexts::Reset(const DateTextsKey& key) {
  key_ = key;
  Timestamp t;
  t.unix_seconds = key.unix_seconds;
  t.microseconds = key.microseconds;
  wc_ = ToWallClock(t, key.display_offset);
  rendered_ = 0;
  used_ = 0;
}

void DateTexts::RenderMissing(uint32_t mask) {
  uint32_t missing = mask & ~rendered_ & kAllDateFields;
  while (missing != 0) {
    int i = __builtin_ctz(missing);
    missing &= missing - 1;
    char* begin = data_ + used_;
    char* end = RenderField(begin, static_cast<DateField>(i), wc_, key_);
    offset_[i] = static_cast<uint16_t>(used_);
    size_[i] = static_cast<uint8_t>(end - begin);
    used_ += static_cast<uint32_t>(end - begin);
    rendered_ |= 1u << i;
  }
}

DateTexts& ThreadDateTexts(const Timestamp& t, const TemplateOptions& options) {
  struct Slot {
    bool valid = false;
    uint64_t last_use = 0;
    DateTexts texts;
  };
  struct Cache {
    uint64_t clock = 0;
    Slot* last = nullptr;  // the most recently used: it has the newest clock
    std::array<Slot, 4> slots;
  };
  thread_local Cache cache;
  const DateTextsKey key = MakeDateTextsKey(t, options);
  // A message's date macros mostly ask for one timestamp many times in a
  // row.
  if (cache.last != nullptr && cache.last->texts.key() == key) {
    return cache.last->texts;
  }
  ++cache.clock;
  Slot* victim = &cache.slots[0];
  for (Slot& s : cache.slots) {
    if (s.valid && s.texts.key() == key) {
      s.last_use = cache.clock;
      cache.last = &s;
      return s.texts;
    }
    if (!s.valid || (victim->valid && s.last_use < victim->last_use)) {
      victim = &s;
    }
  }
  victim->valid = true;
  victim->last_use = cache.clock;
  cache.last = victim;
  victim->texts.Reset(key);
  return victim->texts;
}

}  // namespace pydest::internal
