// Throttle: syslog-ng's throttle() option — at most N messages per second
// reach the destination's send(); the rest wait in the queue (nothing is
// dropped). A token bucket holding up to one second's worth of messages,
// shared by all workers of a destination.
//
// Thread-safety: Take may be called from any number of workers at once.
#ifndef LIBPYDEST_DELIVERY_THROTTLE_H_
#define LIBPYDEST_DELIVERY_THROTTLE_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libpydest/delivery/clock.h"

namespace pydest::internal {

class Throttle {
 public:
  // `per_second` > 0.
  Throttle(int per_second, Clock* clock);

  // Takes one message's token if there is one and returns
  // absl::InfinitePast(); otherwise takes nothing and returns when the next
  // token will be there.
  absl::Time Take() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const double rate_;  // tokens per second, also the bucket's size
  Clock* const clock_;
  absl::Mutex mu_;
  double tokens_ ABSL_GUARDED_BY(mu_);
  absl::Time last_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_THROTTLE_H_
