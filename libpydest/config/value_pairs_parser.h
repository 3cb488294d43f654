// Parser for the inside of `value-pairs(...)`: scope(), key(), exclude(),
// pair() with type hints, rekey() transform sets, cast(), include-bytes(),
// omit-empty-values (syslog-ng-behaviour.md §5.2).
//
// Thread-safety: stateless functions.
#ifndef LIBPYDEST_CONFIG_VALUE_PAIRS_PARSER_H_
#define LIBPYDEST_CONFIG_VALUE_PAIRS_PARSER_H_

#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "libpydest/config/token_stream.h"
#include "pydest/value_pairs.h"

namespace pydest {
namespace config_internal {

// Reads value-pairs options after `value-pairs(` up to and including the
// closing ')', adding to `spec` (repeated value-pairs() blocks add up).
absl::Status ParseValuePairsBody(TokenStream& in, ValuePairsSpec* spec);

// Scope bits for a scope name (with aliases core/base = rfc3164,
// syslog-proto = rfc5424, all-nv-pairs, everything, none = 0); nullopt for
// an unknown name. '_' and '-' are the same.
std::optional<uint32_t> ScopeFromName(std::string_view name);

// The type hint of `int(...)`, `double(...)`, ...; nullopt when `name` is not
// a hint.
std::optional<TypeHint> TypeHintFromName(std::string_view name);

}  // namespace config_internal
}  // namespace pydest

#endif  // LIBPYDEST_CONFIG_VALUE_PAIRS_PARSER_H_
