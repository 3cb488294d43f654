// SharedProgress: a page a worker process shares with its host (a memfd
// mapped by both), where the worker publishes, without a system call, how
// far a run has come and since when its current call into the class runs.
// When the worker dies, the host reads there which steps finished and which
// message was in flight; send-timeout() measures the running call from
// call_started_nanos.
//
// Thread-safety: the worker's driver thread writes; the host's worker
// thread reads. Each step is written before steps_done is raised (release),
// and read after it (acquire).
#ifndef LIBPYDEST_PROCESS_SHARED_PROGRESS_H_
#define LIBPYDEST_PROCESS_SHARED_PROGRESS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace pydest::internal {

// The most messages one run carries.
inline constexpr size_t kMaxRunSteps = 4096;

struct SharedProgress {
  // CLOCK_MONOTONIC nanoseconds when the running call into the class
  // began; 0 while none runs.
  std::atomic<int64_t> call_started_nanos{0};
  // Steps of the current run that finished (their `steps` are final).
  std::atomic<uint32_t> steps_done{0};
  // The host's drain deadline (CLOCK_MONOTONIC nanoseconds): a run stops
  // before a step that would begin after it, as the host's own worker
  // stops sending then. Written by the host.
  std::atomic<int64_t> stop_runs_at_nanos{INT64_MAX};
  struct Step {
    uint8_t result = 0;     // DeliveryResult
    uint8_t connected = 0;  // RunStep::connected
    int64_t send_nanos = 0;
  };
  Step steps[kMaxRunSteps];
};

static_assert(std::atomic<int64_t>::is_always_lock_free,
              "shared between processes: must be lock-free");

}  // namespace pydest::internal

#endif  // LIBPYDEST_PROCESS_SHARED_PROGRESS_H_
