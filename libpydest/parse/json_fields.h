// Flattening one JSON object into name-value fields the way syslog-ng's
// json-parser does: nested objects flattened with dots ("a.b"), integers as
// written, doubles with "%f" ("1.500000", golden .json.f), booleans
// "true"/"false", null as "", arrays of scalars as a comma-separated list
// ("1,2", golden .json.arr; each element quoted as syslog-ng's list encoding
// does, see AppendListElement in json_fields.cc), and arrays holding objects
// or arrays as compact JSON text.
//
// The object is read with nlohmann/json's SAX interface: no document tree is
// built, and nesting cannot exhaust the stack (the parser is iterative; depth
// is capped at kMaxJsonDepth anyway; members at kMaxJsonFields, both in
// pydest/limits.h).
//
// Thread-safe: pure functions.
#ifndef LIBPYDEST_PARSE_JSON_FIELDS_H_
#define LIBPYDEST_PARSE_JSON_FIELDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pydest/limits.h"

namespace pydest::parse_internal {

// One flattened field, in document order.
struct JsonField {
  enum class Kind { kString, kInteger, kFloat, kBool, kNull, kArray };

  std::string name;  // prefix + dotted path
  std::string text;  // the value as syslog-ng renders it
  Kind kind = Kind::kString;
  double number = 0;       // kInteger, kFloat: the value
  bool top_level = false;  // a direct member of the line's object
  size_t key_offset = 0;   // name.substr(key_offset): the member's own key
};

// Flattens the JSON object `text` into *fields (appended; names start with
// `prefix`). Returns false when `text` is not one well-formed JSON object
// (invalid JSON, trailing text, an array or scalar at the top, invalid UTF-8,
// nesting deeper than kMaxJsonDepth, more than kMaxJsonFields members);
// *fields is then unspecified.
bool FlattenJsonObject(std::string_view text, std::string_view prefix,
                       std::vector<JsonField>* fields);

}  // namespace pydest::parse_internal

#endif  // LIBPYDEST_PARSE_JSON_FIELDS_H_
