// $(format-json ...) and $(format-flat-json ...): value-pairs selection
// rendered as one JSON object. format-json nests dotted names ("kv.user" ->
// {"kv":{"user":...}}), format-flat-json keeps them as keys; a leading dot
// becomes '_' (".SDATA.a.b" -> {"_SDATA":{"a":{"b":...}}}) without
// --leave-initial-dot. Keys come in descending byte order, as syslog-ng
// 3.38 writes them. Values are strings unless a pair carries a type hint
// (--pair n=int($X)): int/int32/int64/double/boolean/list/json/literal
// values are written as JSON of that type, and a value that does not fit
// its type makes the whole expansion empty (syslog-ng 3.38 does the same
// under every @version).
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libpydest/template/function_util.h"
#include "libpydest/template/value_pairs_args.h"

namespace pydest::internal {
namespace {

void AppendJsonString(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xf]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}


bool IsInteger(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  std::strtoll(s.c_str(), &end, 10);
  return errno == 0 && *end == '\0';
}

bool IsDouble(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return *end == '\0';
}

// Appends `value` as JSON of type `hint`; false when it does not fit.
bool AppendTypedValue(const std::string& value, ValueType hint,
                      std::string* out) {
  switch (hint) {
    case ValueType::kString:
      AppendJsonString(value, out);
      return true;
    case ValueType::kLiteral:
    case ValueType::kJson:
      out->append(value);
      return true;
    case ValueType::kInteger:
      if (!IsInteger(value)) return false;
      out->append(value);
      return true;
    case ValueType::kDouble:
      if (!IsDouble(value)) return false;
      out->append(value);
      return true;
    case ValueType::kBoolean:
      if (value == "true" || value == "yes" || value == "1" ||
          value == "TRUE" || value == "YES" || value == "on") {
        out->append("true");
      } else if (value == "false" || value == "no" || value == "0" ||
                 value == "FALSE" || value == "NO" || value == "off") {
        out->append("false");
      } else {
        return false;
      }
      return true;
    case ValueType::kList: {
      std::vector<std::string> elements;
      AppendListElements(value, &elements);
      out->push_back('[');
      for (size_t i = 0; i < elements.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendJsonString(elements[i], out);
      }
      out->push_back(']');
      return true;
    }
  }
  return false;
}

class FormatJson final : public TemplateFunction {
 public:
  FormatJson(ValuePairsArgs args, bool flat)
      : args_(std::move(args)), flat_(flat) {}

  void Call(const Message& msg, const MacroContext& ctx,
            std::string* out) const override {
    std::vector<PairValue> kv = args_.Collect(msg, ctx);
    if (!args_.leave_initial_dot) {
      for (auto& e : kv) {
        if (!e.name.empty() && e.name[0] == '.') e.name[0] = '_';
      }
    }
    // Later entries win (nv-pairs, then macros, then pairs).
    std::stable_sort(kv.begin(), kv.end(), [](const auto& a, const auto& b) {
      return a.name > b.name;
    });
    std::string json;
    std::vector<std::string_view> open;  // path of open objects
    json.push_back('{');
    bool first = true;
    for (size_t i = 0; i < kv.size(); ++i) {
      if (i + 1 < kv.size() && kv[i + 1].name == kv[i].name) continue;
      if (args_.omit_empty && kv[i].value.empty()) continue;
      std::string_view name = kv[i].name;
      std::vector<std::string_view> parts;
      size_t start = 0;
      while (!flat_) {
        size_t dot = name.find('.', start);
        if (dot == std::string_view::npos) break;
        parts.push_back(name.substr(start, dot - start));
        start = dot + 1;
      }
      parts.push_back(name.substr(start));
      size_t common = 0;
      while (common < open.size() && common + 1 < parts.size() &&
             open[common] == parts[common]) {
        ++common;
      }
      while (open.size() > common) {
        json.push_back('}');
        open.pop_back();
      }
      for (size_t p = common; p + 1 < parts.size(); ++p) {
        if (!first) json.push_back(',');
        AppendJsonString(parts[p], &json);
        json.append(":{");
        open.push_back(parts[p]);
        first = true;
      }
      if (!first) json.push_back(',');
      AppendJsonString(parts.back(), &json);
      json.push_back(':');
      if (!AppendTypedValue(kv[i].value, kv[i].type, &json)) return;
      first = false;
    }
    for (size_t k = 0; k < open.size(); ++k) json.push_back('}');
    json.push_back('}');
    out->append(json);
  }

 private:
  ValuePairsArgs args_;
  bool flat_;
};

FunctionResult CompileJson(std::string_view name,
                           const std::vector<FunctionArg>& args,
                           const CallSite& site) {
  auto parsed = ParseValuePairsArgs(args, site, name);
  if (!parsed.ok()) return parsed.status();
  const bool flat = name == "format-flat-json";
  if (args.empty() && !flat) {
    // format-json without arguments: syslog-ng's template-function default.
    // (format-flat-json without arguments is "{}" in 3.38.)
    parsed->SetDefaultScopes(kScopeSelectedMacros | kScopeNvPairs |
                             kScopeSdata);
  }
  return std::unique_ptr<TemplateFunction>(
      std::make_unique<FormatJson>(std::move(*parsed), flat));
}

}  // namespace

absl::StatusOr<std::unique_ptr<TemplateFunction>> CompileFormatJson(
    const std::vector<FunctionArg>& args, const CallSite& site) {
  return CompileJson("format-json", args, site);
}

std::vector<FunctionEntry> JsonFunctions() {
  return {{"format-json", CompileJson},
          {"format-flat-json", CompileJson}};
}

}  // namespace pydest::internal
