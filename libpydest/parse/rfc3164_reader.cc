// The RFC 3164 (BSD syslog) reader, with syslog-ng's lenient legacy rules:
//
//   [<PRI>][TIMESTAMP SP [HOST SP]][PROGRAM[[PID]][:][SP]]MESSAGE
//
// - <PRI> is optional (missing: default-priority(), user.notice); a "<" that
//   does not open a valid PRI (digits, at most 191, then ">") makes the line
//   a parse error.
// - TIMESTAMP is "Mmm dd hh:mm:ss" (day space- or zero-padded; an optional
//   ".fraction"; an optional year before the time, as Cisco sends it), or the
//   ISO 8601 form syslog-ng also accepts after the PRI. It carries no year
//   and no zone: the zone is the receiving host's, the year is guessed from
//   the receive time. No timestamp: the event time is the receive time.
// - HOST is read only after a timestamp (keep-hostname(yes)): the next word,
//   if it ends at a space and not at ':' or '['. Otherwise HOST = HOST_FROM.
// - PROGRAM runs to ' ', ':' or '['; "[PID]" follows it; LEGACY_MSGHDR is the
//   header text exactly as written, up to and including one space after the
//   colon. A line without any header therefore gets its first word as
//   PROGRAM, as syslog-ng does (golden: "just a plain line ...").
#include <string_view>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libpydest/parse/reader_util.h"
#include "libpydest/parse/readers.h"
#include "pydest/parse.h"

