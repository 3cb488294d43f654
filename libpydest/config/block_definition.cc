#include "libpydest/config/block_definition.h"

#include <cstdlib>
#include <optional>

#include "absl/strings/str_cat.h"
#include "pydest/limits.h"

namespace pydest {
namespace config_internal {
namespace {

// `...` in a parameter list: three '.' tokens (a '.' ends a word).
absl::StatusOr<bool> ReadEllipsis(TokenStream& in, const Token& first) {
  for (int i = 0; i < 2; ++i) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token dot, in.Next());
    if (dot.kind != TokenKind::kOther || dot.text != ".") {
      return in.ErrorAt(first.pos, "expected a parameter name or '...'");
    }
  }
  return true;
}

// The value of a raw argument that is exactly one string ("a" or 'a' or
// "a"'b'), decoded; nullopt for anything else (a word, several tokens).
std::optional<std::string> SingleStringValue(const std::string& raw) {
  if (raw.empty() || (raw[0] != '"' && raw[0] != '\'')) return std::nullopt;
  Lexer lexer(raw, "<argument>");
  absl::StatusOr<Token> first = lexer.Next();
  if (!first.ok() || first->kind != TokenKind::kString) return std::nullopt;
  absl::StatusOr<Token> rest = lexer.Next();
  if (!rest.ok() || rest->kind != TokenKind::kEnd) return std::nullopt;
  return first->text;
}

void AppendEscapedForDoubleQuotes(const std::string& value, std::string* out) {
  for (char c : value) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
}

}  // namespace

absl::StatusOr<BlockDefinition> ParseBlockDefinition(TokenStream& in) {
  BlockDefinition block;
  PYDEST_CFG_ASSIGN_OR_RETURN(Token context, in.Next());
  if (context.kind != TokenKind::kWord) {
    return in.ErrorAt(context.pos,
                      absl::StrCat("expected a block context (destination, "
                                   "source, root, ...), got ",
                                   DescribeToken(context)));
  }
  block.context = CanonicalName(context.text);
  PYDEST_CFG_ASSIGN_OR_RETURN(Token name, in.Next());
  if (name.kind != TokenKind::kWord) {
    return in.ErrorAt(name.pos, absl::StrCat("expected a block name, got ",
                                             DescribeToken(name)));
  }
  block.name = CanonicalName(name.text);
  PYDEST_CFG_RETURN_IF_ERROR(
      in.Expect(TokenKind::kLParen,
                absl::StrCat("'(' after block ", context.text, " ", name.text))
          .status());
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token param, in.Next());
    if (param.kind == TokenKind::kRParen) break;
    if (param.kind == TokenKind::kOther && param.text == ".") {
      PYDEST_CFG_ASSIGN_OR_RETURN(block.varargs, ReadEllipsis(in, param));
      continue;
    }
    if (param.kind != TokenKind::kWord) {
      return in.ErrorAt(param.pos,
                        absl::StrCat("expected a parameter name, got ",
                                     DescribeToken(param)));
    }
    PYDEST_CFG_ASSIGN_OR_RETURN(
        Token open,
        in.Expect(TokenKind::kLParen,
                  absl::StrCat("'(' after parameter '", param.text, "'")));
    BlockParameter p;
    p.name = CanonicalName(param.text);
    PYDEST_CFG_ASSIGN_OR_RETURN(p.default_raw,
                                in.ReadRawConfig(open.pos, '(', ')', /*trim=*/true));
    p.mandatory = p.default_raw.empty();
    block.params.push_back(std::move(p));
  }
  PYDEST_CFG_ASSIGN_OR_RETURN(
      Token brace,
      in.Expect(TokenKind::kLBrace,
                absl::StrCat("'{' after block ", context.text, " ", name.text,
                             "(...)")));
  // The body starts right after the '{'.
  block.body_start = brace.pos;
  block.body_start.column += 1;
  PYDEST_CFG_ASSIGN_OR_RETURN(block.body, in.ReadRawConfig(brace.pos, '{', '}', /*trim=*/false));
  return block;
}

