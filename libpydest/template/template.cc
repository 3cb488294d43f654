// The template parser and the compiled form (a list of nodes).
#include "libpydest/template/template.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libpydest/message/message_rep.h"
#include "libpydest/template/template_function.h"
#include "pydest/limits.h"

namespace pydest::internal {
namespace {

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '_';
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

struct Node {
  enum class Kind { kLiteral, kMacro, kPair, kFunction };
  Kind kind = Kind::kLiteral;
  std::string text;  // literal text or pair name
  MacroId macro = 0;
  // ${NAME:-default}: `fallback` replaces an empty value.
  bool has_fallback = false;
  std::string fallback;
  std::unique_ptr<TemplateFunction> function;
};

class CompiledTemplate final : public Template {
 public:
  CompiledTemplate(std::string text, std::vector<Node> nodes)
      : text_(std::move(text)), nodes_(std::move(nodes)) {}

  void Format(const Message& msg, const MacroContext& ctx,
              std::string* out) const override {
    for (const Node& n : nodes_) {
      switch (n.kind) {
        case Node::Kind::kLiteral:
          out->append(n.text);
          break;
        case Node::Kind::kMacro: {
          size_t before = out->size();
          AppendMacro(n.macro, msg, ctx, out);
          if (n.has_fallback && out->size() == before) out->append(n.fallback);
          break;
        }
        case Node::Kind::kPair: {
          auto v = MessageAccess::Rep(msg).Get(n.text);
          if (v && !v->empty()) {
            out->append(v->data(), v->size());
          } else if (n.has_fallback) {
            out->append(n.fallback);
          }
          break;
        }
        case Node::Kind::kFunction:
          n.function->Call(msg, ctx, out);
          break;
      }
    }
  }
  const std::string& text() const override { return text_; }
  bool IsSingleReference(std::string* name) const override {
    if (nodes_.size() != 1) return false;
    const Node& n = nodes_[0];
    if (n.has_fallback) return false;
    if (n.kind == Node::Kind::kMacro) {
      *name = std::string(MacroName(n.macro));
      return true;
    }
    if (n.kind == Node::Kind::kPair) {
      *name = n.text;
      return true;
    }
    return false;
  }

 private:
  std::string text_;
  std::vector<Node> nodes_;
};

// Parses `text`, which sits at `base` in `source` (the string named in error
// messages), inside `depth` calls and groups. Each nested call compiles its
// arguments with a Parser of its own, so the depth limit is what keeps both
// the stack and the compile time (each level scans its argument once)
// bounded: kMaxTemplateNesting x the text's length at worst.
class Parser {
 public:
  Parser(std::string_view source, std::string_view text, size_t base,
         int depth)
      : source_(source), text_(text), base_(base), depth_(depth) {}

  absl::StatusOr<std::vector<Node>> Parse() {
    std::vector<Node> nodes;
    std::string literal;
    auto flush = [&] {
      if (literal.empty()) return;
      Node n;
      n.text = std::move(literal);
      nodes.push_back(std::move(n));
      literal.clear();
    };
    size_t i = 0;
    while (i < text_.size()) {
      char c = text_[i];
      if (c != '$' || i + 1 >= text_.size()) {
        literal.push_back(c);
        ++i;
        continue;
      }
      char next = text_[i + 1];
      if (next == '$') {
        literal.push_back('$');
        i += 2;
      } else if (next == '{') {
        size_t close = text_.find('}', i + 2);
        if (close == std::string_view::npos) {
          return Error(text_.size() - 1, "missing '}'");
        }
        std::string_view name = text_.substr(i + 2, close - i - 2);
        if (name.empty()) return Error(i + 2, "empty name in '${}'");
        flush();
        nodes.push_back(Reference(name));
        i = close + 1;
      } else if (next == '(') {
        flush();
        auto node = ParseFunction(&i);
        if (!node.ok()) return node.status();
        nodes.push_back(std::move(*node));
      } else if (IsNameChar(next)) {
        size_t end = i + 1;
        while (end < text_.size() && IsNameChar(text_[end])) ++end;
        flush();
        nodes.push_back(Reference(text_.substr(i + 1, end - i - 1)));
        i = end;
      } else {
        literal.push_back(c);  // a lone '$' is literal text
        ++i;
      }
    }
    flush();
    return nodes;
  }

