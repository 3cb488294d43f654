#include "libpydest/config/token_stream.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace pydest {
namespace config_internal {
namespace {

bool IsOpen(TokenKind kind) {
  return kind == TokenKind::kLParen || kind == TokenKind::kLBrace ||
         kind == TokenKind::kLBracket;
}
bool IsClose(TokenKind kind) {
  return kind == TokenKind::kRParen || kind == TokenKind::kRBrace ||
         kind == TokenKind::kRBracket;
}
TokenKind CloserOf(TokenKind open) {
  switch (open) {
    case TokenKind::kLParen: return TokenKind::kRParen;
    case TokenKind::kLBrace: return TokenKind::kRBrace;
    default: return TokenKind::kRBracket;
  }
}
const char* Spelling(TokenKind kind) {
  switch (kind) {
    case TokenKind::kLParen: return "(";
    case TokenKind::kRParen: return ")";
    case TokenKind::kLBrace: return "{";
    case TokenKind::kRBrace: return "}";
    case TokenKind::kLBracket: return "[";
    default: return "]";
  }
}

std::string PosText(Position p) { return absl::StrCat(p.line, ":", p.column); }

}  // namespace

std::string QuoteConfigString(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          // Always two digits: "\x0" followed by a hex digit would read on.
          static const char kHex[] = "0123456789abcdef";
          out += "\\x";
          out.push_back(kHex[(c >> 4) & 0xf]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

bool ParseConfigInteger(std::string_view text, int64_t* out) {
  std::string s(text);
  if (s.empty()) return false;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    char* end = nullptr;
    *out = std::strtoll(s.c_str() + 2, &end, 16);
    return *end == '\0';
  }
  if (s.size() > 1 && s[0] == '0' && s.find_first_not_of("01234567") ==
                                         std::string::npos) {
    char* end = nullptr;
    *out = std::strtoll(s.c_str(), &end, 8);
    return *end == '\0';
  }
  // Size suffixes: k/M/G, with an optional i (binary) and b/B.
  size_t digits_end = s.find_first_not_of("+-0123456789");
  std::string digits = s.substr(0, digits_end);
  std::string suffix =
      digits_end == std::string::npos ? "" : s.substr(digits_end);
  int64_t value = 0;
  if (!absl::SimpleAtoi(digits, &value)) return false;
  if (!suffix.empty()) {
    std::string lower = absl::AsciiStrToLower(suffix);
    if (!lower.empty() && lower.back() == 'b') lower.pop_back();
    bool binary = !lower.empty() && lower.back() == 'i';
    if (binary) lower.pop_back();
    const int64_t base = binary ? 1024 : 1000;
    int64_t multiplier = 1;
    if (lower == "k") multiplier = base;
    else if (lower == "m") multiplier = base * base;
    else if (lower == "g") multiplier = base * base * base;
    else if (!lower.empty()) return false;
    // A value that does not fit is no number (never undefined overflow).
    if (value > INT64_MAX / multiplier || value < INT64_MIN / multiplier) {
      return false;
    }
    value *= multiplier;
  }
  *out = value;
  return true;
}

std::optional<bool> ParseConfigBool(std::string_view text) {
  std::string lower = absl::AsciiStrToLower(std::string(text));
  if (lower == "yes" || lower == "true" || lower == "on" || lower == "1")
    return true;
  if (lower == "no" || lower == "false" || lower == "off" || lower == "0")
    return false;
  return std::nullopt;
}

TokenStream::TokenStream(std::string text, std::string filename,
                         const Defines* defines, size_t* expanded_bytes)
    : defines_(defines),
      expanded_bytes_(expanded_bytes != nullptr ? expanded_bytes
                                                : &own_expanded_bytes_) {
  texts_.push_back({std::make_unique<Lexer>(std::move(text), std::move(filename)),
                    "", /*begun=*/true, /*substitutes=*/true});
}

void TokenStream::Push(std::string text,
                       std::shared_ptr<const SourceInfo> source,
                       Position start, std::string banner) {
  texts_.push_back(
      {std::make_unique<Lexer>(std::move(text), std::move(source), start),
       std::move(banner), /*begun=*/false, /*substitutes=*/true});
}

void TokenStream::RecordComment(std::string_view line) {
  if (record_ == nullptr) return;
  if (!record_->empty() && record_->back() != '\n') record_->push_back('\n');
  // A directive over several lines, a file name with a line break: every
  // line stays a comment.
  record_->append("# ")
      .append(absl::StrReplaceAll(absl::string_view(line.data(), line.size()),
                                  {{"\n", "\n# "}}))
      .append("\n");
}

void TokenStream::RecordUpTo(size_t offset) {
  if (record_ == nullptr) return;
  Text& text = texts_.back();
  if (!text.begun) {
    text.begun = true;
    if (!text.banner.empty()) RecordComment(absl::StrCat("begin: ", text.banner));
  }
  RecordAsWritten(text.lexer->TakeUnrecorded(offset));
}

void TokenStream::RecordAsWritten(std::string_view piece) {
  if (texts_.back().substitutes) {
    record_->append(piece.data(), piece.size());
  } else {
    // A substituted value: read again, its backticks must stay literal.
    record_->append(absl::StrReplaceAll(
        absl::string_view(piece.data(), piece.size()), {{"`", "``"}}));
  }
}

void TokenStream::RecordEnd() {
  if (record_ == nullptr) return;
  RecordUpTo(top().offset());
  const std::string& banner = texts_.back().banner;
  if (!banner.empty()) RecordComment(absl::StrCat("end: ", banner));
}

std::string TokenStream::TakeRecordedSince(const Token& token) {
  if (record_ == nullptr || token.recorded_at > record_->size()) return "";
  std::string taken = record_->substr(token.recorded_at);
  record_->resize(token.recorded_at);
  return taken;
}

void TokenStream::Record(std::string_view text) {
  if (record_ != nullptr) record_->append(text.data(), text.size());
}

absl::StatusOr<Token> TokenStream::NextRaw() {
  if (!pending_.empty()) {
    Token token = std::move(pending_.front());
    pending_.pop_front();
    return token;
  }
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token token, top().Next());
    if (token.kind == TokenKind::kEnd) {
      RecordEnd();
      if (texts_.size() == 1) return token;
      texts_.pop_back();  // an included file or a block ended
      continue;
    }
    const bool has_reference =
        (token.kind == TokenKind::kString || token.kind == TokenKind::kWord) &&
        texts_.back().substitutes && token.text.find('`') != std::string::npos;
    if (has_reference) PYDEST_CFG_RETURN_IF_ERROR(Substitute(&token));
    if (has_reference && token.kind == TokenKind::kWord) {
      // As syslog-ng does, the value is read as configuration text in place
      // of the word: `n` may be a number, `opts` several options. It is not
      // substituted again.
      if (record_ != nullptr) {
        RecordUpTo(token.offset);
        top().TakeUnrecorded(top().offset());  // the reference itself
      }
      texts_.push_back({std::make_unique<Lexer>(std::move(token.text),
                                                top().source(), token.pos),
                        "", /*begun=*/true, /*substitutes=*/false});
      continue;
    }
    if (record_ != nullptr) {
      RecordUpTo(token.offset);
      token.recorded_at = record_->size();
      std::string_view raw = top().TakeUnrecorded(top().offset());
      if (!has_reference) {
        RecordAsWritten(raw);
      } else {
        // Read again, a backtick left in the value would substitute anew.
        record_->append(QuoteConfigString(
            absl::StrReplaceAll(token.text, {{"`", "``"}})));
      }
    }
    return token;
  }
}

