// ReopenBackoff: how long a worker waits before it calls open() again after
// a failure (open() or is_opened() returning False, NOT_CONNECTED, ERROR
// below retries()). syslog-ng waits time-reopen() every time; libpydest can
// also grow the wait exponentially, and cap how often one message is tried.
// Part of DestinationOptions (the "backoff" object of the JSON form).
//
// Thread-safety: a plain value.
#ifndef PYDEST_REOPEN_BACKOFF_H_
#define PYDEST_REOPEN_BACKOFF_H_

#include <cstdint>
#include <optional>

#include "absl/time/time.h"

namespace pydest {

struct ReopenBackoff {
  enum class Kind : uint8_t {
    kFixed,        // always time_reopen (syslog-ng's behaviour)
    kExponential,  // time_reopen * multiplier^n, capped, with jitter
  };
  // kFixed, as syslog-ng. Choose kExponential for a server that may be
  // down for minutes, so that a destination does not call open() every
  // time_reopen meanwhile.
  Kind kind = Kind::kFixed;
  // kExponential only: the wait grows by this factor per consecutive
  // failure (values below 1 count as 1).
  double multiplier = 2.0;
  // kExponential only: the longest wait. Lower it when the destination
  // must notice a recovered server sooner.
  absl::Duration max_interval = absl::Seconds(60);
  // kExponential only: each wait is spread by +/- this fraction, at
  // random, so that many hosts do not reconnect to one server in step.
  // 0 turns the spread off (tests that need exact times).
  double jitter = 0.1;
  // Unset: a message that meets NOT_CONNECTED (or RETRY three times) is
  // tried again forever, as in syslog-ng. Set it (under either kind) when a
  // message must not wait forever for a server: after this many reconnect
  // attempts for it, it is dropped (Outcome::kDroppedRetriesExhausted).
  std::optional<int> max_attempts;
};

}  // namespace pydest

#endif  // PYDEST_REOPEN_BACKOFF_H_
