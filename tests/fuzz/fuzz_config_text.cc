// Fuzzes the syslog-ng configuration parser (include/pydest/config.h): the
// input is configuration text for pydest::ParseConfig (the path
// ParseConfigFile takes once it has read the file) and for
// pydest::ParsePythonOptions; what parses is used as the host would use it.
//
// @include is relative to a directory that does not exist, so relative
// includes match nothing; an absolute @include reads whatever it names (the
// parser's file limits are part of what is fuzzed).
//
// The text is also preprocessed (ConfigReadOptions::preprocess): what
// parses must parse again from its preprocessed form, to as many
// destinations and sources, or the harness aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz_config_support.h"
#include "pydest/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto config = pydest::ParseConfig(text, "/nonexistent-pydest-fuzz/fuzz.conf");
  if (config.ok()) {
    for (const pydest::ConfiguredDestination& d : config->destinations) {
      pydest::fuzz::UseOptions(d.options);
    }
  }

  pydest::ConfigReadOptions preprocess;
  preprocess.preprocess = true;
  auto original =
      pydest::ParseConfig(text, "/nonexistent-pydest-fuzz/fuzz.conf", preprocess);
  if (original.ok()) {
    auto again = pydest::ParseConfig(original->preprocessed,
                                     "/nonexistent-pydest-fuzz/again.conf");
    if (!again.ok() ||
        again->destinations.size() != original->destinations.size() ||
        again->sources.size() != original->sources.size()) {
      std::abort();
    }
  }

  auto options = pydest::ParsePythonOptions(text, "fuzz-options");
  if (options.ok()) pydest::fuzz::UseOptions(*options);
  return 0;
}
