// The JSON-lines reader: one JSON object per line.
//
// Well-known top-level fields set the message's core fields (the first field
// of a role wins; docs/input-formats.md lists the names):
//   MESSAGE   message, MESSAGE, msg, MSG
//   HOST      host, HOST, hostname
//   PROGRAM   program, PROGRAM, app, app_name
//   PID       pid, PID
//   MSGID     msgid, MSGID
//   facility  facility, FACILITY          (number 0-23 or name: "auth")
//   severity  severity, SEVERITY, level, LEVEL  (number 0-7 or name: "warn")
//   PRI       pri, PRI                    (number 0-191)
//   stamp     timestamp, time, @timestamp, ISODATE (ISO 8601, or UNIX seconds
//             as a number or numeric string, with an optional fraction)
// A well-known field whose value does not fit its role (an object, a bad
// level name, an unreadable time) is kept as an ordinary field instead.
// Every other field becomes a name-value pair as syslog-ng's json-parser
// makes them (json_values.h), in the order of the line, with json_prefix
// before its name.
//
// A line that is not a JSON object (invalid JSON, an array, a scalar, or
// nesting deeper than kMaxDepth) is a parse error: MESSAGE = the line.
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>

#include "libpydest/message/syslog_names.h"
#include "libpydest/parse/json_values.h"
#include "libpydest/parse/reader_util.h"
#include "libpydest/parse/readers.h"
#include "libpydest/parse/timestamps.h"
#include "pydest/parse.h"

namespace pydest {
namespace parse_internal {
namespace {

// Deeper nesting is refused before parsing, so that neither the parser nor
// the flattening recursion can exhaust the stack on hostile input.
constexpr int kMaxDepth = 128;

enum class Role {
  kNone,
  kMessage,
  kHost,
  kProgram,
  kPid,
  kMsgId,
  kFacility,
  kSeverity,
  kPri,
  kStamp,
};
constexpr int kRoleCount = 10;

Role RoleOf(std::string_view key) {
  struct Entry {
    std::string_view name;
    Role role;
  };
  static constexpr Entry kRoles[] = {
      {"message", Role::kMessage},    {"MESSAGE", Role::kMessage},
      {"msg", Role::kMessage},        {"MSG", Role::kMessage},
      {"host", Role::kHost},          {"HOST", Role::kHost},
      {"hostname", Role::kHost},      {"program", Role::kProgram},
      {"PROGRAM", Role::kProgram},    {"app", Role::kProgram},
      {"app_name", Role::kProgram},   {"pid", Role::kPid},
      {"PID", Role::kPid},            {"msgid", Role::kMsgId},
      {"MSGID", Role::kMsgId},        {"facility", Role::kFacility},
      {"FACILITY", Role::kFacility},  {"severity", Role::kSeverity},
      {"SEVERITY", Role::kSeverity},  {"level", Role::kSeverity},
      {"LEVEL", Role::kSeverity},     {"pri", Role::kPri},
      {"PRI", Role::kPri},            {"timestamp", Role::kStamp},
      {"time", Role::kStamp},         {"@timestamp", Role::kStamp},
      {"ISODATE", Role::kStamp},
  };
  for (const Entry& e : kRoles) {
    if (e.name == key) return e.role;
  }
  return Role::kNone;
}

// Maximum [ / { nesting of the text, strings skipped.
int NestingDepth(std::string_view text) {
  int depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) max_depth = depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return max_depth;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = x - 'A' + 'a';
    if (y >= 'A' && y <= 'Z') y = y - 'A' + 'a';
    if (x != y) return false;
  }
  return true;
}


// A number, or a string holding one, as an int in [lo, hi].
bool IntInRange(const Json& v, int lo, int hi, int* out) {
  long long n;
  if (v.is_number_integer()) {
    n = v.get<long long>();
  } else if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s.empty() || s.size() > 4 ||
        s.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    n = std::stoll(s);
  } else {
    return false;
  }
  if (n < lo || n > hi) return false;
  *out = static_cast<int>(n);
  return true;
}

bool FacilityFromJson(const Json& v, int* facility) {
  if (IntInRange(v, 0, 23, facility)) return true;
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  for (int f = 0; f <= 23; ++f) {
    if (EqualsIgnoreCase(s, internal::FacilityName(f))) {
      *facility = f;
      return true;
    }
  }
  return false;
}

bool SeverityFromJson(const Json& v, int* severity) {
  if (IntInRange(v, 0, 7, severity)) return true;
  if (!v.is_string()) return false;
  // syslog-ng's names plus the spellings common logging libraries use.
  struct Alias {
    std::string_view name;
    int severity;
  };
  static constexpr Alias kAliases[] = {
      {"emerg", 0}, {"emergency", 0}, {"panic", 0}, {"alert", 1},
      {"crit", 2},  {"critical", 2},  {"fatal", 2}, {"err", 3},
      {"error", 3}, {"warning", 4},   {"warn", 4},  {"notice", 5},
      {"info", 6},  {"informational", 6}, {"debug", 7}, {"trace", 7},
  };
  const std::string& s = v.get_ref<const std::string&>();
  for (const Alias& a : kAliases) {
    if (EqualsIgnoreCase(s, a.name)) {
      *severity = a.severity;
      return true;
    }
  }
  return false;
}

