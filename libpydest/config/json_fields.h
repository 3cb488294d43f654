// Readers for fields of the JSON configuration form (docs/config-json.md):
// each checks a JSON value's type and range and reports errors as
// "config JSON: '<field path>': <what was expected>".
//
// Thread-safety: stateless functions.
#ifndef LIBPYDEST_CONFIG_JSON_FIELDS_H_
#define LIBPYDEST_CONFIG_JSON_FIELDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "pydest/value_pairs.h"

namespace pydest {
namespace config_internal {

// Ordered, so that options and patterns keep the order they are written in.
using Json = nlohmann::ordered_json;

absl::Status FieldError(const std::string& path, std::string_view what);
// JSON keys may use '-' or '_'; compared in '-' spelling.
std::string Key(const std::string& key);
absl::StatusOr<std::string> GetString(const Json& v, const std::string& path);
absl::StatusOr<int64_t> GetInt(const Json& v, const std::string& path,
                               int64_t min);
absl::StatusOr<double> GetNumber(const Json& v, const std::string& path);
absl::StatusOr<bool> GetBool(const Json& v, const std::string& path);
// A string or a list of strings.
absl::StatusOr<std::vector<std::string>> GetStrings(const Json& v,
                                                    const std::string& path);

// The "value-pairs" object.
absl::Status ValuePairsFromJson(const Json& v, ValuePairsSpec* spec);

}  // namespace config_internal
}  // namespace pydest

#endif  // LIBPYDEST_CONFIG_JSON_FIELDS_H_
