// $(format-json ...): value-pairs selection rendered as one JSON object.
// Dotted names nest ("kv.user" -> {"kv":{"user":...}}); a leading dot
// becomes '_' (".SDATA.a.b" -> {"_SDATA":{"a":{"b":...}}}), as syslog-ng's
// format-json does without --leave-initial-dot. Values are strings.
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libpydest/template/pair_selection.h"
#include "libpydest/template/template_function.h"

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

class FormatJson final : public TemplateFunction {
 public:
  FormatJson(PairSelection selection,
             std::vector<std::pair<std::string, std::shared_ptr<const Template>>>
                 pairs,
             bool omit_empty, bool leave_initial_dot)
      : selection_(std::move(selection)),
        pairs_(std::move(pairs)),
        omit_empty_(omit_empty),
        leave_initial_dot_(leave_initial_dot) {}

  void Call(const Message& msg, const MacroContext& ctx,
            std::string* out) const override {
    std::vector<std::pair<std::string, std::string>> kv;
    std::string scratch;
    selection_.ForEach(msg, ctx, &scratch,
                       [&](std::string_view name, std::string_view value, bool) {
                         kv.emplace_back(std::string(name), std::string(value));
                       });
    for (const auto& [name, tmpl] : pairs_) {
      std::string value;
      tmpl->Format(msg, ctx, &value);
      kv.emplace_back(name, std::move(value));
    }
    if (!leave_initial_dot_) {
      for (auto& e : kv) {
        if (!e.first.empty() && e.first[0] == '.') e.first[0] = '_';
      }
    }
    // Later entries win (nv-pairs, then macros, then pairs).
    std::stable_sort(kv.begin(), kv.end(), [](const auto& a, const auto& b) {
      return a.first < b.first;
    });
    std::vector<std::string_view> open;  // path of open objects
    out->push_back('{');
    bool first = true;
    for (size_t i = 0; i < kv.size(); ++i) {
      if (i + 1 < kv.size() && kv[i + 1].first == kv[i].first) continue;
      if (omit_empty_ && kv[i].second.empty()) continue;
      std::string_view name = kv[i].first;
      std::vector<std::string_view> parts;
      size_t start = 0;
      while (true) {
        size_t dot = name.find('.', start);
        if (dot == std::string_view::npos) {
          parts.push_back(name.substr(start));
          break;
        }
        parts.push_back(name.substr(start, dot - start));
        start = dot + 1;
      }
      size_t common = 0;
      while (common < open.size() && common + 1 < parts.size() &&
             open[common] == parts[common]) {
        ++common;
      }
      while (open.size() > common) {
        out->push_back('}');
        open.pop_back();
      }
      for (size_t p = common; p + 1 < parts.size(); ++p) {
        if (!first) out->push_back(',');
        AppendJsonString(parts[p], out);
        out->append(":{");
        open.push_back(parts[p]);
        first = true;
      }
      if (!first) out->push_back(',');
      AppendJsonString(parts.back(), out);
      out->push_back(':');
      AppendJsonString(kv[i].second, out);
      first = false;
    }
    for (size_t k = 0; k < open.size(); ++k) out->push_back('}');
    out->push_back('}');
  }

 private:
  PairSelection selection_;
  std::vector<std::pair<std::string, std::shared_ptr<const Template>>> pairs_;
  bool omit_empty_;
  bool leave_initial_dot_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<TemplateFunction>> CompileFormatJson(
    const std::vector<FunctionArg>& args, const CallSite& site) {
  uint32_t scopes = 0;
  std::vector<KeyPattern> patterns;
  std::vector<std::pair<std::string, std::shared_ptr<const Template>>> pairs;
  bool omit_empty = false;
  bool leave_initial_dot = false;
  auto error = [&](const FunctionArg& a, std::string_view what) {
    return TemplateError(site.source, a.offset,
                         absl::StrCat("$(format-json): ", std::string(what)));
  };
  auto add_pair = [&](const FunctionArg& a, std::string_view spec)
      -> absl::Status {
    size_t eq = spec.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return error(a, absl::StrCat("expected NAME=VALUE, got '",
                                   std::string(spec), "'"));
    }
    FunctionArg value = a;
    value.text = std::string(spec.substr(eq + 1));
    value.kind = FunctionArg::Kind::kQuoted;  // columns approximate
    auto t = CompileArgument(value, site);
    if (!t.ok()) return t.status();
    pairs.emplace_back(std::string(spec.substr(0, eq)), std::move(*t));
    return absl::OkStatus();
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const FunctionArg& a = args[i];
    if (a.kind == FunctionArg::Kind::kGroup) return error(a, "unexpected '('");
    std::string_view opt = a.text;
    std::string_view inline_value;
    bool has_inline = false;
    if (a.kind == FunctionArg::Kind::kWord && opt.size() > 2 &&
        opt.substr(0, 2) == "--") {
      size_t eq = opt.find('=');
      if (eq != std::string_view::npos) {
        inline_value = opt.substr(eq + 1);
        opt = opt.substr(0, eq);
        has_inline = true;
      }
      auto take_value = [&](std::string_view* v) -> bool {
        if (has_inline) {
          *v = inline_value;
          return true;
        }
        if (i + 1 >= args.size() ||
            args[i + 1].kind == FunctionArg::Kind::kGroup) {
          return false;
        }
        *v = args[++i].text;
        return true;
      };
      std::string_view v;
      if (opt == "--omit-empty-values") {
        omit_empty = true;
      } else if (opt == "--leave-initial-dot") {
        leave_initial_dot = true;
      } else if (opt == "--scope") {
        if (!take_value(&v)) return error(a, "--scope needs a value");
        size_t start = 0;
        while (start <= v.size()) {
          size_t comma = v.find(',', start);
          std::string_view one = v.substr(
              start, comma == std::string_view::npos ? std::string_view::npos
                                                     : comma - start);
          uint32_t bits;
          if (!ParseScopeName(one, &bits)) {
            return error(a, absl::StrCat("unknown scope '", std::string(one),
                                         "'"));
          }
          scopes = bits == 0 ? 0 : scopes | bits;
          if (comma == std::string_view::npos) break;
          start = comma + 1;
        }
      } else if (opt == "--key" || opt == "--exclude") {
        if (!take_value(&v)) {
          return error(a, absl::StrCat(std::string(opt), " needs a value"));
        }
        patterns.push_back(KeyPattern{opt == "--key", std::string(v)});
      } else if (opt == "--pair") {
        if (!take_value(&v)) return error(a, "--pair needs NAME=VALUE");
        auto st = add_pair(args[i], v);
        if (!st.ok()) return st;
      } else {
        return error(a, absl::StrCat("unknown option '", std::string(opt),
                                     "'"));
      }
      continue;
    }
    auto st = add_pair(a, a.text);
    if (!st.ok()) return st;
  }
  if (args.empty()) {
    // format-json without arguments: syslog-ng's template-function default.
    scopes = kScopeSelectedMacros | kScopeNvPairs | kScopeSdata;
  }
  return std::unique_ptr<TemplateFunction>(std::make_unique<FormatJson>(
      PairSelection(scopes, patterns), std::move(pairs), omit_empty,
      leave_initial_dot));
}

}  // namespace pydest::internal
