// $(echo), $(lowercase), $(uppercase), $(substr) and $(if).
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

// The condition of $(if (cond) then else): comparisons of two templates
// joined by and/or, with not and parentheses. `==` `!=` `<` `<=` `>` `>=`
// compare as integers when both sides are integers and as strings
// otherwise; eq ne lt le gt ge always compare strings.
class Condition {
 public:
  virtual ~Condition() = default;
  virtual bool Eval(const Message& msg, const MacroContext& ctx) const = 0;
};

class Comparison final : public Condition {
 public:
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };
  Comparison(TemplatePtr lhs, Op op, bool numeric, TemplatePtr rhs)
      : lhs_(std::move(lhs)), rhs_(std::move(rhs)), op_(op), numeric_(numeric) {}
  bool Eval(const Message& msg, const MacroContext& ctx) const override {
    std::string a, b;
    lhs_->Format(msg, ctx, &a);
    rhs_->Format(msg, ctx, &b);
    int cmp;
    int64_t x, y;
    if (numeric_ && ParseInteger(a, &x) && ParseInteger(b, &y)) {
      cmp = x < y ? -1 : x > y ? 1 : 0;
    } else {
      cmp = a.compare(b);
    }
    switch (op_) {
      case Op::kEq: return cmp == 0;
      case Op::kNe: return cmp != 0;
      case Op::kLt: return cmp < 0;
      case Op::kLe: return cmp <= 0;
      case Op::kGt: return cmp > 0;
      case Op::kGe: return cmp >= 0;
    }
    return false;
  }

 private:
  TemplatePtr lhs_, rhs_;
  Op op_;
  bool numeric_;
};

class Junction final : public Condition {
 public:
  Junction(std::unique_ptr<Condition> a, bool is_and,
           std::unique_ptr<Condition> b)
      : a_(std::move(a)), b_(std::move(b)), and_(is_and) {}
  bool Eval(const Message& msg, const MacroContext& ctx) const override {
    return and_ ? (a_->Eval(msg, ctx) && b_->Eval(msg, ctx))
                : (a_->Eval(msg, ctx) || b_->Eval(msg, ctx));
  }

 private:
  std::unique_ptr<Condition> a_, b_;
  bool and_;
};

class Negation final : public Condition {
 public:
  explicit Negation(std::unique_ptr<Condition> c) : c_(std::move(c)) {}
  bool Eval(const Message& msg, const MacroContext& ctx) const override {
    return !c_->Eval(msg, ctx);
  }

 private:
  std::unique_ptr<Condition> c_;
};

class ConditionParser {
 public:
  ConditionParser(const std::vector<FunctionArg>& tokens, const CallSite& site,
                  size_t group_offset)
      : t_(tokens), site_(site), group_offset_(group_offset) {}

  absl::StatusOr<std::unique_ptr<Condition>> Parse() {
    auto c = ParseOr();
    if (!c.ok()) return c;
    if (i_ < t_.size()) return Error(t_[i_].offset, "unexpected token");
    return c;
  }

