// Test support: renders a Record entry the way Python's repr() and
// type(v).__name__ would show the value send() receives, so results compare
// directly with the golden recordings. Test-only; thread-safe.
#ifndef TESTS_VALUE_PAIRS_PY_REPR_H_
#define TESTS_VALUE_PAIRS_PY_REPR_H_

#include <string>
#include <string_view>

#include "libpydest/value_pairs/record.h"

namespace pydest::testing {

// Python's repr() of a bytes object: b'...' (b"..." when the value holds a
// ' and no "), with \\ \t \n \r, the quote, and \xNN for other bytes
// outside 0x20-0x7e.
std::string PyBytesRepr(std::string_view bytes);

// "bytes", "int", "float", "bool", "datetime", "list", "NoneType".
std::string PyTypeName(internal::ValueKind kind);

// repr() of the value of `e` (datetime values in UTC).
std::string PyRepr(const internal::Record& record,
                   const internal::RecordEntry& e);

}  // namespace pydest::testing

#endif  // TESTS_VALUE_PAIRS_PY_REPR_H_
