// Date and time macros: the zone a timestamp is shown in, and the text of
// each field through the thread's DateTexts (date_texts.cc renders by hand,
// wall_clock.cc does the calendar arithmetic), so that no macro allocates.
// Only local-time-zone() with an IANA name consults absl's zone data,
// through a per-thread cache of the last zone loaded.
#include "libpydest/message/date_macros.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libpydest/message/date_texts.h"

namespace pydest::internal {
namespace {

// local-time-zone("+HH:MM") and its variants "+HHMM", "+HH".
bool ParseFixedOffset(std::string_view s, int32_t* offset) {
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return false;
  auto digit = [&](size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  if (!digit(1) || !digit(2)) return false;
  int hours = (s[1] - '0') * 10 + (s[2] - '0');
  int minutes = 0;
  size_t i = 3;
  if (i < s.size() && s[i] == ':') ++i;
  if (i < s.size()) {
    if (s.size() != i + 2 || !digit(i) || !digit(i + 1)) return false;
    minutes = (s[i] - '0') * 10 + (s[i + 1] - '0');
  } else if (i != 3) {
    return false;  // "+HH:" with nothing after it
  }
  if (hours > 23 || minutes > 59) return false;
  *offset = (s[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  return true;
}

// The last IANA zone this thread loaded: macros are evaluated with the same
// template options over and over, so one entry is enough.
// The offset of the last second asked for is kept too: the date macros of
// one message ask for the same second many times in a row.
struct ZoneCache {
  std::string name;
  absl::TimeZone zone;
  bool loaded = false;
  bool has_last = false;
  int64_t last_seconds = 0;
  int32_t last_offset = 0;
};

ZoneCache& LoadZoneCached(const std::string& name) {
  thread_local ZoneCache cache;
  if (cache.name != name) {  // never empty: "" is handled by the caller
    cache.name = name;
    cache.loaded = absl::LoadTimeZone(name, &cache.zone);
    cache.has_last = false;
  }
  return cache;
}

}  // namespace

int32_t DisplayOffset(const Timestamp& t, const TemplateOptions& options) {
  const std::string& tz = options.local_time_zone;
  if (tz.empty()) return t.utc_offset_seconds;
  int32_t fixed = 0;
  if (ParseFixedOffset(tz, &fixed)) return fixed;
  ZoneCache& cache = LoadZoneCached(tz);
  if (!cache.loaded) return t.utc_offset_seconds;
  if (!cache.has_last || cache.last_seconds != t.unix_seconds) {
    cache.last_offset =
        cache.zone.At(absl::FromUnixSeconds(t.unix_seconds)).offset;
    cache.last_seconds = t.unix_seconds;
    cache.has_last = true;
  }
  return cache.last_offset;
}

void AppendDateMacro(DateField field, const Timestamp& t,
                     const TemplateOptions& options, std::string* out) {
  // One message's date macros ask for few timestamps but many fields:
  // the thread's DateTexts renders each field of a timestamp once.
  out->append(ThreadDateTexts(t, options).Field(field));
}

absl::Status CheckLocalTimeZone(std::string_view name) {
  if (name.empty()) return absl::OkStatus();
  int32_t fixed = 0;
  if (ParseFixedOffset(name, &fixed)) return absl::OkStatus();
  absl::TimeZone zone;
  if (absl::LoadTimeZone(std::string(name), &zone)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "local-time-zone(\"", std::string(name),
      "\"): not a +HH:MM offset and no such time zone in the system's "
      "zoneinfo; timestamps would keep their own UTC offset"));
}

}  // namespace pydest::internal