 private:
  bool IsWord(std::string_view w) const {
    return i_ < t_.size() && t_[i_].kind == FunctionArg::Kind::kWord &&
           t_[i_].text == w;
  }
  absl::Status Error(size_t offset, std::string_view what) const {
    return TemplateError(site_.source, offset,
                         absl::StrCat("$(if): ", std::string(what)));
  }
  absl::StatusOr<std::unique_ptr<Condition>> ParseOr() {
    auto a = ParseAnd();
    if (!a.ok()) return a;
    std::unique_ptr<Condition> c = std::move(*a);
    while (IsWord("or")) {
      ++i_;
      auto b = ParseAnd();
      if (!b.ok()) return b;
      c = std::make_unique<Junction>(std::move(c), false, std::move(*b));
    }
    return c;
  }
  absl::StatusOr<std::unique_ptr<Condition>> ParseAnd() {
    auto a = ParseFactor();
    if (!a.ok()) return a;
    std::unique_ptr<Condition> c = std::move(*a);
    while (IsWord("and")) {
      ++i_;
      auto b = ParseFactor();
      if (!b.ok()) return b;
      c = std::make_unique<Junction>(std::move(c), true, std::move(*b));
    }
    return c;
  }
  absl::StatusOr<std::unique_ptr<Condition>> ParseFactor() {
    if (i_ >= t_.size()) return Error(EndOffset(), "missing comparison");
    if (IsWord("not")) {
      ++i_;
      auto c = ParseFactor();
      if (!c.ok()) return c;
      return std::unique_ptr<Condition>(std::make_unique<Negation>(std::move(*c)));
    }
    if (t_[i_].kind == FunctionArg::Kind::kGroup) {
      ConditionParser inner(t_[i_].group, site_, t_[i_].offset);
      ++i_;
      return inner.Parse();
    }
    if (i_ + 2 >= t_.size()) {
      return Error(t_[i_].offset, "expected '<value> <operator> <value>'");
    }
    const FunctionArg& lhs = t_[i_];
    const FunctionArg& op = t_[i_ + 1];
    const FunctionArg& rhs = t_[i_ + 2];
    struct OpName {
      std::string_view name;
      Comparison::Op op;
      bool numeric;
    };
    static constexpr OpName kOps[] = {
        {"==", Comparison::Op::kEq, true}, {"!=", Comparison::Op::kNe, true},
        {"<", Comparison::Op::kLt, true},  {"<=", Comparison::Op::kLe, true},
        {">", Comparison::Op::kGt, true},  {">=", Comparison::Op::kGe, true},
        {"eq", Comparison::Op::kEq, false}, {"ne", Comparison::Op::kNe, false},
        {"lt", Comparison::Op::kLt, false}, {"le", Comparison::Op::kLe, false},
        {"gt", Comparison::Op::kGt, false}, {"ge", Comparison::Op::kGe, false},
    };
    const OpName* found = nullptr;
    if (op.kind == FunctionArg::Kind::kWord) {
      for (const OpName& o : kOps) {
        if (o.name == op.text) found = &o;
      }
    }
    if (found == nullptr) {
      return Error(op.offset, absl::StrCat("unknown operator '", op.text, "'"));
    }
    if (lhs.kind == FunctionArg::Kind::kGroup ||
        rhs.kind == FunctionArg::Kind::kGroup) {
      return Error(lhs.offset, "expected '<value> <operator> <value>'");
    }
    auto l = CompileArgument(lhs, site_);
    if (!l.ok()) return l.status();
    auto r = CompileArgument(rhs, site_);
    if (!r.ok()) return r.status();
    i_ += 3;
    return std::unique_ptr<Condition>(std::make_unique<Comparison>(
        std::move(*l), found->op, found->numeric, std::move(*r)));
  }
  size_t EndOffset() const {
    return t_.empty() ? group_offset_ : t_.back().offset;
  }

  const std::vector<FunctionArg>& t_;
  const CallSite& site_;
  size_t group_offset_;
  size_t i_ = 0;
};

class IfFunction final : public TemplateFunction {
 public:
  IfFunction(std::unique_ptr<Condition> cond, TemplatePtr then_t,
             TemplatePtr else_t)
      : cond_(std::move(cond)),
        then_(std::move(then_t)),
        else_(std::move(else_t)) {}
  void Call(const Message& msg, const MacroContext& ctx,
            std::string* out) const override {
    (cond_->Eval(msg, ctx) ? then_ : else_)->Format(msg, ctx, out);
  }

 private:
  std::unique_ptr<Condition> cond_;
  TemplatePtr then_, else_;
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
  if (name == "if") {
    if (args.size() != 3 || args[0].kind != FunctionArg::Kind::kGroup) {
      return TemplateError(site.source, site.offset,
                           "$(if) takes a (condition), a value if true and "
                           "a value if false");
    }
    ConditionParser parser(args[0].group, site, args[0].offset);
    auto cond = parser.Parse();
    if (!cond.ok()) return cond.status();
    auto then_t = CompileArgument(args[1], site);
    if (!then_t.ok()) return then_t.status();
    auto else_t = CompileArgument(args[2], site);
    if (!else_t.ok()) return else_t.status();
    return std::unique_ptr<TemplateFunction>(std::make_unique<IfFunction>(
        std::move(*cond), std::move(*then_t), std::move(*else_t)));
  }
  if (name == "format-json") return CompileFormatJson(args, site);
  return TemplateError(
      site.source, site.offset + 2,
      absl::StrCat("unknown template function '", std::string(name), "'"));
}

}  // namespace pydest::internal