// UNIX seconds with an optional fraction, kept to microseconds.
bool StampFromUnixSeconds(double seconds, const ParseOptions& options,
                          Timestamp* out) {
  if (!std::isfinite(seconds) || seconds < -1e12 || seconds > 1e12) {
    return false;
  }
  absl::Time t = absl::FromUnixMicros(
      static_cast<int64_t>(std::llround(seconds * 1e6)));
  *out = Timestamp::FromTime(t, LocalOffsetAt(options, t));
  return true;
}

bool StampFromJson(const Json& v, const ParseOptions& options,
                   Timestamp* out) {
  if (v.is_number()) {
    // Within the accepted range (|seconds| <= 1e12) microseconds stay below
    // 2^53, so the double is exact for integers and microsecond fractions.
    return StampFromUnixSeconds(v.get<double>(), options, out);
  }
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  std::string_view in = s;
  if (auto ts = ConsumeIsoTimestamp(&in, options, IsoSeparator::kTOrSpace);
      ts && in.empty()) {
    *out = *ts;
    return true;
  }
  if (!s.empty() && s.find_first_not_of("0123456789.-") == std::string::npos) {
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end == s.c_str() + s.size()) {
      return StampFromUnixSeconds(d, options, out);
    }
  }
  return false;
}

// Applies a well-known field; false when its value does not fit the role.
bool ApplyRole(Role role, const Json& v, const ParseOptions& options,
               MessageBuilder* b, bool* has_host, bool* has_stamp) {
  std::string text;
  int n;
  Timestamp ts;
  switch (role) {
    case Role::kMessage:
    case Role::kHost:
    case Role::kProgram:
    case Role::kPid:
    case Role::kMsgId:
      if (!RenderScalar(v, &text)) return false;
      if (role == Role::kMessage) b->SetText(text);
      if (role == Role::kHost) {
        b->SetHost(text);
        *has_host = true;
      }
      if (role == Role::kProgram) b->SetProgram(text);
      if (role == Role::kPid) b->SetPid(text);
      if (role == Role::kMsgId) b->SetMsgId(text);
      return true;
    case Role::kFacility:
      if (!FacilityFromJson(v, &n)) return false;
      b->SetFacility(n);
      return true;
    case Role::kSeverity:
      if (!SeverityFromJson(v, &n)) return false;
      b->SetSeverity(n);
      return true;
    case Role::kPri:
      if (!IntInRange(v, 0, 191, &n)) return false;
      b->SetPri(n);
      return true;
    case Role::kStamp:
      if (!StampFromJson(v, options, &ts)) return false;
      b->SetStamp(ts);
      *has_stamp = true;
      return true;
    case Role::kNone:
      break;
  }
  return false;
}

}  // namespace

Message ReadJsonLine(const PreparedLine& line, const ParseOptions& options) {
  if (NestingDepth(line.text) > kMaxDepth) {
    return ParseErrorMessage(line, options);
  }
  Json doc = Json::parse(line.text.begin(), line.text.end(), nullptr,
                         /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return ParseErrorMessage(line, options);
  }

  MessageBuilder b = StartMessage(line, options);
  b.SetText("");
  // PRI first, so that facility/severity fields refine it whatever their
  // order in the object.
  const Json* role_value[kRoleCount] = {};
  for (const auto& item : doc.items()) {
    Role role = RoleOf(item.key());
    if (role != Role::kNone && role_value[static_cast<int>(role)] == nullptr) {
      role_value[static_cast<int>(role)] = &item.value();
    }
  }
  bool has_host = false, has_stamp = false;
  bool applied[kRoleCount] = {};
  for (Role role : {Role::kPri, Role::kFacility, Role::kSeverity,
                    Role::kMessage, Role::kHost, Role::kProgram, Role::kPid,
                    Role::kMsgId, Role::kStamp}) {
    const Json* v = role_value[static_cast<int>(role)];
    if (v != nullptr) {
      applied[static_cast<int>(role)] =
          ApplyRole(role, *v, options, &b, &has_host, &has_stamp);
    }
  }
  if (!has_host) b.SetHost(HostFrom(options));
  if (!has_stamp) StampWithReceiveTime(line, options, &b);

  std::string name;
  for (const auto& item : doc.items()) {
    Role role = RoleOf(item.key());
    if (role != Role::kNone && applied[static_cast<int>(role)] &&
        role_value[static_cast<int>(role)] == &item.value()) {
      continue;
    }
    name = options.json_prefix;
    name.append(item.key());
    AddField(&name, item.value(), &b);
  }
  return b.Build();
}

}  // namespace parse_internal

Message ParseJsonLine(std::string_view line, const ParseOptions& options) {
  return parse_internal::ReadJsonLine(
      parse_internal::PrepareLine(line, options), options);
}

}  // namespace pydest
