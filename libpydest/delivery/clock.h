// Clock: the delivery layer's seam to time — reading the time, waiting on a
// condition with a deadline, and the random numbers of backoff jitter — so
// tests can run time-reopen(), batch-timeout() and backoff schedules without
// sleeping for real seconds (LevelDB's Env idea, reduced to what we need).
//
// Thread-safety: implementations must be safe to call from any thread.
// Clock::Real() is a process-wide singleton that is never destroyed.
#ifndef LIBPYDEST_DELIVERY_CLOCK_H_
#define LIBPYDEST_DELIVERY_CLOCK_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace pydest::internal {

class Clock {
 public:
  virtual ~Clock() = default;

  virtual absl::Time Now() = 0;

  // Nanoseconds on a clock that never goes back, for measuring durations
  // (the latency histograms); its zero means nothing. The default reads
  // Now(), which a fake clock keeps monotonic; the real clock reads
  // std::chrono::steady_clock, so a wall-clock step does not show up as a
  // latency.
  virtual int64_t MonotonicNanos() { return absl::ToUnixNanos(Now()); }

  // Waits on `cv` (which `mu` protects; `mu` is held on entry and on return)
  // until it is signalled or `deadline` passes on this clock. Returns true
  // when the deadline passed. Spurious wake-ups are allowed: callers re-check
  // their condition. absl::InfiniteFuture() waits for a signal only.
  virtual bool WaitWithDeadline(absl::Mutex* mu, absl::CondVar* cv,
                                absl::Time deadline)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) = 0;

  // A uniformly distributed number in [lo, hi] (backoff jitter).
  virtual double Uniform(double lo, double hi) = 0;

  // The system clock, absl::CondVar waits and a per-thread random engine.
  static Clock* Real();
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_CLOCK_H_
