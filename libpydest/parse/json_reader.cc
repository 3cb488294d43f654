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
// Only scalar members take a role. A well-known field whose value does not
// fit its role (a bad level name, an unreadable time) is kept as an ordinary
// field instead. Every other field becomes a name-value pair as syslog-ng's
// json-parser makes them (json_fields.h), in the order of the line, with
// json_prefix before its name.
//
// A top-level "@dead_letter" member (the metadata of a dead-letter file's
// line, docs/dead-letters.md) is left out, so such a file replays as the
// messages that were dropped.
//
// A line that is not a JSON object (invalid JSON, an array, a scalar, or
// nesting deeper than kMaxJsonDepth) is a parse error: MESSAGE = the line.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "libpydest/message/syslog_names.h"
#include "libpydest/parse/json_fields.h"
#include "libpydest/parse/reader_util.h"
#include "libpydest/parse/readers.h"
#include "libpydest/parse/timestamps.h"
#include "pydest/parse.h"

namespace pydest {
namespace parse_internal {
namespace {

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
bool IntInRange(const JsonField& f, int lo, int hi, int* out) {
  long long n;
  if (f.kind == JsonField::Kind::kInteger) {
    if (f.number < lo || f.number > hi) return false;
    n = static_cast<long long>(f.number);
  } else if (f.kind == JsonField::Kind::kString) {
    const std::string& s = f.text;
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

bool FacilityFromJson(const JsonField& f, int* facility) {
  if (IntInRange(f, 0, 23, facility)) return true;
  if (f.kind != JsonField::Kind::kString) return false;
  for (int n = 0; n <= 23; ++n) {
    if (EqualsIgnoreCase(f.text, internal::FacilityName(n))) {
      *facility = n;
      return true;
    }
  }
  return false;
}

bool SeverityFromJson(const JsonField& f, int* severity) {
  if (IntInRange(f, 0, 7, severity)) return true;
  if (f.kind != JsonField::Kind::kString) return false;
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
  for (const Alias& a : kAliases) {
    if (EqualsIgnoreCase(f.text, a.name)) {
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

bool StampFromJson(const JsonField& f, const ParseOptions& options,
                   Timestamp* out) {
  if (f.kind == JsonField::Kind::kInteger ||
      f.kind == JsonField::Kind::kFloat) {
    // Within the accepted range (|seconds| <= 1e12) microseconds stay below
    // 2^53, so the double is exact for integers and microsecond fractions.
    return StampFromUnixSeconds(f.number, options, out);
  }
  if (f.kind != JsonField::Kind::kString) return false;
  const std::string& s = f.text;
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
bool ApplyRole(Role role, const JsonField& f, const ParseOptions& options,
               MessageBuilder* b, bool* has_host, bool* has_stamp) {
  int n;
  Timestamp ts;
  switch (role) {
    case Role::kMessage:
      b->SetText(f.text);
      return true;
    case Role::kHost:
      b->SetHost(LineHost(f.text, options));
      *has_host = true;
      return true;
    case Role::kProgram:
      b->SetProgram(f.text);
      return true;
    case Role::kPid:
      b->SetPid(f.text);
      return true;
    case Role::kMsgId:
      b->SetMsgId(f.text);
      return true;
    case Role::kFacility:
      if (!FacilityFromJson(f, &n)) return false;
      b->SetFacility(n);
      return true;
    case Role::kSeverity:
      if (!SeverityFromJson(f, &n)) return false;
      b->SetSeverity(n);
      return true;
    case Role::kPri:
      if (!IntInRange(f, 0, 191, &n)) return false;
      b->SetPri(n);
      return true;
    case Role::kStamp:
      if (!StampFromJson(f, options, &ts)) return false;
      b->SetStamp(ts);
      *has_stamp = true;
      return true;
    case Role::kNone:
      break;
  }
  return false;
}

// The "@dead_letter" member of a dead-letter file's line (and its flattened
// members): why the message was dropped, not a part of it, so a replay
// leaves it out (docs/dead-letters.md).
bool IsDeadLetterMetadata(const JsonField& f, const ParseOptions& options) {
  constexpr std::string_view kKey = "@dead_letter";
  std::string_view name(f.name);
  if (name.substr(0, options.json_prefix.size()) != options.json_prefix) {
    return false;
  }
  name.remove_prefix(options.json_prefix.size());
  if (name.substr(0, kKey.size()) != kKey) return false;
  return name.size() == kKey.size() || name[kKey.size()] == '.';
}

}  // namespace

Message ReadJsonLine(const PreparedLine& line, const ParseOptions& options) {
  std::vector<JsonField> fields;
  if (!FlattenJsonObject(line.text, options.json_prefix, &fields)) {
    return ParseErrorMessage(line, options);
  }

  MessageBuilder b = StartMessage(line, options);
  b.SetText("");
  // The first scalar member of each role, by index into `fields`.
  constexpr size_t kUnset = static_cast<size_t>(-1);
  size_t role_field[kRoleCount];
  std::fill(std::begin(role_field), std::end(role_field), kUnset);
  for (size_t i = 0; i < fields.size(); ++i) {
    const JsonField& f = fields[i];
    if (!f.top_level || f.kind == JsonField::Kind::kArray) continue;
    int role = static_cast<int>(
        RoleOf(std::string_view(f.name).substr(f.key_offset)));
    if (role != 0 && role_field[role] == kUnset) role_field[role] = i;
  }
  // PRI first, so that facility/severity fields refine it whatever their
  // order in the object.
  bool has_host = false, has_stamp = false;
  for (Role role : {Role::kPri, Role::kFacility, Role::kSeverity,
                    Role::kMessage, Role::kHost, Role::kProgram, Role::kPid,
                    Role::kMsgId, Role::kStamp}) {
    size_t& i = role_field[static_cast<int>(role)];
    if (i != kUnset &&
        !ApplyRole(role, fields[i], options, &b, &has_host, &has_stamp)) {
      i = kUnset;  // did not fit: an ordinary field after all
    }
  }
  if (!has_host) b.SetHost(HostFrom(options));
  if (!has_stamp) StampWithReceiveTime(line, options, &b);

  for (size_t i = 0; i < fields.size(); ++i) {
    if (std::find(std::begin(role_field), std::end(role_field), i) !=
        std::end(role_field)) {
      continue;
    }
    if (IsDeadLetterMetadata(fields[i], options)) continue;
    b.Set(fields[i].name, fields[i].text);
  }
  return b.Build();
}

}  // namespace parse_internal

Message ParseJsonLine(std::string_view line, const ParseOptions& options) {
  return parse_internal::ReadJsonLine(
      parse_internal::PrepareLine(line, options), options);
}

}  // namespace pydest
