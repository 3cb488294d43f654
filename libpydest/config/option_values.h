// Parser for python()'s `options(...)` block (syslog-ng-behaviour.md §1.2):
// key/value pairs handed to the Python class's init(options).
//
// Accepted: `"key" "value"`, `key value`, `key => value`; values may be
// strings, bare words, numbers, yes/no/true/false/on/off, lists
// `["a", "b"]` and `LogTemplate("${HOST}")`. Keys have '-' turned into '_'.
// A repeated key keeps its first position and takes the last value (what
// the Python dict shows in 3.38 and 4.3+). Each value keeps its
// OptionValue::Kind; the host decides by configuration version whether
// Python sees str (3.x) or the typed value (4.2+).
//
// Thread-safety: stateless functions.
#ifndef LIBPYDEST_CONFIG_OPTION_VALUES_H_
#define LIBPYDEST_CONFIG_OPTION_VALUES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "libpydest/config/token_stream.h"
#include "pydest/option_value.h"

namespace pydest {
namespace config_internal {

using OptionList = std::vector<std::pair<std::string, OptionValue>>;

// Reads pairs after `options(` up to and including the closing ')', merging
// them into `options`.
absl::Status ParseOptionsBlock(TokenStream& in, OptionList* options);

// Adds or replaces `key` (already '_' spelled), keeping the first position.
void SetOption(OptionList* options, std::string key, OptionValue value);

}  // namespace config_internal
}  // namespace pydest

#endif  // LIBPYDEST_CONFIG_OPTION_VALUES_H_
