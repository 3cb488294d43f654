#include "libpydest/config/option_values.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace pydest {
namespace config_internal {
namespace {

// ["a", "b", 3]: the items as strings.
absl::Status ParseList(TokenStream& in, OptionValue* value) {
  value->kind = OptionValue::Kind::kList;
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token token, in.Next());
    if (token.kind == TokenKind::kRBracket) return absl::OkStatus();
    if (!IsScalar(token)) {
      return in.ErrorAt(token.pos,
                        absl::StrCat("expected a list item or ']', got ",
                                     DescribeToken(token)));
    }
    value->items.push_back(token.text);
  }
}

absl::StatusOr<OptionValue> ParseValue(TokenStream& in, const Token& key) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token token, in.Next());
  OptionValue value;
  value.text = token.text;
  switch (token.kind) {
    case TokenKind::kString:
      value.kind = OptionValue::Kind::kString;
      return value;
    case TokenKind::kNumber: {
      // As syslog-ng's lexer: 5MiB, 0x1f and 017 are the integers they
      // stand for (5242880, 31, 15), passed on in decimal.
      int64_t number = 0;
      if (ParseConfigInteger(token.text, &number)) {
        value.kind = OptionValue::Kind::kInteger;
        value.text = std::to_string(number);
      } else {
        value.kind = OptionValue::Kind::kString;
      }
      return value;
    }
    case TokenKind::kFloat:
      value.kind = OptionValue::Kind::kDouble;
      return value;
    case TokenKind::kLBracket:
      value.text.clear();
      PYDEST_CFG_RETURN_IF_ERROR(ParseList(in, &value));
      return value;
    case TokenKind::kWord: {
      PYDEST_CFG_ASSIGN_OR_RETURN(Token next, in.Peek());
      if (token.text == "LogTemplate" && next.kind == TokenKind::kLParen) {
        PYDEST_CFG_RETURN_IF_ERROR(in.Next().status());
        value.kind = OptionValue::Kind::kTemplate;
        PYDEST_CFG_ASSIGN_OR_RETURN(value.text,
                                    in.ReadStringArg("LogTemplate()"));
        return value;
      }
      value.kind = ParseConfigBool(token.text).has_value() &&
                           token.text != "1" && token.text != "0"
                       ? OptionValue::Kind::kBoolean
                       : OptionValue::Kind::kString;
      return value;
    }
    default:
      return in.ErrorAt(token.pos,
                        absl::StrCat("expected a value for option '",
                                     key.text, "', got ",
                                     DescribeToken(token)));
  }
}

}  // namespace

void SetOption(OptionList* options, std::string key, OptionValue value) {
  auto it = std::find_if(options->begin(), options->end(),
                         [&](const auto& kv) { return kv.first == key; });
  if (it != options->end()) {
    it->second = std::move(value);
  } else {
    options->emplace_back(std::move(key), std::move(value));
  }
}

absl::Status ParseOptionsBlock(TokenStream& in, OptionList* options) {
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token key, in.Next());
    if (key.kind == TokenKind::kRParen) return absl::OkStatus();
    if (!IsScalar(key)) {
      return in.ErrorAt(key.pos,
                        absl::StrCat("expected an option name or ')' in "
                                     "options(), got ",
                                     DescribeToken(key)));
    }
    PYDEST_CFG_ASSIGN_OR_RETURN(Token next, in.Peek());
    if (next.kind == TokenKind::kArrow) {
      PYDEST_CFG_RETURN_IF_ERROR(in.Next().status());
      PYDEST_CFG_ASSIGN_OR_RETURN(next, in.Peek());
    }
    if (next.kind == TokenKind::kRParen || next.kind == TokenKind::kEnd) {
      return in.ErrorAt(key.pos, absl::StrCat("option '", key.text,
                                              "' in options() has no value"));
    }
    PYDEST_CFG_ASSIGN_OR_RETURN(OptionValue value, ParseValue(in, key));
    // options() keys reach Python with '-' turned into '_' (both versions).
    std::string name = key.text;
    std::replace(name.begin(), name.end(), '-', '_');
    SetOption(options, std::move(name), std::move(value));
  }
}

}  // namespace config_internal
}  // namespace pydest