absl::Status TokenStream::Substitute(Token* token) {
  const std::string& text = token->text;
  if (text.find('`') == std::string::npos) return absl::OkStatus();
  std::string out;
  // Checked before each append, so memory never runs past the budget.
  auto append = [&](std::string_view piece) {
    if (piece.size() > kMaxDefineExpansionBytes - *expanded_bytes_) {
      return false;
    }
    *expanded_bytes_ += piece.size();
    out.append(piece);
    return true;
  };
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('`', i);
    size_t close =
        open == std::string::npos ? open : text.find('`', open + 1);
    if (open == std::string::npos) {
      out.append(text, i, std::string::npos);
      break;
    }
    if (close == std::string::npos) {
      // syslog-ng refuses it too, rather than guess.
      return ErrorAt(token->pos,
                     "missing closing backtick (`); write `` for a backtick");
    }
    out.append(text, i, open - i);
    std::string name = text.substr(open + 1, close - open - 1);
    bool within = true;
    if (name.empty()) {
      out.push_back('`');  // `` is a literal backtick
    } else if (defines_ != nullptr && defines_->count(name) > 0) {
      within = append(defines_->at(name));
    } else if (const char* env = std::getenv(name.c_str())) {
      within = append(env);
    }
    if (!within) {
      return ErrorAt(token->pos,
                     absl::StrCat("backtick substitution of `", name,
                                  "` takes the configuration past ",
                                  kMaxDefineExpansionBytes,
                                  " substituted bytes (an @define that "
                                  "repeats another grows without bound)"));
    }
    i = close + 1;
  }
  token->text = std::move(out);
  return absl::OkStatus();
}

