// The RFC 5424 reader (syslog-ng's flags(syslog-protocol)):
//
//   <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP
//   STRUCTURED-DATA [SP MSG]
//
// "-" is the nil value: a nil TIMESTAMP means the receive time, a nil
// HOSTNAME means HOST = HOST_FROM, and nil APP-NAME/PROCID/MSGID leave
// PROGRAM/PID/MSGID unset (as syslog-ng does; golden rfc5424 #1, #3). The
// timestamp keeps its fraction to microseconds and its zone offset.
// Structured data elements become .SDATA.<SD-ID>.<PARAM> pairs; in values
// the escapes \" \\ \] stand for the character, any other backslash is kept.
// A UTF-8 BOM that starts MSG is dropped. No LEGACY_MSGHDR: the header is
// not a BSD one. <PRI> is optional (default-priority()). A line whose
// version is not "1" is read by the RFC 3164 reader, as syslog-ng does.
// Anything else that does not fit the grammar makes the whole line a parse
// error (MESSAGE = the line), where syslog-ng would replace it with an
// "Error processing log message" text. Field lengths are not capped (syslog-ng
// cuts APP-NAME at 48, PROCID at 128, MSGID at 32 bytes).
#include <string>
#include <string_view>

#include "libpydest/parse/reader_util.h"
#include "libpydest/parse/readers.h"
#include "libpydest/parse/timestamps.h"
#include "pydest/parse.h"

namespace pydest {
namespace parse_internal {
namespace {

constexpr std::string_view kNil = "-";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The next SP-terminated header field; false when no SP follows.
bool ConsumeField(std::string_view* in, std::string_view* field) {
  size_t sp = in->find(' ');
  if (sp == std::string_view::npos || sp == 0) return false;
  *field = in->substr(0, sp);
  in->remove_prefix(sp + 1);
  return true;
}

// SD-NAME characters (RFC 5424 section 6.3.2): printable US-ASCII except
// '=', SP, ']' and '"'.
bool IsSdNameChar(char c) {
  return c > 32 && c < 127 && c != '=' && c != ']' && c != '"';
}

std::string_view ConsumeSdName(std::string_view* in) {
  size_t i = 0;
  while (i < in->size() && IsSdNameChar((*in)[i])) ++i;
  std::string_view name = in->substr(0, i);
  in->remove_prefix(i);
  return name;
}

// A quoted PARAM-VALUE with its escapes resolved. An unescaped ']' is an
// error, as in syslog-ng (RFC 5424 requires escaping it).
bool ConsumeSdValue(std::string_view* in, std::string* value) {
  if (in->empty() || (*in)[0] != '"') return false;
  value->clear();
  for (size_t i = 1; i < in->size(); ++i) {
    char c = (*in)[i];
    if (c == '"') {
      in->remove_prefix(i + 1);
      return true;
    }
    if (c == ']') return false;
    if (c == '\\' && i + 1 < in->size()) {
      char next = (*in)[i + 1];
      if (next == '"' || next == '\\' || next == ']') {
        value->push_back(next);
        ++i;
        continue;
      }
    }
    value->push_back(c);
  }
  return false;  // unterminated
}

// STRUCTURED-DATA: "-" or one or more "[SD-ID *(SP PARAM="VALUE")]", with
// exactly one space before each parameter.
bool ConsumeStructuredData(std::string_view* in, MessageBuilder* b) {
  std::string_view s = *in;
  if (s.substr(0, 1) == kNil) {
    in->remove_prefix(1);
    return true;
  }
  if (s.empty() || s[0] != '[') return false;
  std::string value;
  while (!s.empty() && s[0] == '[') {
    s.remove_prefix(1);
    std::string_view id = ConsumeSdName(&s);
    if (id.empty()) return false;
    bool has_params = false;
    while (!s.empty() && s[0] != ']') {
      if (s[0] != ' ') return false;
      s.remove_prefix(1);
      std::string_view name = ConsumeSdName(&s);
      if (name.empty() || s.empty() || s[0] != '=') return false;
      s.remove_prefix(1);
      if (!ConsumeSdValue(&s, &value)) return false;
      b->AddSdParam(id, name, value);
      has_params = true;
    }
    if (s.empty()) return false;
    s.remove_prefix(1);  // ']'
    if (!has_params) b->AddSdElement(id);
  }
  *in = s;
  return true;
}

}  // namespace

Message ReadRfc5424(const PreparedLine& line, const ParseOptions& options) {
  std::string_view s = line.text;
  auto error = [&] { return ParseErrorMessage(line, options); };

  int pri = options.default_pri;
  if (ConsumePri(&s, &pri) == PriResult::kMalformed) return error();
  // VERSION: a line that is not version 1 is no RFC 5424 line; syslog-ng
  // hands it to its RFC 3164 parser.
  if (s == "1") return error();
  if (s.substr(0, 2) != "1 ") return ReadRfc3164(line, options);
  s.remove_prefix(2);

  MessageBuilder b = StartMessage(line, options);
  b.SetPri(pri);

  if (s.substr(0, 2) == "- ") {
    StampWithReceiveTime(line, options, &b);
    s.remove_prefix(2);
  } else {
    std::optional<Timestamp> stamp = ConsumeIsoTimestamp(&s, options);
    if (!stamp || s.empty() || s[0] != ' ') return error();
    s.remove_prefix(1);
    b.SetStamp(*stamp);
  }

  std::string_view host, app, procid, msgid;
  if (!ConsumeField(&s, &host) || !ConsumeField(&s, &app) ||
      !ConsumeField(&s, &procid) || !ConsumeField(&s, &msgid)) {
    return error();
  }
  b.SetHost(host == kNil ? HostFrom(options) : LineHost(host, options));
  if (app != kNil) b.SetProgram(app);
  if (procid != kNil) b.SetPid(procid);
  if (msgid != kNil) b.SetMsgId(msgid);

  if (!ConsumeStructuredData(&s, &b)) return error();
  if (!s.empty()) {
    if (s[0] != ' ') return error();
    s.remove_prefix(1);
    if (s.substr(0, kUtf8Bom.size()) == kUtf8Bom) s.remove_prefix(kUtf8Bom.size());
  }
  b.SetText(s);
  return b.Build();
}

}  // namespace parse_internal

Message ParseRfc5424(std::string_view line, const ParseOptions& options) {
  return parse_internal::ReadRfc5424(parse_internal::PrepareLine(line, options),
                                     options);
}

}  // namespace pydest
