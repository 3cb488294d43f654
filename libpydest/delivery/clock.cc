#include "libpydest/delivery/clock.h"

#include <chrono>
#include <random>

namespace pydest::internal {
namespace {

class RealClock final : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }

  int64_t MonotonicNanos() override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  bool WaitWithDeadline(absl::Mutex* mu, absl::CondVar* cv,
                        absl::Time deadline) override {
    if (deadline == absl::InfiniteFuture()) {
      cv->Wait(mu);
      return false;
    }
    return cv->WaitWithDeadline(mu, deadline);
  }

  double Uniform(double lo, double hi) override {
    if (!(hi > lo)) return lo;
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(lo, hi)(engine);
  }
};

}  // namespace

Clock* Clock::Real() {
  static Clock* const clock = new RealClock();
  return clock;
}

}  // namespace pydest::internal
