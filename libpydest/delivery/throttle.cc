#include "libpydest/delivery/throttle.h"

#include <algorithm>

namespace pydest::internal {

Throttle::Throttle(int per_second, Clock* clock)
    : rate_(std::max(per_second, 1)), clock_(clock), tokens_(rate_) {}

absl::Time Throttle::Take() {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  if (last_ != absl::InfinitePast() && now > last_) {
    tokens_ = std::min(rate_,
                       tokens_ + absl::ToDoubleSeconds(now - last_) * rate_);
  }
  last_ = std::max(last_, now);
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return absl::InfinitePast();
  }
  return now + absl::Seconds((1 - tokens_) / rate_);
}

}  // namespace pydest::internal