absl::StatusOr<Token> TokenStream::Next() {
  if (peeked_.has_value()) {
    Token token = std::move(*peeked_);
    peeked_.reset();
    return token;
  }
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token token, NextRaw());
    if (token.kind != TokenKind::kAt || !include_handler_) return token;
    // `@include "FILE"` may stand anywhere (syslog-ng's lexer reads it
    // wherever it is); anything else after '@' is the parser's.
    PYDEST_CFG_ASSIGN_OR_RETURN(Token word, NextRaw());
    if (word.kind != TokenKind::kWord || word.text != "include") {
      pending_.push_front(std::move(word));
      return token;
    }
    PYDEST_CFG_ASSIGN_OR_RETURN(Token file, NextRaw());
    if (file.kind != TokenKind::kString) {
      return ErrorAt(file.pos, absl::StrCat("expected a file name after "
                                            "@include, got ",
                                            DescribeToken(file)));
    }
    PYDEST_CFG_RETURN_IF_ERROR(include_handler_(*this, token, file.text));
  }
}

absl::StatusOr<Token> TokenStream::Peek() {
  if (!peeked_.has_value()) {
    absl::StatusOr<Token> token = Next();
    if (!token.ok()) return token.status();
    peeked_ = std::move(*token);
  }
  return *peeked_;
}

absl::StatusOr<Token> TokenStream::Expect(TokenKind kind,
                                          std::string_view expected) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token token, Next());
  if (token.kind != kind) {
    return ErrorAt(token.pos,
                   absl::StrCat("expected ", std::string(expected), ", got ",
                                DescribeToken(token)));
  }
  return token;
}

absl::Status TokenStream::NestingError(const Token& open) const {
  return ErrorAt(open.pos, absl::StrCat("'", open.text, "' nested more than ",
                                        kMaxConfigNesting, " deep"));
}

