// Test helper: decodes a Python bytes repr (b'...' or b"...", as the golden
// files write raw lines and values) into the bytes it stands for.
// Thread-safe: a pure function.
#ifndef TESTS_PARSE_PY_BYTES_REPR_H_
#define TESTS_PARSE_PY_BYTES_REPR_H_

#include <string>
#include <string_view>

namespace pydest::test {

// Handles the escapes Python's repr() emits: \xNN, \\, \', \", \n, \r, \t.
inline std::string DecodePyBytesRepr(std::string_view repr) {
  if (repr.size() >= 3 && repr[0] == 'b' &&
      (repr[1] == '\'' || repr[1] == '"') && repr.back() == repr[1]) {
    repr = repr.substr(2, repr.size() - 3);
  }
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
  };
  std::string out;
  for (size_t i = 0; i < repr.size(); ++i) {
    char c = repr[i];
    if (c != '\\' || i + 1 >= repr.size()) {
      out.push_back(c);
      continue;
    }
    char e = repr[++i];
    switch (e) {
      case 'x':
        if (i + 2 < repr.size()) {
          out.push_back(static_cast<char>(hex(repr[i + 1]) * 16 +
                                          hex(repr[i + 2])));
          i += 2;
        }
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      default:  // \\ \' \"
        out.push_back(e);
        break;
    }
  }
  return out;
}

}  // namespace pydest::test

#endif  // TESTS_PARSE_PY_BYTES_REPR_H_