absl::StatusOr<BlockArguments> ParseBlockArguments(TokenStream& in,
                                                   const Token& open) {
  BlockArguments args;
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token name, in.Next());
    if (name.kind == TokenKind::kRParen) return args;
    if (name.kind != TokenKind::kWord) {
      return in.ErrorAt(name.pos,
                        absl::StrCat("expected an argument such as name(value) "
                                     "in the block's arguments, got ",
                                     DescribeToken(name)));
    }
    PYDEST_CFG_ASSIGN_OR_RETURN(
        Token paren,
        in.Expect(TokenKind::kLParen,
                  absl::StrCat("'(' after argument '", name.text, "'")));
    PYDEST_CFG_ASSIGN_OR_RETURN(std::string raw,
                                in.ReadRawConfig(paren.pos, '(', ')', /*trim=*/true));
    args.emplace_back(CanonicalName(name.text), std::move(raw));
  }
  (void)open;
}

absl::StatusOr<std::string> ExpandBlock(const BlockDefinition& block,
                                        const BlockArguments& args,
                                        const Defines& defines,
                                        const TokenStream& in,
                                        const Token& use,
                                        size_t* expanded_bytes) {
  const std::string what =
      absl::StrCat("block ", block.context, " ", block.name, "()");
  // Each parameter's value: the argument's raw text, else the default.
  std::map<std::string, std::string> values;
  for (const BlockParameter& p : block.params) values[p.name] = p.default_raw;
  std::string varargs;
  for (const auto& [name, raw] : args) {
    auto it = values.find(name);
    if (it != values.end()) {
      it->second = raw;
    } else if (block.varargs) {
      absl::StrAppend(&varargs, varargs.empty() ? "" : " ", name, "(", raw,
                      ")");
    } else {
      std::vector<std::string_view> known;
      for (const BlockParameter& p : block.params) known.push_back(p.name);
      return in.ErrorAt(use.pos,
                        absl::StrCat(what, " has no parameter '", name, "'",
                                     DidYouMean(name, known)));
    }
  }
  for (const BlockParameter& p : block.params) {
    if (!p.mandatory) continue;
    bool given = false;
    for (const auto& arg : args) given = given || arg.first == p.name;
    if (!given) {
      return in.ErrorAt(use.pos, absl::StrCat(what, " needs the parameter '",
                                              p.name, "(...)'"));
    }
  }
  values["__VARARGS__"] = varargs;

  auto lookup = [&](const std::string& name) -> std::optional<std::string> {
    if (auto it = values.find(CanonicalName(name)); it != values.end()) {
      return it->second;
    }
    if (auto it = values.find(name); it != values.end()) return it->second;
    if (auto it = defines.find(name); it != defines.end()) return it->second;
    if (const char* env = std::getenv(name.c_str())) return std::string(env);
    return std::nullopt;
  };

  const std::string& body = block.body;
  std::string out;
  char quote = 0;  // the quote of the string we are in, if any
  size_t i = 0;
  while (i < body.size()) {
    char c = body[i];
    if (quote == 0 && c == '#') {  // comments are copied as they are
      size_t end = body.find('\n', i);
      if (end == std::string::npos) end = body.size();
      out.append(body, i, end - i);
      i = end;
      continue;
    }
    if (quote == '"' && c == '\\' && i + 1 < body.size()) {
      out.append(body, i, 2);
      i += 2;
      continue;
    }
    if (c == '"' || c == '\'') {
      if (quote == 0) {
        quote = c;
      } else if (quote == c) {
        quote = 0;
      }
    }
    if (c != '`') {
      out.push_back(c);
      ++i;
      continue;
    }
    size_t close = body.find('`', i + 1);
    if (close == std::string::npos) {
      out.append(body, i, std::string::npos);
      break;
    }
    std::string name = body.substr(i + 1, close - i - 1);
    std::optional<std::string> value =
        name.empty() ? std::nullopt : lookup(name);
    if (!value.has_value()) {
      // `` and unknown names are left for the reader's own substitution
      // (a literal backtick, and empty).
      out.append(body, i, close + 1 - i);
    } else if (quote != 0) {
      std::optional<std::string> string_value = SingleStringValue(*value);
      const std::string& inserted = string_value ? *string_value : *value;
      if (quote == '"' && string_value.has_value()) {
        AppendEscapedForDoubleQuotes(inserted, &out);
      } else {
        out += inserted;
      }
    } else {
      out += *value;
    }
    i = close + 1;
    if (out.size() > kMaxDefineExpansionBytes - *expanded_bytes) {
      return in.ErrorAt(use.pos,
                        absl::StrCat(what, " expands past ",
                                     kMaxDefineExpansionBytes,
                                     " substituted bytes"));
    }
  }
  *expanded_bytes += out.size();
  return out;
}

}  // namespace config_internal
}  // namespace pydest
