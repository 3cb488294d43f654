#include "libpydest/delivery/backoff.h"

#include <algorithm>
#include <cmath>

namespace pydest::internal {

Backoff::Backoff(absl::Duration time_reopen, const ReopenBackoff& policy,
                 Clock* clock)
    : time_reopen_(std::max(time_reopen, absl::ZeroDuration())),
      policy_(policy),
      clock_(clock) {}

absl::Duration Backoff::Next() {
  const int n = failures_;
  if (failures_ < 1 << 20) ++failures_;
  if (policy_.kind == ReopenBackoff::Kind::kFixed) return time_reopen_;

  // time_reopen * multiplier^n, computed in floating seconds so a large n
  // saturates at the cap instead of overflowing.
  const double base = absl::ToDoubleSeconds(time_reopen_);
  const double cap = absl::ToDoubleSeconds(
      std::max(policy_.max_interval, absl::ZeroDuration()));
  const double multiplier = std::max(policy_.multiplier, 1.0);
  double interval = base * std::pow(multiplier, n);
  if (!std::isfinite(interval) || interval > cap) interval = cap;
  const double jitter = std::clamp(policy_.jitter, 0.0, 1.0);
  if (jitter > 0) {
    interval = clock_->Uniform(interval * (1 - jitter), interval * (1 + jitter));
  }
  return absl::Seconds(std::max(interval, 0.0));
}

}  // namespace pydest::internal
