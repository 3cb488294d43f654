// Which of a configuration's python() destinations pydest runs, with the
// options pydest adds (the Python search path), and how they are described
// to the user (--check).
//
// Plain functions without state; thread-safe.
#ifndef PYDEST_TOOLS_PYDEST_DESTINATION_PLAN_H_
#define PYDEST_TOOLS_PYDEST_DESTINATION_PLAN_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pydest/config.h"
#include "pydest/value_pairs.h"

namespace pydest::cli {

// The destinations named in `names` (in that order, each once), or every
// python() destination of the configuration when `names` is empty.
// InvalidArgument when a name is not a python() destination of the
// configuration (the message lists the ones it defines), or when the
// configuration defines none.
absl::StatusOr<std::vector<ConfiguredDestination>> SelectDestinations(
    const Config& config, const std::vector<std::string>& names);

// Sets the Python module search path of `options` the way syslog-ng's
// python path works for a configuration: the directories given on the
// command line first (in order), then whatever the options already had, then
// the configuration file's own directory, so that
// class("betterpythonexample.TextDestination") finds the module that sits
// next to syslog-ng.conf. Relative directories are made absolute (against
// the current directory) and duplicates are dropped.
void SetPythonPath(const std::vector<std::string>& extra_dirs,
                   const std::string& config_file, DestinationOptions* options);

// A one-line summary of a value-pairs() spec, e.g. "scope(everything)",
// "scope(rfc5424 nv-pairs) key(\"a*\") exclude(\"R_*\") 2 pair() 1 rekey()",
// or "none (send() receives a LogMessage)".
std::string DescribeValuePairs(const std::optional<ValuePairsSpec>& spec);

// What --check prints for a destination:
// "python_to_file: class(betterpythonexample.TextDestination)
//  value-pairs(scope(everything)) workers(1) [syslog-ng.conf:12]".
std::string DescribeDestination(const ConfiguredDestination& destination);

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_DESTINATION_PLAN_H_
