// TypeHint: the type a value-pairs() pair is cast to before the Python
// class receives it — `pair("pid" int("$PID"))` — and the type syslog-ng
// gives a macro's value. Whether hints are applied at all is
// ValuePairsSpec::cast (by default decided by the @version).
//
// Thread-safety: a plain value.
#ifndef PYDEST_TYPE_HINT_H_
#define PYDEST_TYPE_HINT_H_

#include <cstdint>

namespace pydest {

// kNone is a template with no hint (a string).
enum class TypeHint : uint8_t {
  kNone,
  kString,
  kLiteral,
  kInt32,   // int(), int32()
  kInt64,   // int64()
  kDouble,  // double(), float()
  kBoolean,
  kDateTime,
  kList,
  kJson,
  kNull,
};

}  // namespace pydest

#endif  // PYDEST_TYPE_HINT_H_