namespace pydest {
namespace parse_internal {
namespace {

constexpr int kMaxPri = 191;  // facility 23, severity 7

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c; }

// "Jan".."Dec" (any case) -> 1..12, or 0.
int MonthFromAbbrev(std::string_view s) {
  static constexpr std::string_view kMonths[] = {
      "jan", "feb", "mar", "apr", "may", "jun",
      "jul", "aug", "sep", "oct", "nov", "dec"};
  if (s.size() < 3) return 0;
  for (int i = 0; i < 12; ++i) {
    if (Lower(s[0]) == kMonths[i][0] && Lower(s[1]) == kMonths[i][1] &&
        Lower(s[2]) == kMonths[i][2]) {
      return i + 1;
    }
  }
  return 0;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The year of a stamp that has none. The receive year, unless that puts the
// stamp more than a month into the future (a December line read in January
// is from last year), or the stamp is January and we are in December (the
// sender's clock is a little ahead).
int GuessYear(int month, absl::Time received, const ParseOptions& options) {
  int32_t offset = LocalOffsetAt(options, received);
  absl::CivilSecond now =
      absl::ToCivilSecond(received + absl::Seconds(offset), absl::UTCTimeZone());
  int diff = month - now.month();
  if (diff > 1) return static_cast<int>(now.year()) - 1;
  if (diff < -10) return static_cast<int>(now.year()) + 1;
  return static_cast<int>(now.year());
}

// "Mmm dd [yyyy ]hh:mm:ss[.frac]" followed by a space or the end.
std::optional<Timestamp> ConsumeBsdTimestamp(std::string_view* in,
                                             const PreparedLine& line,
                                             const ParseOptions& options) {
  std::string_view s = *in;
  int month = MonthFromAbbrev(s);
  if (month == 0 || s.size() < 4 || s[3] != ' ') return std::nullopt;
  s.remove_prefix(4);
  if (!s.empty() && s[0] == ' ') s.remove_prefix(1);  // "Feb  5"
  int day, hour, minute, second;
  int year = 0;
  if (!ConsumeNumber(&s, 2, &day) || day < 1 || day > 31 || s.empty() ||
      s[0] != ' ') {
    return std::nullopt;
  }
  s.remove_prefix(1);
  if (s.size() > 4 && IsDigit(s[0]) && IsDigit(s[1]) && IsDigit(s[2]) &&
      IsDigit(s[3]) && s[4] == ' ') {
    ConsumeNumber(&s, 4, &year);
    s.remove_prefix(1);
  }
  if (s.size() < 8 || s[2] != ':' || s[5] != ':') return std::nullopt;
  if (!ConsumeNumber(&s, 2, &hour) || s[0] != ':') return std::nullopt;
  s.remove_prefix(1);
  if (!ConsumeNumber(&s, 2, &minute) || s[0] != ':') return std::nullopt;
  s.remove_prefix(1);
  if (!ConsumeNumber(&s, 2, &second)) return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  int32_t usec = 0;
  ConsumeFraction(&s, &usec);
  if (!s.empty() && s[0] != ' ') return std::nullopt;
  if (year == 0) year = GuessYear(month, line.received, options);
  if (second == 60) second = 59;
  int32_t offset = 0;
  absl::Time t = LocalCivilToTime(
      options, absl::CivilSecond(year, month, day, hour, minute, second),
      &offset);
  Timestamp ts = Timestamp::FromTime(t, offset);
  ts.microseconds = usec;
  *in = s;
  return ts;
}

// "<PRI>" at the start of *in. Returns false for a malformed PRI; *has_pri
// says whether there was one at all.
bool ConsumePri(std::string_view* in, bool* has_pri, int* pri) {
  *has_pri = false;
  if (in->empty() || (*in)[0] != '<') return true;
  std::string_view s = in->substr(1);
  int value;
  if (!ConsumeNumber(&s, 3, &value) || s.empty() || s[0] != '>' ||
      value > kMaxPri) {
    return false;
  }
  s.remove_prefix(1);
  *in = s;
  *has_pri = true;
  *pri = value;
  return true;
}

// The host name after a timestamp: a word ended by a space (not by ':' or
// '[', which mark a PROGRAM instead).
bool ConsumeHostName(std::string_view* in, std::string_view* host) {
  size_t i = 0;
  while (i < in->size() && (*in)[i] != ' ' && (*in)[i] != ':' &&
         (*in)[i] != '[') {
    ++i;
  }
  if (i == 0 || i == in->size() || (*in)[i] != ' ') return false;
  *host = in->substr(0, i);
  in->remove_prefix(i + 1);
  return true;
}

}  // namespace

Message ReadRfc3164(const PreparedLine& line, const ParseOptions& options) {
  std::string_view s = line.text;
  bool has_pri;
  int pri = options.default_pri;
  if (!ConsumePri(&s, &has_pri, &pri)) return ParseErrorMessage(line, options);

  MessageBuilder b = StartMessage(line, options);
  if (has_pri) b.SetPri(pri);

  std::optional<Timestamp> stamp = ConsumeBsdTimestamp(&s, line, options);
  if (!stamp) {
    std::string_view iso = s;
    stamp = ConsumeIsoTimestamp(&iso, options);
    if (stamp && !iso.empty() && iso[0] != ' ') stamp.reset();
    if (stamp) s = iso;
  }
  bool has_host = false;
  if (stamp) {
    b.SetStamp(*stamp);
    while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
    std::string_view host;
    if (ConsumeHostName(&s, &host)) {
      b.SetHost(host);
      has_host = true;
    }
  } else {
    StampWithReceiveTime(line, options, &b);
  }
  if (!has_host) b.SetHost(HostFrom(options));

  // PROGRAM[PID]: -- LEGACY_MSGHDR is the header as written.
  std::string_view header_start = s;
  size_t i = 0;
  while (i < s.size() && s[i] != ' ' && s[i] != ':' && s[i] != '[') ++i;
  if (i > 0) {
    b.SetProgram(s.substr(0, i));
    if (i < s.size() && s[i] == '[') {
      size_t pid_start = ++i;
      while (i < s.size() && s[i] != ']' && s[i] != ' ' && s[i] != ':') ++i;
      if (i > pid_start) b.SetPid(s.substr(pid_start, i - pid_start));
      if (i < s.size() && s[i] == ']') ++i;
    }
    if (i < s.size() && s[i] == ':') ++i;
    if (i < s.size() && s[i] == ' ') ++i;
    b.Set(kLegacyMsgHdr, header_start.substr(0, i));
    s.remove_prefix(i);
  }
  b.SetText(s);
  return b.Build();
}

}  // namespace parse_internal

Message ParseRfc3164(std::string_view line, const ParseOptions& options) {
  return parse_internal::ReadRfc3164(parse_internal::PrepareLine(line, options),
                                     options);
}

}  // namespace pydest
