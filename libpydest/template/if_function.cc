// $(if (condition) "then" "else") and its condition language.
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libpydest/template/template_function.h"

namespace pydest::internal {
namespace {

using TemplatePtr = std::shared_ptr<const Template>;

bool ParseInteger(const std::string& text, int64_t* out) {
  return !text.empty() && absl::SimpleAtoi(text, out);
}

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

// a and b and c (or a or b or c): one node for the whole run, so a long
// chain costs no stack depth to evaluate or to destroy.
class Junction final : public Condition {
 public:
  Junction(std::vector<std::unique_ptr<Condition>> terms, bool is_and)
      : terms_(std::move(terms)), and_(is_and) {}
  bool Eval(const Message& msg, const MacroContext& ctx) const override {
    for (const auto& t : terms_) {
      if (t->Eval(msg, ctx) != and_) return !and_;
    }
    return and_;
  }

 private:
  std::vector<std::unique_ptr<Condition>> terms_;
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
    return ParseJunction(/*is_and=*/false);
  }
  absl::StatusOr<std::unique_ptr<Condition>> ParseAnd() {
    return ParseJunction(/*is_and=*/true);
  }
  // Terms joined by "and" (factors) or "or" (and-runs).
  absl::StatusOr<std::unique_ptr<Condition>> ParseJunction(bool is_and) {
    std::vector<std::unique_ptr<Condition>> terms;
    do {
      if (!terms.empty()) ++i_;
      auto term = is_and ? ParseFactor() : ParseAnd();
      if (!term.ok()) return term;
      terms.push_back(std::move(*term));
    } while (IsWord(is_and ? "and" : "or"));
    if (terms.size() == 1) return std::move(terms[0]);
    return std::unique_ptr<Condition>(
        std::make_unique<Junction>(std::move(terms), is_and));
  }
  absl::StatusOr<std::unique_ptr<Condition>> ParseFactor() {
    // "not not x" is x: a run of nots is counted, not nested.
    bool negate = false;
    while (IsWord("not")) {
      negate = !negate;
      ++i_;
    }
    auto c = ParseOperand();
    if (!c.ok() || !negate) return c;
    return std::unique_ptr<Condition>(
        std::make_unique<Negation>(std::move(*c)));
  }
  // A (group) or a comparison. Groups nest no deeper than the template
  // parser allowed their parentheses to (kMaxTemplateNesting).
  absl::StatusOr<std::unique_ptr<Condition>> ParseOperand() {
    if (i_ >= t_.size()) return Error(EndOffset(), "missing comparison");
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

}  // namespace

absl::StatusOr<std::unique_ptr<TemplateFunction>> CompileIfFunction(
    const std::vector<FunctionArg>& args, const CallSite& site) {
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

}  // namespace pydest::internal
