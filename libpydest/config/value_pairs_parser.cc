#include "libpydest/config/value_pairs_parser.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libpydest/template/template.h"

namespace pydest {
namespace config_internal {
namespace {

const std::vector<std::string_view>& ScopeNames() {
  static const auto* const kNames = new std::vector<std::string_view>{
      "nv-pairs",     "dot-nv-pairs", "all-nv-pairs", "rfc3164",
      "core",         "base",         "rfc5424",      "syslog-proto",
      "selected-macros", "all-macros", "sdata",       "everything",
      "none"};
  return *kNames;
}

const std::vector<std::string_view>& VpOptionNames() {
  static const auto* const kNames = new std::vector<std::string_view>{
      "scope", "key", "exclude", "pair", "rekey", "cast",
      "include-bytes", "omit-empty-values"};
  return *kNames;
}

const std::vector<std::string_view>& TransformNames() {
  static const auto* const kNames = new std::vector<std::string_view>{
      "add-prefix", "replace-prefix", "shift", "shift-levels", "upper",
      "lower"};
  return *kNames;
}

const std::vector<std::string_view>& HintNames() {
  static const auto* const kNames = new std::vector<std::string_view>{
      "string", "literal", "int", "int32", "int64", "integer", "double",
      "float", "boolean", "datetime", "list", "json", "null"};
  return *kNames;
}

// scope(a b ...)
absl::Status ParseScope(TokenStream& in, ValuePairsSpec* spec) {
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token token, in.Next());
    if (token.kind == TokenKind::kRParen) return absl::OkStatus();
    if (!IsScalar(token)) {
      return in.ErrorAt(token.pos, absl::StrCat("expected a scope name, got ",
                                                DescribeToken(token)));
    }
    std::optional<uint32_t> bits = ScopeFromName(token.text);
    if (!bits.has_value()) {
      return in.ErrorAt(
          token.pos,
          absl::StrCat("unknown scope '", token.text, "' in value-pairs()",
                       DidYouMean(token.text, ScopeNames())));
    }
    // scope(none) clears what earlier scope() names added.
    if (*bits == 0) {
      spec->scopes = 0;
    } else {
      spec->scopes |= *bits;
    }
  }
}

// The transforms of rekey("glob" ...) or key("glob" rekey(...)), up to and
// including the closing ')'.
absl::Status ParseTransforms(TokenStream& in, RekeyRule* rule) {
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token name, in.Next());
    if (name.kind == TokenKind::kRParen) return absl::OkStatus();
    if (name.kind != TokenKind::kWord) {
      return in.ErrorAt(name.pos,
                        absl::StrCat("expected a rekey() transform, got ",
                                     DescribeToken(name)));
    }
    std::string canonical = CanonicalName(name.text);
    PYDEST_CFG_RETURN_IF_ERROR(
        in.Expect(TokenKind::kLParen,
                  absl::StrCat("'(' after '", name.text, "'"))
            .status());
    RekeyTransform t;
    std::string option = absl::StrCat(canonical, "()");
    if (canonical == "add-prefix") {
      t.kind = RekeyTransform::Kind::kAddPrefix;
      PYDEST_CFG_ASSIGN_OR_RETURN(t.text, in.ReadStringArg(option));
    } else if (canonical == "replace-prefix") {
      t.kind = RekeyTransform::Kind::kReplacePrefix;
      PYDEST_CFG_ASSIGN_OR_RETURN(std::vector<std::string> args,
                                  in.ReadStringListArg(option));
      if (args.size() != 2) {
        return in.ErrorAt(name.pos,
                          "replace-prefix() expects two strings: the old "
                          "prefix and its replacement");
      }
      t.text = args[0];
      t.replacement = args[1];
    } else if (canonical == "shift" || canonical == "shift-levels") {
      t.kind = canonical == "shift" ? RekeyTransform::Kind::kShift
                                    : RekeyTransform::Kind::kShiftLevels;
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, in.ReadIntArg(option, 1));
      t.count = static_cast<int>(n);
    } else if (canonical == "upper" || canonical == "lower") {
      t.kind = canonical == "upper" ? RekeyTransform::Kind::kUpper
                                    : RekeyTransform::Kind::kLower;
      PYDEST_CFG_RETURN_IF_ERROR(
          in.Expect(TokenKind::kRParen, absl::StrCat("')' after ", option))
              .status());
    } else {
      return in.ErrorAt(
          name.pos,
          absl::StrCat("unknown transform '", name.text, "' in rekey()",
                       DidYouMean(name.text, TransformNames())));
    }
    rule->transforms.push_back(std::move(t));
  }
}

