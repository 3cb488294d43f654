// $(echo), $(lowercase), $(uppercase) and $(substr), and the factory that
// dispatches on the function name.
#include "libpydest/template/template_function.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace pydest::internal {
namespace {

bool ParseInteger(const std::string& text, int64_t* out) {
  return !text.empty() && absl::SimpleAtoi(text, out);
}

using TemplatePtr = std::shared_ptr<const Template>;

absl::StatusOr<std::vector<TemplatePtr>> CompileArgs(
    const std::vector<FunctionArg>& args, const CallSite& site,
    std::string_view fn) {
  std::vector<TemplatePtr> out;
  for (const FunctionArg& a : args) {
    if (a.kind == FunctionArg::Kind::kGroup) {
      return TemplateError(site.source, a.offset,
                           absl::StrCat("$(", std::string(fn),
                                        "): unexpected '('"));
    }
    auto t = CompileArgument(a, site);
    if (!t.ok()) return t.status();
    out.push_back(std::move(*t));
  }
  return out;
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

}  // namespace

absl::StatusOr<std::unique_ptr<TemplateFunction>> CompileTemplateFunction(
    std::string_view name, const std::vector<FunctionArg>& args,
    const CallSite& site) {
  if (name == "echo" || name == "lowercase" || name == "uppercase") {
    auto compiled = CompileArgs(args, site, name);
    if (!compiled.ok()) return compiled.status();
    JoinFunction::Case c = name == "echo"        ? JoinFunction::Case::kKeep
                           : name == "lowercase" ? JoinFunction::Case::kLower
                                                 : JoinFunction::Case::kUpper;
    return std::unique_ptr<TemplateFunction>(
        std::make_unique<JoinFunction>(std::move(*compiled), c));
  }
  if (name == "substr") {
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
  if (name == "if") return CompileIfFunction(args, site);
  if (name == "format-json") return CompileFormatJson(args, site);
  return TemplateError(
      site.source, site.offset + 2,
      absl::StrCat("unknown template function '", std::string(name), "'"));
}

}  // namespace pydest::internal