absl::Status TokenStream::SkipBalanced(const Token& open) {
  std::vector<Token> stack = {open};
  while (!stack.empty()) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token token, Next());
    if (token.kind == TokenKind::kEnd) {
      const Token& top = stack.back();
      return ErrorAt(token.pos,
                     absl::StrCat("unexpected end of file; missing '",
                                  Spelling(CloserOf(top.kind)),
                                  "' to close '", Spelling(top.kind),
                                  "' opened at ", PosText(top.pos)));
    }
    if (IsOpen(token.kind)) {
      if (stack.size() >= static_cast<size_t>(kMaxConfigNesting)) {
        return NestingError(token);
      }
      stack.push_back(token);
    } else if (IsClose(token.kind)) {
      const Token& top = stack.back();
      if (token.kind != CloserOf(top.kind)) {
        return ErrorAt(token.pos,
                       absl::StrCat("unexpected '", token.text,
                                    "'; expected '",
                                    Spelling(CloserOf(top.kind)),
                                    "' to close '", Spelling(top.kind),
                                    "' opened at ", PosText(top.pos)));
      }
      stack.pop_back();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> TokenStream::ReadRawBlock(Position open) {
  if (peeked_.has_value() || !pending_.empty()) {
    return absl::InternalError("ReadRawBlock called with a token peeked");
  }
  absl::StatusOr<std::string> block = top().ReadRawBlock(open);
  RecordUpTo(top().offset());
  return block;
}

absl::StatusOr<std::string> TokenStream::ReadRawConfig(Position open_pos,
                                                       char open, char close,
                                                       bool trim) {
  if (peeked_.has_value() || !pending_.empty()) {
    return absl::InternalError("ReadRawConfig called with a token peeked");
  }
  absl::StatusOr<std::string> raw =
      top().ReadRawConfig(open_pos, open, close, trim);
  RecordUpTo(top().offset());
  return raw;
}

std::string TokenStream::ReadRestOfLine() {
  if (peeked_.has_value()) {
    // The peeked token is part of the line; put its text back in front.
    std::string head = peeked_->text;
    peeked_.reset();
    head += top().ReadRestOfLine();
    RecordUpTo(top().offset());
    return head;
  }
  std::string line = top().ReadRestOfLine();
  RecordUpTo(top().offset());
  return line;
}

absl::StatusOr<std::string> TokenStream::ReadStringArg(
    std::string_view option) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token token, Next());
  if (!IsScalar(token)) {
    return ErrorAt(token.pos, absl::StrCat(std::string(option),
                                           " expects a string, got ",
                                           DescribeToken(token)));
  }
  PYDEST_CFG_RETURN_IF_ERROR(
      Expect(TokenKind::kRParen,
             absl::StrCat("')' to close ", std::string(option)))
          .status());
  return token.text;
}

absl::StatusOr<int64_t> TokenStream::ReadIntArg(std::string_view option,
                                                int64_t min) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token token, Next());
  int64_t value = 0;
  bool is_int = (token.kind == TokenKind::kNumber ||
                 token.kind == TokenKind::kString) &&
                ParseConfigInteger(token.text, &value);
  if (!is_int) {
    return ErrorAt(token.pos,
                   absl::StrCat(std::string(option), " expects an integer, got ",
                                DescribeToken(token)));
  }
  if (value < min) {
    return ErrorAt(token.pos,
                   absl::StrCat(std::string(option), " expects ",
                                min == 0 ? "a non-negative" : "a positive",
                                " integer, got ", token.text));
  }
  PYDEST_CFG_RETURN_IF_ERROR(
      Expect(TokenKind::kRParen,
             absl::StrCat("')' to close ", std::string(option)))
          .status());
  return value;
}

absl::StatusOr<bool> TokenStream::ReadBoolArg(std::string_view option) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token token, Next());
  std::optional<bool> value;
  if (IsScalar(token)) value = ParseConfigBool(token.text);
  if (!value.has_value()) {
    return ErrorAt(token.pos, absl::StrCat(std::string(option),
                                           " expects yes or no, got ",
                                           DescribeToken(token)));
  }
  PYDEST_CFG_RETURN_IF_ERROR(
      Expect(TokenKind::kRParen,
             absl::StrCat("')' to close ", std::string(option)))
          .status());
  return *value;
}

absl::StatusOr<std::vector<std::string>> TokenStream::ReadStringListArg(
    std::string_view option) {
  std::vector<std::string> items;
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token token, Next());
    if (token.kind == TokenKind::kRParen) return items;
    if (!IsScalar(token)) {
      return ErrorAt(token.pos, absl::StrCat(std::string(option),
                                             " expects strings, got ",
                                             DescribeToken(token)));
    }
    items.push_back(token.text);
  }
}

}  // namespace config_internal
}  // namespace pydest
