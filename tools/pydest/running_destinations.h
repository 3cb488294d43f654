// The python() destinations of one pydest run, each in its own
// PyDestinationHost: started one after another (the first that fails ends
// the start), their log records printed on standard error from the chosen
// level up, and shut down all at once so that one slow destination does not
// eat the others' share of the deadline.
//
// Thread-safety: StartAll and ShutdownAll are called from the main thread;
// the hosts themselves may be fed from any thread.
#ifndef PYDEST_TOOLS_PYDEST_RUNNING_DESTINATIONS_H_
#define PYDEST_TOOLS_PYDEST_RUNNING_DESTINATIONS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "pydest/config.h"
#include "pydest/host.h"
#include "tools/pydest/progress_line.h"

namespace pydest::cli {

struct RunningDestination {
  ConfiguredDestination config;
  std::unique_ptr<PyDestinationHost> host;
  // Read but not handed to this host: a stop signal came while its queue
  // was full (reported as dropped, not accepted).
  uint64_t not_sent = 0;
};

// Starts a host for each of `chosen`, appending it to *running. Records
// below `log_level` are not printed; the others go through `progress`. On
// failure returns the first error, naming the destination and its class;
// the hosts started before it stay in *running, to be shut down.
absl::Status StartAll(const std::vector<ConfiguredDestination>& chosen,
                      LogRecord::Level log_level, ProgressLine* progress,
                      std::vector<RunningDestination>* running);

// Shuts every host of `running` down by `deadline`; (*errors)[i] is the
// i-th host's error, empty when it shut down cleanly.
void ShutdownAll(std::vector<RunningDestination>& running,
                 absl::Time deadline, std::vector<std::string>* errors);

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_RUNNING_DESTINATIONS_H_
