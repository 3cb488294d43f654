// The numeric functions $(+ A B), $(- A B), $(* A B), $(/ A B), $(% A B) of
// syslog-ng's basicfuncs: exactly two operands; integers (int64) when both
// are integers, otherwise floating point printed with 20 decimals (as 3.38
// prints "3.50000000000000000000"). A missing or non-numeric operand, a
// wrong number of arguments and division by zero give "NaN".
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libpydest/template/function_util.h"

namespace pydest::internal {
namespace {

struct Number {
  bool is_int = true;
  int64_t i = 0;
  double d = 0;
  double AsDouble() const { return is_int ? static_cast<double>(i) : d; }
};

bool ParseNumber(const std::string& s, Number* n) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno == 0 && *end == '\0') {
    n->is_int = true;
    n->i = v;
    return true;
  }
  errno = 0;
  double d = std::strtod(s.c_str(), &end);
  if (*end != '\0' || end == s.c_str()) return false;
  n->is_int = false;
  n->d = d;
  return true;
}

template <char op>
void Apply(std::vector<std::string>& v, std::string* out) {
  Number a, b;
  if (v.size() != 2 || !ParseNumber(v[0], &a) || !ParseNumber(v[1], &b)) {
    out->append("NaN");
    return;
  }
  if (a.is_int && b.is_int) {
    // Wrapping arithmetic (no undefined behaviour on overflow).
    uint64_t x = static_cast<uint64_t>(a.i), y = static_cast<uint64_t>(b.i);
    int64_t r = 0;
    switch (op) {
      case '+': r = static_cast<int64_t>(x + y); break;
      case '-': r = static_cast<int64_t>(x - y); break;
      case '*': r = static_cast<int64_t>(x * y); break;
      case '/':
      case '%':
        if (b.i == 0 || (a.i == INT64_MIN && b.i == -1)) {
          out->append("NaN");
          return;
        }
        r = op == '/' ? a.i / b.i : a.i % b.i;
        break;
    }
    absl::StrAppend(out, r);
    return;
  }
  double x = a.AsDouble(), y = b.AsDouble(), r = 0;
  switch (op) {
    case '+': r = x + y; break;
    case '-': r = x - y; break;
    case '*': r = x * y; break;
    case '/':
    case '%':
      if (y == 0) {
        out->append("NaN");
        return;
      }
      r = op == '/' ? x / y : std::fmod(x, y);
      break;
  }
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.20f", r);
  out->append(buf);
}

template <char op>
FunctionResult Compile(std::string_view name,
                       const std::vector<FunctionArg>& args,
                       const CallSite& site) {
  auto compiled = CompileArgs(args, site, name);
  if (!compiled.ok()) return compiled.status();
  return MakeSimpleFunction(std::move(*compiled), Apply<op>);
}

}  // namespace

std::vector<FunctionEntry> NumericFunctions() {
  return {{"+", Compile<'+'>},
          {"-", Compile<'-'>},
          {"*", Compile<'*'>},
          {"/", Compile<'/'>},
          {"%", Compile<'%'>}};
}

}  // namespace pydest::internal
