#include "libpydest/config/json_fields.h"

#include "absl/strings/str_cat.h"
#include "libpydest/config/diagnostics.h"

namespace pydest {
namespace config_internal {

absl::Status FieldError(const std::string& path, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      "config JSON: '", path, "': ", absl::string_view(what.data(),
                                                       what.size())));
}

std::string Key(const std::string& key) { return CanonicalName(key); }

absl::StatusOr<std::string> GetString(const Json& v, const std::string& path) {
  if (!v.is_string()) return FieldError(path, "expected a string");
  return v.get<std::string>();
}

absl::StatusOr<int64_t> GetInt(const Json& v, const std::string& path,
                               int64_t min) {
  if (!v.is_number_integer()) return FieldError(path, "expected an integer");
  int64_t n = v.get<int64_t>();
  if (n < min) {
    return FieldError(path, min == 0 ? "expected a non-negative integer"
                                     : "expected a positive integer");
  }
  return n;
}

absl::StatusOr<double> GetNumber(const Json& v, const std::string& path) {
  if (!v.is_number()) return FieldError(path, "expected a number");
  return v.get<double>();
}

absl::StatusOr<bool> GetBool(const Json& v, const std::string& path) {
  if (!v.is_boolean()) return FieldError(path, "expected true or false");
  return v.get<bool>();
}

absl::StatusOr<std::vector<std::string>> GetStrings(const Json& v,
                                                    const std::string& path) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
    return out;
  }
  if (!v.is_array()) return FieldError(path, "expected a list of strings");
  for (const Json& item : v) {
    if (!item.is_string()) {
      return FieldError(path, "expected a list of strings");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace config_internal
}  // namespace pydest
