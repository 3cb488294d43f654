// The macro table and macro evaluation. Date macros are delegated to
// date_macros.cc and $SDATA to sdata_format.cc; the rest are here.
#include "libpydest/message/macros.h"

#include <array>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "libpydest/message/date_macros.h"
#include "libpydest/message/format_digits.h"
#include "libpydest/message/message_rep.h"
#include "libpydest/message/sdata_format.h"
#include "libpydest/message/syslog_names.h"

namespace pydest::internal {
namespace {

enum class Kind : uint8_t {
  kFacility,
  kFacilityNum,
  kSeverity,
  kSeverityNum,
  kTag,
  kTags,
  kBsdTag,
  kPri,
  kDateMacro,
  kSysUptime,
  kSdata,
  kMsgHdr,
  kSourceIp,
  kDestIp,
  kDestPort,
  kProto,
  kSeqnum,
  kContextId,
  kRcptId,
  kRunId,
  kHostId,
  kUniqId,
  kLogHost,
  kPair,  // a built-in name-value pair (HOST, MESSAGE, PROGRAM, ...)
};

using Source = MacroTime;

struct MacroDef {
  std::string_view name;
  Kind kind;
  DateField field = DateField::kDate;
  Source source = Source::kStamp;
  BuiltinPair pair = BuiltinPair::kHost;
  bool pair_only = false;
};

struct DateName {
  std::string_view suffix;
  DateField field;
};

// The date family in syslog-ng 3.38's table order. The prefixed groups list
// MSEC before USEC, the unprefixed one USEC before MSEC, and SYSUPTIME sits
// between TZ and UNIXTIME in the unprefixed group only.
constexpr std::array<DateName, 27> kDateFamily = {{
    {"DATE", DateField::kDate},
    {"FULLDATE", DateField::kFullDate},
    {"ISODATE", DateField::kIsoDate},
    {"STAMP", DateField::kStamp},
    {"YEAR", DateField::kYear},
    {"YEAR_DAY", DateField::kYearDay},
    {"MONTH", DateField::kMonth},
    {"MONTH_WEEK", DateField::kMonthWeek},
    {"MONTH_ABBREV", DateField::kMonthAbbrev},
    {"MONTH_NAME", DateField::kMonthName},
    {"DAY", DateField::kDay},
    {"HOUR", DateField::kHour},
    {"HOUR12", DateField::kHour12},
    {"MIN", DateField::kMin},
    {"SEC", DateField::kSec},
    {"USEC", DateField::kUsec},
    {"MSEC", DateField::kMsec},
    {"AMPM", DateField::kAmPm},
    {"WEEKDAY", DateField::kWeekDayAbbrev},
    {"WEEK_DAY", DateField::kWeekDay},
    {"WEEK_DAY_ABBREV", DateField::kWeekDayAbbrev},
    {"WEEK_DAY_NAME", DateField::kWeekDayName},
    {"WEEK", DateField::kWeek},
    {"ISOWEEK", DateField::kIsoWeek},
    {"TZOFFSET", DateField::kTzOffset},
    {"TZ", DateField::kTzOffset},
    {"UNIXTIME", DateField::kUnixTime},
}};

// Names of the prefixed date macros ("R_DATE", ...): the table holds
// string_views, so the composed names live here for the process lifetime.
std::string_view Intern(std::string s) {
  static auto* storage = new std::vector<std::unique_ptr<std::string>>();
  storage->push_back(std::make_unique<std::string>(std::move(s)));
  return *storage->back();
}

std::vector<MacroDef> BuildTable() {
  std::vector<MacroDef> t;
  t.reserve(180);
  auto add = [&](std::string_view name, Kind kind) {
    t.push_back(MacroDef{name, kind});
  };
  add("FACILITY", Kind::kFacility);
  add("FACILITY_NUM", Kind::kFacilityNum);
  add("SEVERITY", Kind::kSeverity);
  add("SEVERITY_NUM", Kind::kSeverityNum);
  add("PRIORITY", Kind::kSeverity);  // obsolete alias of SEVERITY
  add("LEVEL", Kind::kSeverity);     // obsolete alias of SEVERITY
  add("LEVEL_NUM", Kind::kSeverityNum);
  add("TAG", Kind::kTag);
  add("TAGS", Kind::kTags);
  add("BSDTAG", Kind::kBsdTag);
  add("PRI", Kind::kPri);

  for (const DateName& d : kDateFamily) {
    if (d.field == DateField::kUnixTime) add("SYSUPTIME", Kind::kSysUptime);
    t.push_back(MacroDef{d.suffix, Kind::kDateMacro, d.field, Source::kStamp});
  }
  const std::pair<std::string_view, Source> prefixes[] = {
      {"R_", Source::kReceived},
      {"S_", Source::kStamp},
      {"C_", Source::kNow},
      {"P_", Source::kProcessed}};
  for (const auto& [prefix, source] : prefixes) {
    for (size_t i = 0; i < kDateFamily.size(); ++i) {
      // MSEC before USEC in the prefixed groups.
      size_t j = i;
      if (kDateFamily[i].field == DateField::kUsec) j = i + 1;
      if (kDateFamily[i].field == DateField::kMsec) j = i - 1;
      const DateName& d = kDateFamily[j];
      t.push_back(MacroDef{Intern(std::string(prefix) + std::string(d.suffix)),
                           Kind::kDateMacro, d.field, source});
    }
  }

  add("SDATA", Kind::kSdata);
  add("MSGHDR", Kind::kMsgHdr);
  add("SOURCEIP", Kind::kSourceIp);
  add("DESTIP", Kind::kDestIp);
  add("DESTPORT", Kind::kDestPort);
  add("PROTO", Kind::kProto);
  add("SEQNUM", Kind::kSeqnum);
  add("CONTEXT_ID", Kind::kContextId);
  add("_", Kind::kContextId);
  add("RCPTID", Kind::kRcptId);
  add("RUNID", Kind::kRunId);
  add("HOSTID", Kind::kHostId);
  add("UNIQID", Kind::kUniqId);
  auto add_pair = [&](std::string_view name, BuiltinPair pair,
                      bool pair_only) {
    MacroDef def{name, Kind::kPair};
    def.pair = pair;
    def.pair_only = pair_only;
    t.push_back(def);
  };
  // In syslog-ng these three are name-value pairs that are also listed in
  // the macro table (so the all-macros scope yields them).
  add_pair("MSG", BuiltinPair::kMessage, false);
  add_pair("MESSAGE", BuiltinPair::kMessage, false);
  add_pair("HOST", BuiltinPair::kHost, false);
  add("LOGHOST", Kind::kLogHost);

  // Pair-only names: `$PROGRAM` and friends in a template, and syslog-ng's
  // registry aliases FULLHOST, FULLHOST_FROM and MSGONLY.
  add_pair("HOST_FROM", BuiltinPair::kHostFrom, true);
  add_pair("FULLHOST", BuiltinPair::kHost, true);
  add_pair("FULLHOST_FROM", BuiltinPair::kHostFrom, true);
  add_pair("MSGONLY", BuiltinPair::kMessage, true);
  add_pair("PROGRAM", BuiltinPair::kProgram, true);
  add_pair("PID", BuiltinPair::kPid, true);
  add_pair("MSGID", BuiltinPair::kMsgId, true);
  add_pair("SOURCE", BuiltinPair::kSource, true);
  add_pair("LEGACY_MSGHDR", BuiltinPair::kLegacyMsgHdr, true);
  add_pair("FILE_NAME", BuiltinPair::kFileName, true);
  return t;
}

struct Tables {
  std::vector<MacroDef> defs;
  absl::flat_hash_map<std::string, MacroId> by_name;
  std::vector<MacroId> all_macros;
};

const Tables& GetTables() {
  static const Tables* tables = [] {
    auto* t = new Tables();
    t->defs = BuildTable();
    for (size_t i = 0; i < t->defs.size(); ++i) {
      const MacroDef& d = t->defs[i];
      t->by_name.emplace(std::string(d.name), static_cast<MacroId>(i));
      if (!d.pair_only) t->all_macros.push_back(static_cast<MacroId>(i));
    }
    return t;
  }();
  return *tables;
}

const Timestamp& TimeOf(Source source, const MessageRep& rep,
                        const MacroContext& ctx) {
  switch (source) {
    case Source::kStamp:
      return rep.stamp;
    case Source::kReceived:
      return rep.received;
    case Source::kNow:
      return ctx.now;
    case Source::kProcessed:
      if (ctx.processed.unix_seconds == 0 && ctx.processed.microseconds == 0) {
        return ctx.now;
      }
      return ctx.processed;
  }
  return rep.stamp;
}

void AppendPair(const MessageRep& rep, BuiltinPair pair, std::string* out) {
  if (rep.has_builtin(pair)) out->append(rep.builtin_value(pair));
}

// $MSGHDR: the header as it came in when a reader kept it (LEGACY_MSGHDR),
// otherwise "PROGRAM[PID]: " or "PROGRAM: ", and nothing without PROGRAM.
void AppendMsgHdr(const MessageRep& rep, std::string* out) {
  if (rep.has_builtin(BuiltinPair::kLegacyMsgHdr) &&
      !rep.builtin_value(BuiltinPair::kLegacyMsgHdr).empty()) {
    out->append(rep.builtin_value(BuiltinPair::kLegacyMsgHdr));
    return;
  }
  if (!rep.has_builtin(BuiltinPair::kProgram)) return;
  const std::string& program = rep.builtin_value(BuiltinPair::kProgram);
  if (program.empty()) return;
  out->append(program);
  if (rep.has_builtin(BuiltinPair::kPid) &&
      !rep.builtin_value(BuiltinPair::kPid).empty()) {
    out->push_back('[');
    out->append(rep.builtin_value(BuiltinPair::kPid));
    out->push_back(']');
  }
  out->append(": ");
}

// $SOURCEIP / $DESTIP: syslog-ng prints 127.0.0.1 for a message that did not
// arrive over IP (file, internal and other local sources).
void AppendAddress(const std::string& ip, std::string* out) {
  if (ip.empty()) {
    out->append("127.0.0.1");
  } else {
    out->append(ip);
  }
}

}  // namespace

std::optional<MacroId> LookupMacro(std::string_view name) {
  const Tables& t = GetTables();
  auto it = t.by_name.find(absl::string_view(name.data(), name.size()));
  if (it == t.by_name.end()) return std::nullopt;
  return it->second;
}

std::string_view MacroName(MacroId id) {
  const Tables& t = GetTables();
  if (id >= t.defs.size()) return {};
  return t.defs[id].name;
}

size_t MacroCount() { return GetTables().defs.size(); }

const std::vector<MacroId>& AllMacros() { return GetTables().all_macros; }

bool IsPairOnlyName(MacroId id) {
  const Tables& t = GetTables();
  return id < t.defs.size() && t.defs[id].pair_only;
}

bool GetDateMacro(MacroId id, DateField* field, MacroTime* time) {
  const Tables& t = GetTables();
  if (id >= t.defs.size() || t.defs[id].kind != Kind::kDateMacro) return false;
  *field = t.defs[id].field;
  *time = t.defs[id].source;
  return true;
}

const Timestamp& MacroTimestamp(MacroTime time, const Message& msg,
                                const MacroContext& ctx) {
  return TimeOf(time, MessageAccess::Rep(msg), ctx);
}

const TemplateOptions& MacroTemplateOptions(const MacroContext& ctx) {
  static const TemplateOptions* kDefaults = new TemplateOptions();
  return ctx.template_options != nullptr ? *ctx.template_options : *kDefaults;
}

TypeHint MacroType(MacroId id) {
  const Tables& t = GetTables();
  if (id >= t.defs.size()) return TypeHint::kNone;
  const MacroDef& d = t.defs[id];
  switch (d.kind) {
    case Kind::kFacilityNum:
    case Kind::kSeverityNum:
    case Kind::kDestPort:
    case Kind::kProto:
      return TypeHint::kInt32;
    case Kind::kTags:
      return TypeHint::kList;
    case Kind::kDateMacro:
      return d.field == DateField::kUnixTime ? TypeHint::kDateTime
                                             : TypeHint::kNone;
    default:
      return TypeHint::kNone;
  }
}

void AppendMacro(MacroId id, const Message& msg, const MacroContext& ctx,
                 std::string* out) {
  const Tables& t = GetTables();
  if (id >= t.defs.size()) return;
  const MacroDef& d = t.defs[id];
  const MessageRep& rep = MessageAccess::Rep(msg);
  switch (d.kind) {
    case Kind::kFacility:
      out->append(FacilityName(rep.facility));
      return;
    case Kind::kFacilityNum:
      AppendUnsigned(rep.facility, out);
      return;
    case Kind::kSeverity:
      out->append(SeverityName(rep.severity));
      return;
    case Kind::kSeverityNum:
      AppendUnsigned(rep.severity, out);
      return;
    case Kind::kTag:
      AppendHex(rep.facility * 8u + rep.severity, 2, out);
      return;
    case Kind::kTags:
      for (size_t i = 0; i < rep.tags.size(); ++i) {
        if (i > 0) out->push_back(',');
        out->append(rep.tags[i]);
      }
      return;
    case Kind::kBsdTag:
      // The severity digit, then the facility as a letter (A = kern).
      AppendUnsigned(rep.severity, out);
      out->push_back(static_cast<char>('A' + rep.facility));
      return;
    case Kind::kPri:
      AppendUnsigned(rep.facility * 8u + rep.severity, out);
      return;
    case Kind::kDateMacro:
      AppendDateMacro(d.field, TimeOf(d.source, rep, ctx),
                      MacroTemplateOptions(ctx), out);
      return;
    case Kind::kSysUptime:
      AppendSigned(ctx.sysuptime, out);
      return;
    case Kind::kSdata:
      AppendSdata(rep, ctx.seqnum, out);
      return;
    case Kind::kMsgHdr:
      AppendMsgHdr(rep, out);
      return;
    case Kind::kSourceIp:
      AppendAddress(rep.source_ip, out);
      return;
    case Kind::kDestIp:
      AppendAddress(rep.dest_ip, out);
      return;
    case Kind::kDestPort:
      AppendSigned(rep.dest_port, out);
      return;
    case Kind::kProto:
      AppendSigned(rep.proto, out);
      return;
    case Kind::kSeqnum:
      if (ctx.seqnum != 0) AppendUnsigned(ctx.seqnum, out);
      return;
    case Kind::kContextId:
      out->append(ctx.context_id);
      return;
    case Kind::kRcptId:
      if (ctx.rcptid != 0) AppendUnsigned(ctx.rcptid, out);
      return;
    case Kind::kRunId:
      AppendUnsigned(ctx.runid, out);
      return;
    case Kind::kHostId:
      out->append(ctx.hostid);
      return;
    case Kind::kUniqId:
      if (ctx.rcptid != 0) {
        out->append(ctx.hostid);
        out->push_back('@');
        AppendHex(ctx.rcptid, 16, out);
      }
      return;
    case Kind::kLogHost:
      out->append(ctx.loghost);
      return;
    case Kind::kPair:
      AppendPair(rep, d.pair, out);
      return;
  }
}

}  // namespace pydest::internal
