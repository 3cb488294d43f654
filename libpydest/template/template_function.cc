// $(echo), $(lowercase), $(uppercase) and $(substr), and the registry
// (name -> factory) that CompileTemplateFunction looks names up in.
#include "libpydest/template/template_function.h"

#include <cstdlib>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libpydest/template/function_util.h"

namespace pydest::internal {
namespace {

bool ParseInteger(const std::string& text, int64_t* out) {
  return !text.empty() && absl::SimpleAtoi(text, out);
}

// $(echo ...), $(lowercase ...), $(uppercase ...): the arguments joined by
// a space, optionally case-mapped (ASCII, as syslog-ng's functions).
class JoinFunction final : public TemplateFunction {
 public:
  enum class Case { kKeep, kLower, kUpper };
  JoinFunction(std::vector<TemplatePtr> args, Case c)
      : args_(std::move(args)), case_(c) {}
  void Call(const Message& msg, const MacroContext& ctx,
            std::string* out) const override {
    size_t start = out->size();
    for (size_t i = 0; i < args_.size(); ++i) {
      if (i > 0) out->push_back(' ');
      args_[i]->Format(msg, ctx, out);
    }
    if (case_ == Case::kKeep) return;
    for (size_t i = start; i < out->size(); ++i) {
      char& c = (*out)[i];
      if (case_ == Case::kLower && c >= 'A' && c <= 'Z') c += 'a' - 'A';
      if (case_ == Case::kUpper && c >= 'a' && c <= 'z') c -= 'a' - 'A';
    }
  }

 private:
  std::vector<TemplatePtr> args_;
  Case case_;
};

// $(substr "$X" start [length]): a negative start counts from the end; a
// negative length leaves that many characters off the end.
class SubstrFunction final : public TemplateFunction {
 public:
  SubstrFunction(TemplatePtr value, int64_t start, bool has_length,
                 int64_t length)
      : value_(std::move(value)),
        start_(start),
        has_length_(has_length),
        length_(length) {}
  void Call(const Message& msg, const MacroContext& ctx,
            std::string* out) const override {
    std::string value;
    value_->Format(msg, ctx, &value);
    int64_t n = static_cast<int64_t>(value.size());
    int64_t s = start_ < 0 ? n + start_ : start_;
    if (s < 0) s = 0;
    if (s >= n) return;
    int64_t e = n;
    if (has_length_) e = length_ < 0 ? n + length_ : std::min(n, s + length_);
    if (e <= s) return;
    out->append(value, static_cast<size_t>(s), static_cast<size_t>(e - s));
  }

 private:
  TemplatePtr value_;
  int64_t start_;
  bool has_length_;
  int64_t length_;
};

absl::StatusOr<int64_t> IntegerArg(const FunctionArg& a, const CallSite& site,
                                   std::string_view what) {
  int64_t v;
  if (a.kind == FunctionArg::Kind::kGroup || !ParseInteger(a.text, &v)) {
    return TemplateError(site.source, a.offset,
                         absl::StrCat("$(substr): ", std::string(what),
                                      " must be an integer"));
  }
  return v;
}

FunctionResult CompileJoin(std::string_view name,
                           const std::vector<FunctionArg>& args,
                           const CallSite& site) {
  auto compiled = CompileArgs(args, site, name);
  if (!compiled.ok()) return compiled.status();
  JoinFunction::Case c = name == "echo"        ? JoinFunction::Case::kKeep
                         : name == "lowercase" ? JoinFunction::Case::kLower
                                               : JoinFunction::Case::kUpper;
  return std::unique_ptr<TemplateFunction>(
      std::make_unique<JoinFunction>(std::move(*compiled), c));
}

FunctionResult CompileSubstr(std::string_view,
                             const std::vector<FunctionArg>& args,
                             const CallSite& site) {
  if (args.size() < 2 || args.size() > 3) {
    return TemplateError(site.source, site.offset,
                         "$(substr) takes a value, a start and an optional "
                         "length");
  }
  auto value = CompileArgument(args[0], site);
  if (!value.ok()) return value.status();
  auto start = IntegerArg(args[1], site, "start");
  if (!start.ok()) return start.status();
  int64_t length = 0;
  if (args.size() == 3) {
    auto l = IntegerArg(args[2], site, "length");
    if (!l.ok()) return l.status();
    length = *l;
  }
  return std::unique_ptr<TemplateFunction>(std::make_unique<SubstrFunction>(
      std::move(*value), *start, args.size() == 3, length));
}

FunctionResult CompileIf(std::string_view, const std::vector<FunctionArg>& args,
                         const CallSite& site) {
  return CompileIfFunction(args, site);
}

using Registry = absl::flat_hash_map<std::string_view, FunctionFactory>;

const Registry& Functions() {
  static const Registry* registry = [] {
    auto* r = new Registry;
    for (const auto& family :
         {std::vector<FunctionEntry>{{"echo", CompileJoin},
                                     {"lowercase", CompileJoin},
                                     {"uppercase", CompileJoin},
                                     {"substr", CompileSubstr},
                                     {"if", CompileIf}},
          StringFunctions(), HashFunctions(), EncodingFunctions(),
          ListFunctions(), NumericFunctions(), JsonFunctions(), KvFunctions(),
          MiscFunctions()}) {
      for (const FunctionEntry& e : family) r->emplace(e.name, e.factory);
    }
    return r;
  }();
  return *registry;
}

// Levenshtein distance, for "did you mean".
size_t Distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

absl::StatusOr<std::unique_ptr<TemplateFunction>> CompileTemplateFunction(
    std::string_view name, const std::vector<FunctionArg>& args,
    const CallSite& site) {
  const Registry& functions = Functions();
  if (auto it = functions.find(name); it != functions.end()) {
    return it->second(name, args, site);
  }
  std::string_view best;
  size_t best_distance = 3;  // suggest only close names
  for (const auto& [known, factory] : functions) {
    size_t d = Distance(name, known);
    if (d < best_distance || (d == best_distance && known < best)) {
      best = known;
      best_distance = d;
    }
  }
  std::string what =
      absl::StrCat("unknown template function '", std::string(name), "'");
  if (!best.empty() && name.size() > 2) {
    absl::StrAppend(&what, "; did you mean '", std::string(best), "'?");
  }
  return TemplateError(site.source, site.offset + 2, what);
}

}  // namespace pydest::internal
