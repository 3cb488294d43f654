// OptionValue: one value of a python() destination's `options(...)`, as the
// configuration wrote it. The class receives it in init(options): under a
// 3.x configuration every value as str; from 4.2 on numbers, booleans,
// lists and LogTemplate() values keep their type (ConfigVersion).
//
// Thread-safety: a plain value.
#ifndef PYDEST_OPTION_VALUE_H_
#define PYDEST_OPTION_VALUE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace pydest {

struct OptionValue {
  enum class Kind : uint8_t {
    kString,    // "quoted" or a bare word
    kInteger,   // 123
    kDouble,    // 1.5
    kBoolean,   // yes/no/true/false/on/off
    kList,      // ["a", "b"]
    kTemplate,  // LogTemplate("${HOST}")
  };
  // What the value was written as; decides its Python type from 4.2 on.
  Kind kind = Kind::kString;
  // The value as written, without quotes (kBoolean: "true" or "false";
  // kTemplate: the template text). Unused for kList.
  std::string text;
  // kList: the elements as written; empty for every other kind.
  std::vector<std::string> items;
};

}  // namespace pydest

#endif  // PYDEST_OPTION_VALUE_H_
