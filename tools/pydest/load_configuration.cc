#include "tools/pydest/load_configuration.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "pydest/config_generators.h"
#include "pydest/destination_options.h"
#include "tools/pydest/destination_plan.h"
#include "tools/pydest/output_path.h"

namespace pydest::cli {

absl::StatusOr<LoadedConfiguration> LoadConfiguration(const CommandLine& cl,
                                                      bool run_python) {
  ConfigReadOptions read_options;
  read_options.include_path = cl.include_path;
  read_options.preprocess = !cl.preprocess_into.empty();
  if (run_python) {
    // Drivers that python {} code defines with register_config_generator;
    // its modules are found where the destinations' are. Without Python, a
    // driver only such code defines is read over (and noted).
    DestinationOptions search;
    SetPythonPath(cl.python_path, cl.config_file, &search);
    read_options.config_generators =
        PythonConfigGenerators(search.python_path);
  }
  absl::StatusOr<Config> config = ParseConfigFile(cl.config_file, read_options);
  if (!config.ok()) return config.status();
  absl::StatusOr<std::vector<ConfiguredDestination>> chosen =
      SelectDestinations(*config, cl.destinations);
  if (!chosen.ok()) {
    return absl::Status(chosen.status().code(),
                        absl::StrCat(cl.config_file, ": ",
                                     chosen.status().message()));
  }
  for (ConfiguredDestination& d : *chosen) {
    SetPythonPath(cl.python_path, cl.config_file, &d.options);
  }
  if (!cl.preprocess_into.empty()) {
    absl::Status written =
        WriteOutputFile(cl.preprocess_into, config->preprocessed);
    if (!written.ok()) return written;
  }
  LoadedConfiguration loaded;
  loaded.config = std::move(*config);
  loaded.chosen = std::move(*chosen);
  return loaded;
}

}  // namespace pydest::cli
