// Reading pydest's configuration as the command line says: the file (-f)
// parsed with the include path and, unless --syntax-only, the config
// generators of its python {} code; the destinations chosen (-d); each
// one's Python search path (--python-path, then the configuration's own
// directory); with --preprocess-into, the preprocessed configuration
// written. pydest does it at start and again for each reload (SIGHUP),
// so that a reload sees exactly what a restart would.
//
// Thread-safety: may be called from any thread; the config generators take
// the GIL themselves.
#ifndef PYDEST_TOOLS_PYDEST_LOAD_CONFIGURATION_H_
#define PYDEST_TOOLS_PYDEST_LOAD_CONFIGURATION_H_

#include <vector>

#include "absl/status/statusor.h"
#include "pydest/config.h"
#include "tools/pydest/args.h"

namespace pydest::cli {

struct LoadedConfiguration {
  Config config;
  // The destinations pydest runs, in order, with the search path set.
  std::vector<ConfiguredDestination> chosen;
};

// Reads cl.config_file. `run_python` false (--syntax-only) leaves the
// config generators out: no Python code runs. On error the status's
// message is ready to print: "file:line:column: what" for the
// configuration, "file: unknown destination ..." for a bad -d, "FILE:
// cannot be written (why)" for --preprocess-into.
absl::StatusOr<LoadedConfiguration> LoadConfiguration(const CommandLine& cl,
                                                      bool run_python);

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_LOAD_CONFIGURATION_H_
