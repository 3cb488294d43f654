// Backoff: how long a worker stays suspended before it calls open() again.
// syslog-ng's python() destination waits time-reopen() every time (fixed);
// ReopenBackoff::kExponential grows the wait by `multiplier` per consecutive
// failure up to `max_interval`, with +/- `jitter` spread so that many hosts
// reconnecting to one server do not do so in lock-step.
//
// Thread-safety: one Backoff belongs to one worker; not thread-safe.
#ifndef LIBPYDEST_DELIVERY_BACKOFF_H_
#define LIBPYDEST_DELIVERY_BACKOFF_H_

#include "absl/time/time.h"
#include "libpydest/delivery/clock.h"
#include "pydest/reopen_backoff.h"

namespace pydest::internal {

class Backoff {
 public:
  Backoff(absl::Duration time_reopen, const ReopenBackoff& policy,
          Clock* clock);

  // The suspension for the next failure; counts the failure.
  absl::Duration Next();
  // A message got through: the next failure waits time_reopen again.
  void Reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  absl::Duration time_reopen_;
  ReopenBackoff policy_;
  Clock* clock_;
  int failures_ = 0;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_BACKOFF_H_
