// OnceASecond: lets one log line through per second, for the warnings a
// failure under load would otherwise repeat for every message (a full disk
// buffer, an unwritable dead-letter file).
//
// Thread-safety: Allow may be called from any number of threads at once;
// exactly one caller gets true per second.
#ifndef LIBPYDEST_DELIVERY_ONCE_A_SECOND_H_
#define LIBPYDEST_DELIVERY_ONCE_A_SECOND_H_

#include <atomic>
#include <cstdint>

#include "absl/time/time.h"

namespace pydest::internal {

class OnceASecond {
 public:
  // True when the last true was at least a second before `now`.
  bool Allow(absl::Time now) {
    const int64_t now_ms = absl::ToUnixMillis(now);
    int64_t last = last_ms_.load(std::memory_order_relaxed);
    return now_ms - last >= 1000 &&
           last_ms_.compare_exchange_strong(last, now_ms);
  }

 private:
  std::atomic<int64_t> last_ms_{INT64_MIN / 2};
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_ONCE_A_SECOND_H_
