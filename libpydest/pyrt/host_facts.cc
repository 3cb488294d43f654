#include "libpydest/pyrt/host_facts.h"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <fstream>
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

namespace {
const absl::Time kLoaded = absl::Now();
}  // namespace

std::string_view LocalHostId() {
  static const std::string* id = [] {
    std::string seed;
    std::ifstream("/etc/machine-id") >> seed;
    if (seed.empty()) seed = std::string(LocalHostName());
    uint32_t h = 2166136261u;  // FNV-1a
    for (unsigned char c : seed) h = (h ^ c) * 16777619u;
    char buf[9];
    std::snprintf(buf, sizeof(buf), "%08x", h);
    return new std::string(buf);
  }();
  return *id;
}

int64_t UptimeCentiseconds() {
  return absl::ToInt64Milliseconds(absl::Now() - kLoaded) / 10;
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
