// The body of `destination NAME { ... };`: each python() driver becomes a
// ConfiguredDestination (the second and later ones named NAME#1, NAME#2),
// its options read by python_options_parser.cc; every other driver is read
// over unless a config generator expands it.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libpydest/config/config_parser.h"
#include "libpydest/config/python_options_parser.h"
#include "pydest/config.h"

namespace pydest {
namespace config_internal {

absl::Status ConfigParser::ParseDestinationBody(TokenStream& in,
                                                const std::string& name,
                                                const Token& open) {
  int python_drivers = 0;
  Token driver, paren;
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(
        bool more, NextDriver(in, open, "destination", &driver, &paren));
    if (!more) return absl::OkStatus();
    if (driver.text != "python") {
      // A driver of syslog-ng's own (read over), or one Python code
      // generates.
      PYDEST_CFG_RETURN_IF_ERROR(
          TryConfigGenerator(in, "destination", driver, paren).status());
      continue;
    }
    ConfiguredDestination dest;
    dest.name = python_drivers == 0 ? name
                                    : absl::StrCat(name, "#", python_drivers);
    dest.file = in.filename();
    dest.line = driver.pos.line;
    dest.options.name = dest.name;
    ExplicitOptions explicit_options;
    PYDEST_CFG_RETURN_IF_ERROR(
        ParsePythonBody(in, driver, &dest.options, &explicit_options));
    config_.destinations.push_back(std::move(dest));
    explicit_.push_back(explicit_options);
    python_positions_.push_back(driver.pos);
    ++python_drivers;
  }
}

}  // namespace config_internal
}  // namespace pydest
