// Facility and severity names. Where syslog-ng accepts several names for one
// number (emerg/panic, auth/security, authpriv/megasafe), the macro prints
// the first of its table, which is the one listed here.
#include "libpydest/message/syslog_names.h"

#include <array>

namespace pydest::internal {
namespace {

constexpr std::array<std::string_view, 24> kFacilities = {
    "kern",   "user",   "mail",     "daemon", "auth",    "syslog",
    "lpr",    "news",   "uucp",     "cron",   "authpriv", "ftp",
    "ntp",    "security", "console", "solaris-cron",
    "local0", "local1", "local2",   "local3", "local4",  "local5",
    "local6", "local7",
};

constexpr std::array<std::string_view, 8> kSeverities = {
    "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

}  // namespace

std::string_view FacilityName(int facility) {
  if (facility < 0 || facility >= static_cast<int>(kFacilities.size())) {
    return {};
  }
  return kFacilities[facility];
}

std::string_view SeverityName(int severity) {
  if (severity < 0 || severity >= static_cast<int>(kSeverities.size())) {
    return {};
  }
  return kSeverities[severity];
}

}  // namespace pydest::internal
