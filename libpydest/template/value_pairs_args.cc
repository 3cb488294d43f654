#include "libpydest/template/value_pairs_args.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace pydest::internal {
namespace {

struct TypeName {
  std::string_view name;
  ValueType type;
};
constexpr TypeName kTypes[] = {
    {"string", ValueType::kString},   {"literal", ValueType::kLiteral},
    {"int", ValueType::kInteger},     {"int32", ValueType::kInteger},
    {"int64", ValueType::kInteger},   {"double", ValueType::kDouble},
    {"float", ValueType::kDouble},    {"boolean", ValueType::kBoolean},
    {"list", ValueType::kList},       {"json", ValueType::kJson},
    {"datetime", ValueType::kString},
};

// "int($X)" -> kInteger and "$X"; anything else is a plain string value.
ValueType SplitTypeHint(std::string_view* value) {
  size_t open = value->find('(');
  if (open == std::string_view::npos || value->empty() ||
      value->back() != ')') {
    return ValueType::kString;
  }
  std::string_view name = value->substr(0, open);
  for (const TypeName& t : kTypes) {
    if (t.name == name) {
      *value = value->substr(open + 1, value->size() - open - 2);
      return t.type;
    }
  }
  return ValueType::kString;
}

}  // namespace

void ValuePairsArgs::SetDefaultScopes(uint32_t scopes) {
  scopes_ = scopes;
  selection_ = std::make_shared<PairSelection>(scopes_, patterns_);
}

std::vector<PairValue> ValuePairsArgs::Collect(const Message& msg,
                                               const MacroContext& ctx) const {
  std::vector<PairValue> out;
  std::string scratch;
  selection_->ForEach(msg, ctx, &scratch,
                      [&](std::string_view name, std::string_view value, bool) {
                        if (!subkeys_.empty()) {
                          bool matched = false;
                          for (const std::string& p : subkeys_) {
                            if (name.size() > p.size() &&
                                name.substr(0, p.size()) == p) {
                              name = name.substr(p.size());
                              matched = true;
                              break;
                            }
                          }
                          if (!matched) return;
                        }
                        out.push_back(PairValue{std::string(name),
                                                std::string(value),
                                                ValueType::kString});
                      });
  for (const Pair& p : pairs_) {
    PairValue v{p.name, std::string(), p.type};
    p.value->Format(msg, ctx, &v.value);
    out.push_back(std::move(v));
  }
  return out;
}

absl::StatusOr<ValuePairsArgs> ParseValuePairsArgs(
    const std::vector<FunctionArg>& args, const CallSite& site,
    std::string_view fn) {
  ValuePairsArgs vp;
  auto error = [&](const FunctionArg& a, std::string_view what) {
    return FunctionError(site, a.offset, fn, what);
  };
  auto add_pair = [&](const FunctionArg& a,
                      std::string_view spec) -> absl::Status {
    size_t eq = spec.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return error(a, absl::StrCat("expected NAME=VALUE, got '", std::string(spec), "'"));
    }
    std::string_view text = spec.substr(eq + 1);
    ValueType type = SplitTypeHint(&text);
    FunctionArg value = a;
    value.text = std::string(text);
    value.kind = FunctionArg::Kind::kQuoted;  // columns approximate
    auto t = CompileArgument(value, site);
    if (!t.ok()) return t.status();
    vp.pairs_.push_back(
        ValuePairsArgs::Pair{std::string(spec.substr(0, eq)), *t, type});
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
        vp.omit_empty = true;
      } else if (opt == "--leave-initial-dot") {
        vp.leave_initial_dot = true;
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
            return error(a, absl::StrCat("unknown scope '", std::string(one), "'"));
          }
          vp.scopes_ = bits == 0 ? 0 : vp.scopes_ | bits;
          if (comma == std::string_view::npos) break;
          start = comma + 1;
        }
      } else if (opt == "--key" || opt == "--exclude") {
        if (!take_value(&v)) {
          return error(a, absl::StrCat(std::string(opt), " needs a value"));
        }
        vp.patterns_.push_back(KeyPattern{opt == "--key", std::string(v)});
      } else if (opt == "--subkeys") {
        if (!take_value(&v) || v.empty()) {
          return error(a, "--subkeys needs a prefix");
        }
        vp.subkeys_.emplace_back(v);
        vp.patterns_.push_back(KeyPattern{true, absl::StrCat(std::string(v), "*")});
      } else if (opt == "--pair") {
        if (!take_value(&v)) return error(a, "--pair needs NAME=VALUE");
        auto st = add_pair(args[i], v);
        if (!st.ok()) return st;
      } else {
        return error(a, absl::StrCat("unknown option '", std::string(opt), "'"));
      }
      continue;
    }
    auto st = add_pair(a, a.text);
    if (!st.ok()) return st;
  }
  vp.selection_ = std::make_shared<PairSelection>(vp.scopes_, vp.patterns_);
  return vp;
}

}  // namespace pydest::internal