// rekey("glob" transforms...)
absl::Status ParseRekey(TokenStream& in, ValuePairsSpec* spec) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token glob, in.Next());
  if (!IsScalar(glob)) {
    return in.ErrorAt(glob.pos, absl::StrCat("rekey() expects a glob, got ",
                                             DescribeToken(glob)));
  }
  RekeyRule rule;
  rule.glob = glob.text;
  PYDEST_CFG_RETURN_IF_ERROR(ParseTransforms(in, &rule));
  spec->rekeys.push_back(std::move(rule));
  return absl::OkStatus();
}

// key("glob" ... [rekey(...)]) and exclude("glob" ...)
absl::Status ParsePatterns(TokenStream& in, bool include,
                           ValuePairsSpec* spec) {
  std::string option = include ? "key()" : "exclude()";
  std::vector<std::string> globs;
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token token, in.Next());
    if (token.kind == TokenKind::kRParen) break;
    if (include && token.kind == TokenKind::kWord &&
        CanonicalName(token.text) == "rekey") {
      // key("glob" rekey(...)): the transforms apply to the keys this key()
      // selects.
      if (globs.empty()) {
        return in.ErrorAt(token.pos,
                          "rekey() inside key() needs the glob it applies to "
                          "before it: key(\"glob\" rekey(...))");
      }
      PYDEST_CFG_RETURN_IF_ERROR(
          in.Expect(TokenKind::kLParen, "'(' after 'rekey'").status());
      RekeyRule rule;
      PYDEST_CFG_RETURN_IF_ERROR(ParseTransforms(in, &rule));
      for (const std::string& glob : globs) {
        RekeyRule copy = rule;
        copy.glob = glob;
        spec->rekeys.push_back(std::move(copy));
      }
      continue;
    }
    if (!IsScalar(token)) {
      return in.ErrorAt(token.pos,
                        absl::StrCat(option, " expects glob patterns, got ",
                                     DescribeToken(token)));
    }
    globs.push_back(token.text);
    spec->patterns.push_back(KeyPattern{include, token.text});
  }
  return absl::OkStatus();
}

// A template that does not compile is a configuration error at the place
// it was written, not a failure later when the destination starts.
absl::Status CheckTemplate(const TokenStream& in, Position pos,
                           const std::string& text) {
  absl::Status compiled = internal::Template::Compile(text).status();
  if (compiled.ok()) return compiled;
  return in.ErrorAt(pos, absl::StrCat("pair(): ", compiled.message()));
}

// pair("name" "template"), pair("name": "template"), pair("name" hint("t"))
absl::Status ParsePair(TokenStream& in, const Token& keyword,
                       ValuePairsSpec* spec) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token name, in.Next());
  if (!IsScalar(name)) {
    return in.ErrorAt(name.pos, absl::StrCat("pair() expects a name, got ",
                                             DescribeToken(name)));
  }
  PYDEST_CFG_ASSIGN_OR_RETURN(Token value, in.Next());
  if (value.kind == TokenKind::kColon || value.kind == TokenKind::kArrow) {
    PYDEST_CFG_ASSIGN_OR_RETURN(value, in.Next());
  }
  ValuePair pair;
  pair.name = name.text;
  if (value.kind == TokenKind::kWord) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token after, in.Peek());
    if (after.kind == TokenKind::kLParen) {
      std::optional<TypeHint> hint = TypeHintFromName(value.text);
      if (!hint.has_value()) {
        return in.ErrorAt(
            value.pos,
            absl::StrCat("unknown type hint '", value.text, "' in pair()",
                         DidYouMean(value.text, HintNames())));
      }
      PYDEST_CFG_RETURN_IF_ERROR(in.Next().status());  // '('
      pair.hint = *hint;
      PYDEST_CFG_ASSIGN_OR_RETURN(Token text, in.Peek());
      PYDEST_CFG_ASSIGN_OR_RETURN(
          pair.template_text,
          in.ReadStringArg(absl::StrCat(value.text, "()")));
      PYDEST_CFG_RETURN_IF_ERROR(
          CheckTemplate(in, text.pos, pair.template_text));
      spec->pairs.push_back(std::move(pair));
      return in.Expect(TokenKind::kRParen, "')' to close pair()").status();
    }
  }
  if (value.kind == TokenKind::kRParen) {
    return in.ErrorAt(keyword.pos,
                      "pair() expects a name and a template");
  }
  if (!IsScalar(value)) {
    return in.ErrorAt(value.pos, absl::StrCat("pair() expects a template, got ",
                                              DescribeToken(value)));
  }
  pair.template_text = value.text;
  PYDEST_CFG_RETURN_IF_ERROR(CheckTemplate(in, value.pos, pair.template_text));
  spec->pairs.push_back(std::move(pair));
  return in.Expect(TokenKind::kRParen, "')' to close pair()").status();
}

}  // namespace