 private:
  absl::Status Error(size_t pos, std::string_view what) const {
    return TemplateError(source_, base_ + pos, what);
  }

  // Called where one more call or group opens at `pos`.
  absl::Status CheckNesting(size_t pos, int depth) const {
    if (depth <= kMaxTemplateNesting) return absl::OkStatus();
    return Error(pos, absl::StrCat("template functions and parentheses "
                                   "nested more than ",
                                   kMaxTemplateNesting, " deep"));
  }

  static Node Reference(std::string_view name) {
    Node n;
    // ${NAME:-default} (syslog-ng 3.x): the default text when NAME is
    // empty or unset.
    if (size_t sep = name.find(":-"); sep != std::string_view::npos) {
      n.has_fallback = true;
      n.fallback = std::string(name.substr(sep + 2));
      name = name.substr(0, sep);
    }
    // A macro name expands the macro; anything else is a name-value pair
    // (including ${.SDATA.id.param}).
    if (auto id = LookupMacro(name)) {
      n.kind = Node::Kind::kMacro;
      n.macro = *id;
    } else {
      n.kind = Node::Kind::kPair;
      n.text = std::string(name);
    }
    return n;
  }

  // At "$(" at *pos; leaves *pos after the matching ')'.
  absl::StatusOr<Node> ParseFunction(size_t* pos) {
    size_t start = *pos;
    size_t i = start + 2;
    size_t name_start = i;
    while (i < text_.size() && !IsSpace(text_[i]) && text_[i] != ')') ++i;
    if (i >= text_.size()) return Error(text_.size() - 1, "missing ')'");
    std::string_view name = text_.substr(name_start, i - name_start);
    if (name.empty()) return Error(name_start, "missing function name");
    const int depth = depth_ + 1;
    if (auto st = CheckNesting(start, depth); !st.ok()) return st;
    std::vector<FunctionArg> args;
    auto st = ParseArgs(&i, /*closer=*/')', depth, &args);
    if (!st.ok()) return st;
    *pos = i;
    CallSite site{source_, base_ + start, depth};
    auto fn = CompileTemplateFunction(name, args, site);
    if (!fn.ok()) return fn.status();
    Node n;
    n.kind = Node::Kind::kFunction;
    n.function = std::move(*fn);
    return n;
  }

