// DateTexts: the texts of syslog-ng's date fields ($DATE, $ISODATE, $YEAR,
// ... see DateField) for one timestamp, each rendered at most once and kept.
//
// A message's date macros show few distinct timestamps (the unprefixed and
// S_ forms share the stamp; C_ and P_ usually share the batch's clock read)
// but many fields of each: the all-macros scope asks for 27 fields of each
// of five prefixes. Breaking a timestamp down and rendering its fields once,
// then copying bytes, is what makes value-pairs(scope(everything)) cheap.
//
// ThreadDateTexts hands out the calling thread's cache; nothing here
// allocates. A DateTexts is not thread-safe; each thread has its own.
#ifndef LIBPYDEST_MESSAGE_DATE_TEXTS_H_
#define LIBPYDEST_MESSAGE_DATE_TEXTS_H_

#include <cstdint>
#include <string_view>

#include "libpydest/message/date_macros.h"
#include "libpydest/message/wall_clock.h"
#include "pydest/template_options.h"
#include "pydest/timestamp.h"

namespace pydest::internal {

// ts-format() as $STAMP renders it: rfc3164/bsd, rfc3339/iso, full, unix.
enum class TsFormat : uint8_t { kBsd, kIso, kFull, kUnix };
// Anything else is rfc3164, as in syslog-ng.
TsFormat ParseTsFormat(std::string_view text);

// How many DateField values there are; a field's bit in a mask is
// 1u << static_cast<int>(field).
inline constexpr int kDateFieldCount = 25;
inline constexpr uint32_t kAllDateFields = (1u << kDateFieldCount) - 1;
inline constexpr uint32_t DateFieldBit(DateField f) {
  return 1u << static_cast<int>(f);
}

// Everything the text of a date field depends on.
struct DateTextsKey {
  int64_t unix_seconds = 0;
  int32_t microseconds = 0;
  int32_t display_offset = 0;  // DisplayOffset(): the zone shown
  int32_t frac_digits = 0;
  TsFormat ts_format = TsFormat::kBsd;

  friend bool operator==(const DateTextsKey& a, const DateTextsKey& b) {
    return a.unix_seconds == b.unix_seconds &&
           a.microseconds == b.microseconds &&
           a.display_offset == b.display_offset &&
           a.frac_digits == b.frac_digits && a.ts_format == b.ts_format;
  }
};

// The key of timestamp `t` shown under `options`.
DateTextsKey MakeDateTextsKey(const Timestamp& t,
                              const TemplateOptions& options);

class DateTexts {
 public:
  // The longest text of one field ($ISODATE with a 20-digit year is 48).
  static constexpr int kMaxFieldSize = 80;

  // Starts over for `key`: no field rendered yet.
  void Reset(const DateTextsKey& key);
  const DateTextsKey& key() const { return key_; }

  // Renders the fields of `mask` that are not rendered yet.
  void Render(uint32_t mask) {
    if ((rendered_ & mask) != mask) RenderMissing(mask);
  }
  // The text of `f`, rendered if needed; valid until the next Reset.
  std::string_view Field(DateField f) {
    Render(DateFieldBit(f));
    int i = static_cast<int>(f);
    return std::string_view(data_ + offset_[i], size_[i]);
  }

  // The rendered fields' texts, back to back in no particular order;
  // field f is at [offset(f), offset(f) + size(f)) once rendered.
  const char* data() const { return data_; }
  uint32_t size() const { return used_; }
  uint16_t offset(DateField f) const { return offset_[static_cast<int>(f)]; }
  uint8_t field_size(DateField f) const {
    return size_[static_cast<int>(f)];
  }
  const uint16_t* offsets() const { return offset_; }
  const uint8_t* sizes() const { return size_; }

 private:
  void RenderMissing(uint32_t mask);

  DateTextsKey key_;
  WallClock wc_;
  uint32_t rendered_ = 0;
  uint32_t used_ = 0;
  uint16_t offset_[kDateFieldCount] = {};
  uint8_t size_[kDateFieldCount] = {};
  char data_[kDateFieldCount * kMaxFieldSize];
};

// The calling thread's DateTexts for `t` under `options`: one of the four
// it used last (least recently used is replaced), so the DateTexts returned
// by the last four calls on this thread stay valid — enough for the four
// timestamps a message has (stamp, received, current, processed).
DateTexts& ThreadDateTexts(const Timestamp& t, const TemplateOptions& options);

}  // namespace pydest::internal

#endif  // LIBPYDEST_MESSAGE_DATE_TEXTS_H_
