#include "libpydest/delivery/dead_letter_line.h"

#include <string>

#include "libpydest/message/syslog_names.h"
#include "nlohmann/json.hpp"

namespace pydest::internal {
namespace {

using Json = nlohmann::ordered_json;

// ISO 8601 with microseconds and the offset the time was recorded with,
// which the JSON reader's ISODATE parsing restores exactly.
std::string IsoTime(const Timestamp& t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6S%Ez", t.ToTime(),
                          absl::FixedTimeZone(t.utc_offset_seconds));
}

// Compact JSON text; invalid UTF-8 becomes U+FFFD instead of an exception.
std::string Dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json FlagNames(uint32_t flags) {
  Json names = Json::array();
  if (flags & kMessageParseError) names.push_back("parse-error");
  if (flags & kMessageTruncated) names.push_back("truncated");
  if (flags & kMessageInvalidUtf8) names.push_back("invalid-utf8");
  return names;
}

Json Metadata(const Message& message, Outcome outcome, uint64_t seqnum,
              absl::Time when, const DeadLetterOrigin& origin) {
  Json meta = Json::object();
  meta["reason"] = OutcomeName(outcome);
  meta["retryable"] = IsRetryable(outcome);
  meta["destination"] = origin.destination;
  meta["persist_name"] = origin.persist_name;
  meta["class"] = origin.class_name;
  meta["time"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", when,
                                  absl::UTCTimeZone());
  if (seqnum != 0) meta["seqnum"] = seqnum;
  meta["received"] = IsoTime(message.received());
  // What the pairs below cannot carry; kept for inspection (a replay does
  // not restore them: docs/dead-letters.md).
  if (!message.tags().empty()) meta["tags"] = message.tags();
  if (message.flags() != 0) meta["flags"] = FlagNames(message.flags());
  if (!message.source_ip().empty()) {
    meta["source_ip"] = std::string(message.source_ip());
  }
  if (!message.dest_ip().empty()) {
    meta["dest_ip"] = std::string(message.dest_ip());
  }
  if (message.dest_port() != 0) meta["dest_port"] = message.dest_port();
  if (message.proto() != 0) meta["proto"] = message.proto();
  return meta;
}

}  // namespace

void AppendDeadLetterLine(const Message& message, Outcome outcome,
                          uint64_t seqnum, absl::Time when,
                          const DeadLetterOrigin& origin, std::string* out) {
  // Written member by member (not as one ordered_json object, whose key
  // lookup is linear: a message with many pairs would cost quadratic time).
  auto member = [out](std::string_view name, const Json& value) {
    out->append(Dump(Json(std::string(name))));
    out->push_back(':');
    out->append(Dump(value));
  };
  out->push_back('{');
  member(kDeadLetterKey, Metadata(message, outcome, seqnum, when, origin));
  // Before the pairs, so that these names take their roles in the JSON
  // reader ahead of any lower-case "time" or "level" pair of the message.
  out->push_back(',');
  member("ISODATE", IsoTime(message.stamp()));
  out->push_back(',');
  member("FACILITY", std::string(FacilityName(message.facility())));
  out->push_back(',');
  member("SEVERITY", std::string(SeverityName(message.severity())));
  message.ForEachPair([&](std::string_view name, std::string_view value) {
    // A pair that happens to use one of the names above is left out rather
    // than let it change the message's time or priority on replay (and a
    // JSON object must not repeat a name).
    if (name == "ISODATE" || name == "FACILITY" || name == "SEVERITY" ||
        name == kDeadLetterKey) {
      return true;
    }
    out->push_back(',');
    member(name, std::string(value));
    return true;
  });
  out->append("}\n");
}

}  // namespace pydest::internal
