#include "libpydest/python/host_facts.h"

#include <unistd.h>

#include <ctime>
#include <string>

#include "absl/time/clock.h"

namespace pydest::internal {

std::string_view LocalHostName() {
  static const std::string* name = [] {
    char buf[256] = {};
    if (gethostname(buf, sizeof(buf) - 1) != 0) buf[0] = '\0';
    std::string n(buf);
    if (auto dot = n.find('.'); dot != std::string::npos) n.resize(dot);
    return new std::string(n.empty() ? "localhost" : n);
  }();
  return *name;
}

Timestamp NowLocal() {
  absl::Time now = absl::Now();
  time_t t = absl::ToTimeT(now);
  struct tm tm;
  int32_t offset = 0;
  if (localtime_r(&t, &tm) != nullptr) {
    offset = static_cast<int32_t>(tm.tm_gmtoff);
  }
  return Timestamp::FromTime(now, offset);
}

}  // namespace pydest::internal
