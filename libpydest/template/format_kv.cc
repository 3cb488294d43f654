// $(format-welf ...) (kvformat module) and $(format-cef-extension ...) (cef
// module): the value-pairs selection (value_pairs_args.h) as "key=value"
// pairs separated by one space, keys in ascending byte order.
//   welf: a value holding a space is double-quoted, with \\ \" \n \r \t
//         escaped inside the quotes.
//   cef:  '=' and '\' are escaped with '\', newline and CR as \n and \r,
//         other control characters as \u00XX (ArcSight's extension rules).
#include <algorithm>
#include <utility>

#include "libpydest/template/value_pairs_args.h"

namespace pydest::internal {
namespace {

void AppendWelfValue(std::string_view v, std::string* out) {
  if (v.find(' ') == std::string_view::npos) {
    out->append(v);
    return;
  }
  out->push_back('"');
  for (char c : v) {
    switch (c) {
      case '\\': out->append("\\\\"); break;
      case '"': out->append("\\\""); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default: out->push_back(c);
    }
  }
  out->push_back('"');
}

void AppendCefValue(std::string_view v, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  for (char ch : v) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\\': out->append("\\\\"); break;
      case '=': out->append("\\="); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
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
}

class FormatKv final : public TemplateFunction {
 public:
  FormatKv(ValuePairsArgs args, bool cef) : args_(std::move(args)), cef_(cef) {}
  void Call(const Message& msg, const MacroContext& ctx,
            std::string* out) const override {
    std::vector<PairValue> kv = args_.Collect(msg, ctx);
    std::stable_sort(kv.begin(), kv.end(), [](const auto& a, const auto& b) {
      return a.name < b.name;
    });
    bool first = true;
    for (size_t i = 0; i < kv.size(); ++i) {
      if (i + 1 < kv.size() && kv[i + 1].name == kv[i].name) continue;
      if (args_.omit_empty && kv[i].value.empty()) continue;
      if (!first) out->push_back(' ');
      first = false;
      out->append(kv[i].name);
      out->push_back('=');
      if (cef_) {
        AppendCefValue(kv[i].value, out);
      } else {
        AppendWelfValue(kv[i].value, out);
      }
    }
  }

 private:
  ValuePairsArgs args_;
  bool cef_;
};

FunctionResult CompileKv(std::string_view name,
                         const std::vector<FunctionArg>& args,
                         const CallSite& site) {
  auto parsed = ParseValuePairsArgs(args, site, name);
  if (!parsed.ok()) return parsed.status();
  return std::unique_ptr<TemplateFunction>(std::make_unique<FormatKv>(
      std::move(*parsed), name == "format-cef-extension"));
}

}  // namespace

std::vector<FunctionEntry> KvFunctions() {
  return {{"format-welf", CompileKv}, {"format-cef-extension", CompileKv}};
}

}  // namespace pydest::internal
