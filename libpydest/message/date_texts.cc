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

// Writes one field's text straight into DateTexts' storage (at most
// DateTexts::kMaxFieldSize bytes).
class StackText {
 public:
  explicit StackText(char* data) : data_(data) {}
  int size() const { return n_; }
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
 private:
  char* data_;
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

void PutUnix(const DateTextsKey& t, int frac, StackText* b) {
  b->Int(t.unix_seconds);
  PutFraction(t.microseconds, frac, b);
}

void RenderField(DateField field, const WallClock& wc, const DateTextsKey& key,
                 StackText* out) {
  StackText& b = *out;
  const int frac = key.frac_digits;
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
      switch (key.ts_format) {
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
          PutUnix(key, frac, &b);
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
      PutUnix(key, frac, &b);
      break;
  }
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
    StackText b(data_ + used_);
    RenderField(static_cast<DateField>(i), wc_, key_, &b);
    offset_[i] = static_cast<uint16_t>(used_);
    size_[i] = static_cast<uint8_t>(b.size());
    used_ += static_cast<uint32_t>(b.size());
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
    std::array<Slot, 4> slots;
  };
  thread_local Cache cache;
  const DateTextsKey key = MakeDateTextsKey(t, options);
  ++cache.clock;
  Slot* victim = &cache.slots[0];
  for (Slot& s : cache.slots) {
    if (s.valid && s.texts.key() == key) {
      s.last_use = cache.clock;
      return s.texts;
    }
    if (!s.valid || (victim->valid && s.last_use < victim->last_use)) {
      victim = &s;
    }
  }
  victim->valid = true;
  victim->last_use = cache.clock;
  victim->texts.Reset(key);
  return victim->texts;
}

}  // namespace pydest::internal
