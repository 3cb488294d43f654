// Rendering JSON values as name-value pairs the way syslog-ng's json-parser
// does: nested objects flattened with dots ("a.b"), integers as written,
// doubles with "%f" ("1.500000", golden .json.f), booleans "true"/"false",
// null as "", arrays of scalars as a comma-separated list ("1,2", golden
// .json.arr; each element quoted as syslog-ng's list encoding does, see
// AppendListElement in json_values.cc), and arrays holding objects or arrays
// as compact JSON text.
//
// Thread-safe: pure functions.
#ifndef LIBPYDEST_PARSE_JSON_VALUES_H_
#define LIBPYDEST_PARSE_JSON_VALUES_H_

#include <string>

#include "nlohmann/json.hpp"
#include "pydest/message.h"

namespace pydest::parse_internal {

// ordered_json: fields keep their order in the line.
using Json = nlohmann::ordered_json;

// A scalar rendered as text; false (and *out untouched) for objects/arrays.
bool RenderScalar(const Json& v, std::string* out);

// Sets `value` under `*name` on the builder, flattening objects into
// "<name>.<key>" pairs. *name is used as scratch space and restored.
void AddField(std::string* name, const Json& value, MessageBuilder* b);

}  // namespace pydest::parse_internal

#endif  // LIBPYDEST_PARSE_JSON_VALUES_H_
