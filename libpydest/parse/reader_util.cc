// Shared pieces of the readers; see reader_util.h.
#include "libpydest/parse/reader_util.h"

#include <unistd.h>

#include <climits>
#include <string>

#include "absl/time/clock.h"

namespace pydest::parse_internal {
namespace {

const absl::TimeZone& LocalZone() {
  // Looked up once: the zone database lookup is not free, and a process
  // changing TZ while parsing is not a case worth paying for on every line.
  static const absl::TimeZone* zone = new absl::TimeZone(absl::LocalTimeZone());
  return *zone;
}

const std::string& MachineHostName() {
  // syslog-ng's use-fqdn(no): HOST_FROM is the short name.
  static const std::string* name = [] {
    char buf[HOST_NAME_MAX + 1] = {};
    std::string n;
    if (gethostname(buf, sizeof(buf) - 1) == 0) n = buf;
    size_t dot = n.find('.');
    if (dot != std::string::npos && dot > 0) n.resize(dot);
    if (n.empty()) n = "localhost";
    return new std::string(std::move(n));
  }();
  return *name;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "+hh:mm", "-hh:mm", "+hhmm", "-hhmm", "+hh" or "Z" at the start of *in.
bool ConsumeZone(std::string_view* in, int32_t* offset_seconds) {
  std::string_view s = *in;
  if (s.empty()) return false;
  if (s[0] == 'Z' || s[0] == 'z') {
    *offset_seconds = 0;
    in->remove_prefix(1);
    return true;
  }
  if (s[0] != '+' && s[0] != '-') return false;
  int sign = s[0] == '-' ? -1 : 1;
  s.remove_prefix(1);
  if (s.size() < 2 || !IsDigit(s[0]) || !IsDigit(s[1])) return false;
  int hours = (s[0] - '0') * 10 + (s[1] - '0');
  s.remove_prefix(2);
  int minutes = 0;
  if (!s.empty() && s[0] == ':') s.remove_prefix(1);
  if (s.size() >= 2 && IsDigit(s[0]) && IsDigit(s[1])) {
    minutes = (s[0] - '0') * 10 + (s[1] - '0');
    s.remove_prefix(2);
  }
  if (hours > 23 || minutes > 59) return false;
  *offset_seconds = sign * (hours * 3600 + minutes * 60);
  *in = s;
  return true;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p < len) return false;
    for (int i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are
    // not UTF-8 (Python's bytes.decode('utf-8') rejects them too).
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    p += len;
  }
  return true;
}

PreparedLine PrepareLine(std::string_view line, const ParseOptions& options) {
  PreparedLine out;
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // syslog-ng's log-msg-size(): longer input is cut, not dropped.
  if (options.max_line_size > 0 && line.size() > options.max_line_size) {
    line = line.substr(0, options.max_line_size);
    out.flags |= kMessageTruncated;
  }
  if (!IsValidUtf8(line)) out.flags |= kMessageInvalidUtf8;
  out.text = line;
  out.received = options.received == absl::InfinitePast() ? absl::Now()
                                                          : options.received;
  return out;
}

int32_t LocalOffsetAt(const ParseOptions& options, absl::Time t) {
  if (options.has_local_utc_offset) return options.local_utc_offset_seconds;
  return LocalZone().At(t).offset;
}

absl::Time LocalCivilToTime(const ParseOptions& options,
                            absl::CivilSecond civil, int32_t* offset_seconds) {
  if (options.has_local_utc_offset) {
    *offset_seconds = options.local_utc_offset_seconds;
    return absl::FromCivil(civil, absl::UTCTimeZone()) -
           absl::Seconds(options.local_utc_offset_seconds);
  }
  // In a DST gap or overlap, take the earlier reading.
  absl::Time t = LocalZone().At(civil).pre;
  *offset_seconds = LocalZone().At(t).offset;
  return t;
}

std::string_view HostFrom(const ParseOptions& options) {
  if (!options.host_from.empty()) return options.host_from;
  return MachineHostName();
}

MessageBuilder StartMessage(const PreparedLine& line,
                            const ParseOptions& options) {
  MessageBuilder b;
  b.SetReceived(Timestamp::FromTime(line.received,
                                    LocalOffsetAt(options, line.received)));
  b.SetPri(options.default_pri);
  b.AddFlags(line.flags);
  b.Set(kHostFrom, HostFrom(options));
  if (!options.source_name.empty()) b.Set(kSource, options.source_name);
  if (!options.file_name.empty()) b.Set(kFileName, options.file_name);
  return b;
}

void StampWithReceiveTime(const PreparedLine& line,
                          const ParseOptions& options, MessageBuilder* b) {
  b->SetStamp(Timestamp::FromTime(line.received,
                                  LocalOffsetAt(options, line.received)));
}

Message ParseErrorMessage(const PreparedLine& line,
                          const ParseOptions& options) {
  MessageBuilder b = StartMessage(line, options);
  StampWithReceiveTime(line, options, &b);
  b.AddFlags(kMessageParseError);
  b.SetHost(HostFrom(options));
  b.SetText(line.text);
  return b.Build();
}

bool ConsumeNumber(std::string_view* in, int max_digits, int* value) {
  int v = 0;
  int n = 0;
  while (n < max_digits && n < static_cast<int>(in->size()) &&
         IsDigit((*in)[n])) {
    v = v * 10 + ((*in)[n] - '0');
    ++n;
  }
  if (n == 0) return false;
  in->remove_prefix(n);
  *value = v;
  return true;
}

bool ConsumeFraction(std::string_view* in, int32_t* microseconds) {
  if (in->size() < 2 || ((*in)[0] != '.' && (*in)[0] != ',') ||
      !IsDigit((*in)[1])) {
    return false;
  }
  size_t i = 1;
  int32_t us = 0;
  int digits = 0;
  while (i < in->size() && IsDigit((*in)[i])) {
    if (digits < 6) {
      us = us * 10 + ((*in)[i] - '0');
      ++digits;
    }
    ++i;
  }
  for (; digits < 6; ++digits) us *= 10;
  in->remove_prefix(i);
  *microseconds = us;
  return true;
}

std::optional<Timestamp> ConsumeIsoTimestamp(std::string_view* in,
                                             const ParseOptions& options) {
  std::string_view s = *in;
  int year, month, day, hour, minute, second;
  auto expect = [&s](char c) {
    if (s.empty() || s[0] != c) return false;
    s.remove_prefix(1);
    return true;
  };
  if (s.size() < 19 || !IsDigit(s[0]) || !IsDigit(s[3]) || s[4] != '-') {
    return std::nullopt;
  }
  if (!ConsumeNumber(&s, 4, &year) || !expect('-') ||
      !ConsumeNumber(&s, 2, &month) || !expect('-') ||
      !ConsumeNumber(&s, 2, &day)) {
    return std::nullopt;
  }
  if (s.empty() || (s[0] != 'T' && s[0] != 't' && s[0] != ' ')) {
    return std::nullopt;
  }
  s.remove_prefix(1);
  if (!ConsumeNumber(&s, 2, &hour) || !expect(':') ||
      !ConsumeNumber(&s, 2, &minute) || !expect(':') ||
      !ConsumeNumber(&s, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  absl::CivilDay civil_day(year, month, day);
  if (civil_day.day() != day) return std::nullopt;  // e.g. Feb 30
  int32_t usec = 0;
  ConsumeFraction(&s, &usec);
  if (second == 60) second = 59;  // a leap second: keep it in its minute
  absl::CivilSecond civil(year, month, day, hour, minute, second);
  int32_t offset = 0;
  absl::Time t;
  if (ConsumeZone(&s, &offset)) {
    t = absl::FromCivil(civil, absl::UTCTimeZone()) - absl::Seconds(offset);
  } else {
    t = LocalCivilToTime(options, civil, &offset);
  }
  Timestamp ts = Timestamp::FromTime(t, offset);
  ts.microseconds = usec;
  *in = s;
  return ts;
}

}  // namespace pydest::parse_internal
