// What pydest reads, and where each input's messages go: the FILE
// arguments into every selected destination; without them, the
// configuration's own file() and stdin() sources, each into the destinations
// its log paths route it to, named and parsed as the configuration says;
// standard input when there is neither.
//
// Plain functions without state; thread-safe.
#ifndef PYDEST_TOOLS_PYDEST_INPUT_PLAN_H_
#define PYDEST_TOOLS_PYDEST_INPUT_PLAN_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "pydest/config.h"
#include "pydest/parse.h"
#include "tools/pydest/args.h"

namespace pydest::cli {

struct PlannedInput {
  std::string path;  // "-" for standard input
  InputFormat format = InputFormat::kAuto;
  // SOURCE, the .source.NAME tag, FILE_NAME and keep-hostname(); the
  // receive time is set per read.
  ParseOptions options;
  // The destinations (by name) that receive its messages; empty: all.
  std::vector<std::string> destinations;
  // --follow: a regular file is read on as it grows and across rotation
  // until a stop signal (FileFollower), looking every follow_freq (the
  // source's follow-freq(), else 1 s).
  bool follow = false;
  absl::Duration follow_freq = absl::Seconds(1);
};

std::vector<PlannedInput> PlanInputs(
    const CommandLine& cl, const Config& config,
    const std::vector<ConfiguredDestination>& chosen);

// Whether two plans read the same inputs the same way into the same
// destinations (a reload keeps the plan of the start and says so when the
// reloaded configuration's would differ).
bool SameInputs(const std::vector<PlannedInput>& a,
                const std::vector<PlannedInput>& b);

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_INPUT_PLAN_H_
