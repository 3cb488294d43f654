// syslog-ng's names for facilities and severities ($FACILITY, $SEVERITY,
// $PRIORITY, $LEVEL), as syslog-ng 3.38 prints them.
//
// Constant tables; thread-safe.
#ifndef LIBPYDEST_MESSAGE_SYSLOG_NAMES_H_
#define LIBPYDEST_MESSAGE_SYSLOG_NAMES_H_

#include <string_view>

namespace pydest::internal {

// "kern", "user", ..., "local7"; "" for a number outside 0 ... 23.
std::string_view FacilityName(int facility);
// "emerg", "alert", ..., "debug"; "" for a number outside 0 ... 7.
std::string_view SeverityName(int severity);

}  // namespace pydest::internal

#endif  // LIBPYDEST_MESSAGE_SYSLOG_NAMES_H_
