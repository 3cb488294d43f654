// Facts about this machine and moment that macros need: $LOGHOST, $HOSTID,
// $SYSUPTIME and the current time with the local UTC offset ($C_* macros, $P_* processing
// time). No Python involved; thread-safe.
#ifndef LIBPYDEST_PYRT_HOST_FACTS_H_
#define LIBPYDEST_PYRT_HOST_FACTS_H_

#include <cstdint>
#include <string_view>

#include "pydest/message.h"

namespace pydest::internal {

// This machine's short host name (gethostname up to the first dot), cached.
std::string_view LocalHostName();

// A stable 8-hex-digit id of this machine ($HOSTID): syslog-ng draws one at
// random and keeps it in its persist file; we derive it from
// /etc/machine-id (or the host name), so it is stable without state.
std::string_view LocalHostId();

// Hundredths of a second since this process loaded libpydest ($SYSUPTIME,
// which syslog-ng counts from its own start).
int64_t UptimeCentiseconds();

// Now, expressed in the local time zone's offset.
Timestamp NowLocal();

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYRT_HOST_FACTS_H_