  // Reads arguments up to `closer` (consumed); *pos ends after it. `depth`
  // counts the calls and groups open here.
  absl::Status ParseArgs(size_t* pos, char closer, int depth,
                         std::vector<FunctionArg>* args) {
    size_t i = *pos;
    while (true) {
      while (i < text_.size() && IsSpace(text_[i])) ++i;
      if (i >= text_.size()) {
        return Error(text_.size() - 1,
                     closer == ')' ? "missing ')'" : "missing ')'");
      }
      char c = text_[i];
      if (c == closer) {
        *pos = i + 1;
        return absl::OkStatus();
      }
      FunctionArg arg;
      arg.offset = base_ + i;
      if (c == '"' || c == '\'') {
        arg.kind = FunctionArg::Kind::kQuoted;
        size_t j = i + 1;
        bool closed = false;
        while (j < text_.size()) {
          char q = text_[j];
          if (q == c) {
            closed = true;
            break;
          }
          if (c == '"' && q == '\\' && j + 1 < text_.size() &&
              (text_[j + 1] == '"' || text_[j + 1] == '\\')) {
            q = text_[++j];
          }
          arg.text.push_back(q);
          ++j;
        }
        if (!closed) return Error(i, "unterminated quoted string");
        i = j + 1;
      } else if (c == '(') {
        arg.kind = FunctionArg::Kind::kGroup;
        if (auto st = CheckNesting(i, depth + 1); !st.ok()) return st;
        ++i;
        auto st = ParseArgs(&i, ')', depth + 1, &arg.group);
        if (!st.ok()) return st;
      } else {
        // A bare word; it may hold $(...) and ${...} with spaces inside.
        // Quotes inside it (not inside a nested call) group text as a
        // shell does and are removed: a,b,"c d" is the one word a,b,c d,
        // as syslog-ng's argument splitting gives.
        size_t j = i;
        int depth = 0;
        bool unquoted = false;
        std::string word;
        while (j < text_.size()) {
          char w = text_[j];
          if (depth == 0 && (IsSpace(w) || w == ')')) break;
          if (depth == 0 && (w == '"' || w == '\'')) {
            size_t k = j + 1;
            while (k < text_.size() && text_[k] != w) {
              if (w == '"' && text_[k] == '\\' && k + 1 < text_.size() &&
                  (text_[k + 1] == '"' || text_[k + 1] == '\\')) {
                ++k;
              }
              word.push_back(text_[k]);
              ++k;
            }
            if (k >= text_.size()) return Error(j, "unterminated quoted string");
            unquoted = true;
            j = k + 1;
            continue;
          }
          size_t from = j;
          if (w == '$' && j + 1 < text_.size() && text_[j + 1] == '(') {
            ++depth;
            j += 2;
            word.append(text_.substr(from, j - from));
            continue;
          }
          if (w == '$' && j + 1 < text_.size() && text_[j + 1] == '{') {
            size_t close = text_.find('}', j + 2);
            if (close == std::string_view::npos) {
              return Error(text_.size() - 1, "missing '}'");
            }
            j = close + 1;
            word.append(text_.substr(from, j - from));
            continue;
          }
          if (w == '(') ++depth;
          if (w == ')') --depth;
          ++j;
          word.append(text_.substr(from, j - from));
        }
        arg.text = unquoted ? std::move(word)
                            : std::string(text_.substr(i, j - i));
        i = j;
      }
      args->push_back(std::move(arg));
    }
  }

  std::string_view source_;
  std::string_view text_;
  size_t base_;
  int depth_;
};

absl::StatusOr<std::shared_ptr<const Template>> CompileRange(
    std::string_view source, std::string_view text, size_t base, int depth) {
  Parser parser(source, text, base, depth);
  auto nodes = parser.Parse();
  if (!nodes.ok()) return nodes.status();
  // Only the whole template keeps its text: a copy per nested argument would
  // cost memory in proportion to length x depth.
  return std::shared_ptr<const Template>(std::make_shared<CompiledTemplate>(
      depth == 0 ? std::string(text) : std::string(), std::move(*nodes)));
}

}  // namespace

absl::Status TemplateError(std::string_view source, size_t offset,
                           std::string_view what) {
  // A long template is quoted by its start; the column says where.
  constexpr size_t kQuoted = 200;
  std::string quoted(source.substr(0, kQuoted));
  if (source.size() > kQuoted) quoted += "...";
  return absl::InvalidArgumentError(absl::StrCat(
      "template '", quoted, "': column ", offset + 1, ": ", std::string(what)));
}

absl::StatusOr<std::shared_ptr<const Template>> CompileArgument(
    const FunctionArg& arg, const CallSite& site) {
  // Quoted text was decoded, so columns inside it are approximate.
  size_t base = arg.kind == FunctionArg::Kind::kQuoted ? arg.offset + 1
                                                       : arg.offset;
  return CompileRange(site.source, arg.text, base, site.depth);
}

absl::StatusOr<std::shared_ptr<const Template>> Template::Compile(
    std::string_view text) {
  if (text.size() > kMaxTemplateBytes) {
    // The message names the size, not the text: quoting a megabyte of it
    // helps nobody.
    return absl::InvalidArgumentError(
        absl::StrCat("template of ", text.size(), " bytes is longer than the "
                     "limit of ", kMaxTemplateBytes, " bytes"));
  }
  return CompileRange(text, text, 0, 0);
}

}  // namespace pydest::internal
