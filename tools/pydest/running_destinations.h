// The python() destinations of one pydest run, each in its own
// PyDestinationHost: started one after another (the first that fails ends
// the start), their log records printed on standard error from the chosen
// level up, and shut down all at once so that one slow destination does not
// eat the others' share of the deadline.
//
// Thread-safety: StartOne, StartAll and ShutdownAll from one thread at a
// time for a given set (the main thread, or the reloading one); the hosts
// themselves may be fed from any thread, HandOver included.
#ifndef PYDEST_TOOLS_PYDEST_RUNNING_DESTINATIONS_H_
#define PYDEST_TOOLS_PYDEST_RUNNING_DESTINATIONS_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pydest/config.h"
#include "pydest/host.h"
#include "pydest/stats.h"
#include "tools/pydest/carry_over.h"
#include "tools/pydest/progress_line.h"

namespace pydest::cli {

struct RunningDestination {
  ConfiguredDestination config;
  // Null only for a destination a reload could not start again over its
  // disk buffer (reload.h): it receives nothing until a later reload.
  std::unique_ptr<PyDestinationHost> host;
  // The contexts of what is handed to `host`, and what its shutdown hands
  // on at a reload.
  std::shared_ptr<CarryOver> carry;
  // A host a reload destroyed before its successor could start (its disk
  // buffer stays locked until then): its last counters.
  std::optional<DestinationStats> last_stats;
  std::optional<DestinationStats> last_dead_letter_stats;
};

// Starts a host for `destination`: its log records below `log_level` are
// not printed, the others go through `progress`; its outcomes are counted
// for the fatal-signal line and offered to `carry`. On failure the error
// names the destination and its class.
absl::StatusOr<RunningDestination> StartOne(
    const ConfiguredDestination& destination, LogRecord::Level log_level,
    ProgressLine* progress);

// Starts a host for each of `chosen`, appending it to *running. On failure
// returns the first error (StartOne's); the hosts started before it stay
// in *running, to be shut down.
absl::Status StartAll(const std::vector<ConfiguredDestination>& chosen,
                      LogRecord::Level log_level, ProgressLine* progress,
                      std::vector<RunningDestination>* running);

// Shuts every host of `running` down by `deadline`; (*errors)[i] is the
// i-th host's error, empty when it shut down cleanly (or it has none).
void ShutdownAll(std::vector<RunningDestination>& running,
                 absl::Time deadline, std::vector<std::string>* errors);

// Hands `messages` to r's host in order, waiting for room when its queue is
// full (log-fifo-size under the block policy, as syslog-ng's flow control
// would), until all are taken or `give_up()` says to stop waiting. Returns
// how many were taken. Each taken message owes an outcome (counted for the
// fatal-signal line) and carries a context from r.carry.
size_t HandOver(RunningDestination& r, absl::Span<const Message> messages,
                const std::function<bool()>& give_up);

// Where a destination's drops go, as the report names it: "file(PATH)",
// "python(CLASS)", or "" without a dead-letter().
std::string DeadLetterTarget(const DestinationOptions& options);

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_RUNNING_DESTINATIONS_H_
