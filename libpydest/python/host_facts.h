// Facts about this machine and moment that macros need: $LOGHOST and the
// current time with the local UTC offset ($C_* macros, $P_* processing
// time). No Python involved; thread-safe.
#ifndef LIBPYDEST_PYTHON_HOST_FACTS_H_
#define LIBPYDEST_PYTHON_HOST_FACTS_H_

#include <string_view>

#include "pydest/message.h"

namespace pydest::internal {

// This machine's short host name (gethostname up to the first dot), cached.
std::string_view LocalHostName();

// Now, expressed in the local time zone's offset.
Timestamp NowLocal();

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYTHON_HOST_FACTS_H_
