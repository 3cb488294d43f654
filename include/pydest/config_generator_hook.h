// ConfigGeneratorHook: how the configuration parser asks for the text of a
// driver it does not know. syslog-ng 4.x lets Python code define drivers
// (syslogng.register_config_generator); the parser hands each unknown
// driver call to the hook in ConfigReadOptions::config_generators and
// reads what it returns in place of the call. pydest::PythonConfigGenerators
// (config_generators.h) is the hook backed by Python; tests and hosts
// without Python may supply their own.
//
// Thread-safety: plain values. A hook is called on the thread that parses
// the configuration; one hook may serve several parses at once only if it
// is thread-safe itself (PythonConfigGenerators is).
#ifndef PYDEST_CONFIG_GENERATOR_HOOK_H_
#define PYDEST_CONFIG_GENERATOR_HOOK_H_

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace pydest {

// A driver the configuration layer does not know, offered to Python config
// generators (syslogng.register_config_generator, syslog-ng 4.x).
struct ConfigGeneratorCall {
  std::string context;  // "destination" or "source"
  std::string name;     // the driver's name as written
  // Its arguments NAME(value) as written (raw text); `args_ok` is false
  // when they are not all of that form (then a generator is an error).
  std::vector<std::pair<std::string, std::string>> args;
  bool args_ok = true;
  // The configuration's python {} code read so far, where generators are
  // registered, and the name it runs under.
  std::string python_code;
  std::string python_code_filename;
};

// Configuration text to read in place of the call, nullopt when no
// generator of that name exists; an error is a configuration error at the
// call. pydest::PythonConfigGenerators (config_generators.h) runs Python's.
using ConfigGeneratorHook = std::function<absl::StatusOr<std::optional<std::string>>(
    const ConfigGeneratorCall& call)>;

}  // namespace pydest

#endif  // PYDEST_CONFIG_GENERATOR_HOOK_H_
