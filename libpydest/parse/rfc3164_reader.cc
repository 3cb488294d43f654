// The RFC 3164 (BSD syslog) reader, with syslog-ng 3.38's lenient legacy
// rules (keep-hostname(yes)):
//
//   [<PRI>][SEQ: ][*|.][TIMESTAMP[:] [HOST ]][PROGRAM[[PID]][:][ ]]MESSAGE
//
// - <PRI> is optional (missing: default-priority(), user.notice); a "<" that
//   does not open a valid PRI (digits, at most 191, then ">") makes the line
//   a parse error.
// - A Cisco sequence number ("123: ") becomes .SDATA.meta.sequenceId; blanks
//   before the timestamp are skipped.
// - TIMESTAMP: see timestamps.h. A Cisco sync marker before it ('*' unsynced,
//   '.' synced) becomes .SDATA.timeQuality.isSynced, and a ':' after it is
//   skipped. No timestamp: the event time is the receive time.
// - HOST is read only after a timestamp: the next word, if a space ends it
//   (not '[', nor a ':' unless the word looks like an IPv6 address). AIX's
//   "Message forwarded from HOST: " names the host too. Otherwise HOST =
//   HOST_FROM. After "last message repeated" nothing more is parsed.
// - PROGRAM runs to ' ', ':' or '['; a "[PID]" may follow; LEGACY_MSGHDR is
//   the header text exactly as written, up to and including one space after
//   the colon. Both are set even when empty, as syslog-ng sets them. A line
//   without any header therefore gets its first word as PROGRAM (golden:
//   "just a plain line ...").
#include <optional>
#include <string_view>

#include "libpydest/parse/reader_util.h"
#include "libpydest/parse/readers.h"
#include "libpydest/parse/timestamps.h"
#include "pydest/parse.h"

namespace pydest {
namespace parse_internal {
namespace {

constexpr std::string_view kAixForwarded = "Message forwarded from ";
constexpr std::string_view kRepeated = "last message repeated";
constexpr size_t kMaxHostNameLength = 255;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

void SkipSpaces(std::string_view* in) {
  size_t i = 0;
  while (i < in->size() && (*in)[i] == ' ') ++i;
  in->remove_prefix(i);
}

// Cisco IOS numbers its messages: "<PRI>123: ...".
void ConsumeCiscoSequenceId(std::string_view* in, MessageBuilder* b) {
  size_t i = 0;
  while (i < in->size() && IsDigit((*in)[i])) ++i;
  if (i == 0 || i + 1 >= in->size() || (*in)[i] != ':' ||
      (*in)[i + 1] != ' ') {
    return;
  }
  b->AddSdParam("meta", "sequenceId", in->substr(0, i));
  in->remove_prefix(i + 1);
}

// The host name after a timestamp: a word that a space ends. '[' ends it
// too, and so does ':' unless everything so far could be an IPv6 address
// (hex groups of at most 4 digits, fewer than 8 colons).
bool ConsumeHostName(std::string_view* in, std::string_view* host) {
  bool maybe_ipv6 = true;
  int group_digits = 0, colons = 0;
  size_t i = 0;
  for (; i < in->size() && i <= kMaxHostNameLength; ++i) {
    char c = (*in)[i];
    if (c == ' ' || c == '[') break;
    if (c == ':') {
      group_digits = 0;
      if (++colons >= 8) maybe_ipv6 = false;
      if (!maybe_ipv6) break;
    } else if (!IsHexDigit(c) || ++group_digits > 4) {
      maybe_ipv6 = false;
    }
  }
  if (i == 0 || i > kMaxHostNameLength || i >= in->size() ||
      (*in)[i] != ' ') {
    return false;
  }
  *host = in->substr(0, i);
  in->remove_prefix(i + 1);
  return true;
}

// PROGRAM[PID]: -- LEGACY_MSGHDR is the header as written.
void ConsumeProgram(std::string_view* in, MessageBuilder* b) {
  std::string_view s = *in;
  size_t i = 0;
  while (i < s.size() && s[i] != ' ' && s[i] != ':' && s[i] != '[') ++i;
  b->SetProgram(s.substr(0, i));
  if (i < s.size() && s[i] == '[') {
    size_t pid_start = ++i;
    while (i < s.size() && s[i] != ']' && s[i] != ' ' && s[i] != ':') ++i;
    // A PID cut off by the end of the line is not taken (syslog-ng).
    if (i < s.size()) b->SetPid(s.substr(pid_start, i - pid_start));
    if (i < s.size() && s[i] == ']') ++i;
  }
  if (i < s.size() && s[i] == ':') ++i;
  if (i < s.size() && s[i] == ' ') ++i;
  b->Set(kLegacyMsgHdr, s.substr(0, i));
  in->remove_prefix(i);
}

// The timestamp, with the Cisco sync marker before it and the colon after.
std::optional<Timestamp> ConsumeTimestamp(std::string_view* in,
                                          const PreparedLine& line,
                                          const ParseOptions& options,
                                          MessageBuilder* b) {
  std::string_view s = *in;
  char marker = 0;
  if (!s.empty() && (s[0] == '*' || s[0] == '.')) {
    marker = s[0];
    s.remove_prefix(1);
  }
  std::optional<Timestamp> stamp = ConsumeIsoTimestamp(&s, options);
  if (!stamp) stamp = ConsumeBsdTimestamp(&s, line.received, options);
  // The marker is only taken with a timestamp after it (syslog-ng drops it
  // from any line, eating the first character of ".profile changed").
  if (!stamp) return std::nullopt;
  if (marker != 0) {
    b->AddSdParam("timeQuality", "isSynced", marker == '.' ? "1" : "0");
  }
  if (!s.empty() && s[0] == ':') s.remove_prefix(1);
  *in = s;
  return stamp;
}

}  // namespace

Message ReadRfc3164(const PreparedLine& line, const ParseOptions& options) {
  std::string_view s = line.text;
  int pri = options.default_pri;
  if (ConsumePri(&s, &pri) == PriResult::kMalformed) {
    return ParseErrorMessage(line, options);
  }
  MessageBuilder b = StartMessage(line, options);
  b.SetPri(pri);
  ConsumeCiscoSequenceId(&s, &b);
  SkipSpaces(&s);

  std::optional<std::string_view> host;
  if (std::optional<Timestamp> stamp = ConsumeTimestamp(&s, line, options, &b)) {
    b.SetStamp(*stamp);
    SkipSpaces(&s);
    if (s.substr(0, kAixForwarded.size()) == kAixForwarded) {
      s.remove_prefix(kAixForwarded.size());
      size_t colon = s.find(':');
      host = s.substr(0, colon);
      s.remove_prefix(host->size());
      while (!s.empty() && (s[0] == ' ' || s[0] == ':')) s.remove_prefix(1);
    }
    if (s.substr(0, kRepeated.size()) != kRepeated) {
      if (!host) {
        std::string_view name;
        if (ConsumeHostName(&s, &name)) host = name;
        SkipSpaces(&s);
      }
      ConsumeProgram(&s, &b);
    }
  } else {
    StampWithReceiveTime(line, options, &b);
    ConsumeProgram(&s, &b);
  }
  b.SetHost(host ? LineHost(*host, options) : HostFrom(options));
  b.SetText(s);
  return b.Build();
}

}  // namespace parse_internal

Message ParseRfc3164(std::string_view line, const ParseOptions& options) {
  return parse_internal::ReadRfc3164(parse_internal::PrepareLine(line, options),
                                     options);
}

}  // namespace pydest
