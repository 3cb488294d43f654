// Parser for the options of one `python(...)` destination driver
// (syslog-ng-behaviour.md §1.1) and for the top-level `options { ... };`
// block whose template and queue settings python() destinations inherit.
//
// Thread-safety: stateless functions.
#ifndef LIBPYDEST_CONFIG_PYTHON_OPTIONS_PARSER_H_
#define LIBPYDEST_CONFIG_PYTHON_OPTIONS_PARSER_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libpydest/config/token_stream.h"
#include "pydest/destination_options.h"
#include "pydest/on_error.h"
#include "pydest/target.h"

namespace pydest {
namespace config_internal {

// Which inheritable options a python() block set itself; the others take
// the global `options {}` value.
struct ExplicitOptions {
  bool on_error = false;
  bool time_reopen = false;
  bool log_fifo_size = false;
  bool frac_digits = false;
  bool ts_format = false;
  bool local_time_zone = false;
  bool send_time_zone = false;
  bool target = false;
  // The same for a dead-letter(python(...)) inside; null without one.
  std::shared_ptr<ExplicitOptions> dead_letter;
};

// Values from `options { ... };`.
struct GlobalDefaults {
  std::optional<OnError> on_error;
  std::optional<absl::Duration> time_reopen;
  std::optional<size_t> log_fifo_size;
  std::optional<int> frac_digits;
  std::optional<std::string> ts_format;
  std::optional<std::string> local_time_zone;
  std::optional<std::string> send_time_zone;
  std::optional<Target> target;
  std::optional<bool> keep_hostname;  // for the sources pydest reads
};

// Reads python() options up to and including the closing ')' (or, with
// `until_end`, up to the end of the input: the bare option list that
// ParsePythonOptions accepts). `keyword` is the `python` token (where
// "no class()" is reported); `out` keeps its name, version and defaults for
// what the block does not set. `in_dead_letter`: the python() inside a
// dead-letter(), where dead-letter() itself is an error.
absl::Status ParsePythonBody(TokenStream& in, const Token& keyword,
                             DestinationOptions* out,
                             ExplicitOptions* explicit_options,
                             bool until_end = false,
                             bool in_dead_letter = false);

// Reads a global options block after its '{' up to and including '}'.
// Options neither python() destinations nor pydest's sources use
// (stats-freq(), chain-hostnames(), ...) are read over.
absl::Status ParseGlobalOptionsBody(TokenStream& in, GlobalDefaults* out);

// Fills what `explicit_options` says the destination left unset, in a
// dead-letter(python(...)) too.
void ApplyGlobalDefaults(const GlobalDefaults& defaults,
                         const ExplicitOptions& explicit_options,
                         DestinationOptions* out);

// on-error() values (syslog-ng-behaviour.md §6); '_' and '-' are the same.
std::optional<OnError> OnErrorFromName(std::string_view name);
// ts-format() values, normalised: bsd -> rfc3164, iso -> rfc3339.
std::optional<std::string> TsFormatFromName(std::string_view name);
// target() values: syslog-ng (also syslogng), axosyslog; '_' and '-' are
// the same.
std::optional<Target> TargetFromName(std::string_view name);

}  // namespace config_internal
}  // namespace pydest

#endif  // LIBPYDEST_CONFIG_PYTHON_OPTIONS_PARSER_H_
