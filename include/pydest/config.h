// Reading syslog-ng configuration text: the python() destinations it
// defines, with their options, and the log paths that use them.
//
// ParseConfig* functions are thread-safe (no shared state).
#ifndef PYDEST_CONFIG_H_
#define PYDEST_CONFIG_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "pydest/options.h"

namespace pydest {

struct ConfiguredDestination {
  std::string name;  // destination NAME { ... }
  DestinationOptions options;
  std::string file;  // where it was defined
  int line = 0;
};

struct Config {
  ConfigVersion version;
  std::vector<ConfiguredDestination> destinations;  // python() ones only
  // Names of python destinations referenced by some log {} path.
  std::vector<std::string> used_in_log_paths;
};

// Parses configuration text. `filename` is used in error messages and to
// resolve @include. Errors name the file, line and column.
absl::StatusOr<Config> ParseConfig(std::string_view text,
                                   std::string_view filename = "<config>");
absl::StatusOr<Config> ParseConfigFile(const std::string& path);

// Parses the inside of `python(...)`: "class(\"m.C\") value-pairs(...)".
absl::StatusOr<DestinationOptions> ParsePythonOptions(
    std::string_view text, std::string_view filename = "<options>");

// The JSON form of the same options (see docs/config-json.md).
absl::StatusOr<DestinationOptions> DestinationOptionsFromJson(
    std::string_view json);

}  // namespace pydest

#endif  // PYDEST_CONFIG_H_