std::optional<uint32_t> ScopeFromName(std::string_view raw) {
  std::string name = CanonicalName(raw);
  if (name == "nv-pairs") return kScopeNvPairs;
  if (name == "dot-nv-pairs") return kScopeDotNvPairs;
  if (name == "all-nv-pairs") return kScopeAllNvPairs;
  if (name == "rfc3164" || name == "core" || name == "base")
    return kScopeRfc3164;
  if (name == "rfc5424" || name == "syslog-proto") return kScopeRfc5424;
  if (name == "selected-macros") return kScopeSelectedMacros;
  if (name == "all-macros") return kScopeAllMacros;
  if (name == "sdata") return kScopeSdata;
  if (name == "everything") return kScopeEverything;
  if (name == "none") return 0u;
  return std::nullopt;
}

std::optional<TypeHint> TypeHintFromName(std::string_view name) {
  if (name == "string") return TypeHint::kString;
  if (name == "literal") return TypeHint::kLiteral;
  if (name == "int" || name == "int32" || name == "integer")
    return TypeHint::kInt32;
  if (name == "int64") return TypeHint::kInt64;
  if (name == "double" || name == "float") return TypeHint::kDouble;
  if (name == "boolean") return TypeHint::kBoolean;
  if (name == "datetime") return TypeHint::kDateTime;
  if (name == "list") return TypeHint::kList;
  if (name == "json") return TypeHint::kJson;
  if (name == "null") return TypeHint::kNull;
  return std::nullopt;
}

absl::Status ParseValuePairsBody(TokenStream& in, ValuePairsSpec* spec) {
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token name, in.Next());
    if (name.kind == TokenKind::kRParen) return absl::OkStatus();
    if (name.kind != TokenKind::kWord) {
      return in.ErrorAt(name.pos,
                        absl::StrCat("expected a value-pairs() option, got ",
                                     DescribeToken(name)));
    }
    std::string canonical = CanonicalName(name.text);
    // omit-empty-values may be written bare (as in $(format-json)).
    if (canonical == "omit-empty-values") {
      PYDEST_CFG_ASSIGN_OR_RETURN(Token next, in.Peek());
      if (next.kind != TokenKind::kLParen) {
        spec->omit_empty_values = true;
        continue;
      }
    }
    bool known = false;
    for (std::string_view option : VpOptionNames()) {
      if (option == canonical) known = true;
    }
    if (!known) {
      return in.ErrorAt(
          name.pos,
          absl::StrCat("unknown option '", name.text, "' in value-pairs()",
                       DidYouMean(name.text, VpOptionNames())));
    }
    PYDEST_CFG_RETURN_IF_ERROR(
        in.Expect(TokenKind::kLParen,
                  absl::StrCat("'(' after '", name.text, "'"))
            .status());
    if (canonical == "scope") {
      PYDEST_CFG_RETURN_IF_ERROR(ParseScope(in, spec));
    } else if (canonical == "key" || canonical == "exclude") {
      PYDEST_CFG_RETURN_IF_ERROR(ParsePatterns(in, canonical == "key", spec));
    } else if (canonical == "pair") {
      PYDEST_CFG_RETURN_IF_ERROR(ParsePair(in, name, spec));
    } else if (canonical == "rekey") {
      PYDEST_CFG_RETURN_IF_ERROR(ParseRekey(in, spec));
    } else if (canonical == "cast") {
      PYDEST_CFG_ASSIGN_OR_RETURN(bool cast, in.ReadBoolArg("cast()"));
      spec->cast = cast;
    } else if (canonical == "include-bytes") {
      PYDEST_CFG_ASSIGN_OR_RETURN(spec->include_bytes,
                                  in.ReadBoolArg("include-bytes()"));
    } else {  // omit-empty-values(yes|no)
      PYDEST_CFG_ASSIGN_OR_RETURN(Token next, in.Peek());
      if (next.kind == TokenKind::kRParen) {
        PYDEST_CFG_RETURN_IF_ERROR(in.Next().status());
        spec->omit_empty_values = true;
      } else {
        PYDEST_CFG_ASSIGN_OR_RETURN(spec->omit_empty_values,
                                    in.ReadBoolArg("omit-empty-values()"));
      }
    }
  }
}

}  // namespace config_internal
}  // namespace pydest
