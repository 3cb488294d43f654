#include "libpydest/config/lexer.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pydest {
namespace config_internal {
namespace {

// Characters that end a bare word in syslog-ng's lexer; '.' may only appear
// between word characters.
bool IsWordChar(char c) {
  return c != '\0' && std::strchr(" #'\"(){}[]\\;\r\n\t,|.@:", c) == nullptr;
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Number shapes of syslog-ng's lexer: [-+]?D+.D+ (float), 0xH+, 0O+,
// [-+]?D+ with an optional k/M/G, i and b suffix (integer). A word that only
// starts like a number ("5s", "127.0.0.1") stays a word.
TokenKind ClassifyWord(const std::string& word) {
  if (word == "=>") return TokenKind::kArrow;
  size_t i = 0;
  if (i < word.size() && (word[i] == '-' || word[i] == '+')) ++i;
  size_t digits_begin = i;
  while (i < word.size() && IsDigit(word[i])) ++i;
  if (i == digits_begin) return TokenKind::kWord;
  if (i == word.size()) return TokenKind::kNumber;
  if (word[i] == '.') {
    size_t fraction_begin = ++i;
    while (i < word.size() && IsDigit(word[i])) ++i;
    return i > fraction_begin && i == word.size() ? TokenKind::kFloat
                                                  : TokenKind::kWord;
  }
  if (digits_begin == 0 && word.size() > 2 && word[0] == '0' &&
      (word[1] == 'x' || word[1] == 'X')) {
    for (size_t j = 2; j < word.size(); ++j) {
      if (!IsHex(word[j])) return TokenKind::kWord;
    }
    return TokenKind::kNumber;
  }
  if (std::strchr("kKmMgG", word[i]) != nullptr) ++i;
  if (i < word.size() && (word[i] == 'i' || word[i] == 'I')) ++i;
  if (i < word.size() && (word[i] == 'b' || word[i] == 'B')) ++i;
  return i == word.size() ? TokenKind::kNumber : TokenKind::kWord;
}

}  // namespace

std::string DescribeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEnd:
      return "end of file";
    case TokenKind::kString:
      return absl::StrCat("string \"", token.text, "\"");
    default:
      return absl::StrCat("'", token.text, "'");
  }
}

Lexer::Lexer(std::string text, std::string filename)
    : Lexer(std::move(text), std::make_shared<SourceInfo>(SourceInfo{
                                 std::move(filename), "", Position(), 0, 0}),
            Position()) {}

Lexer::Lexer(std::string text, std::shared_ptr<const SourceInfo> source,
             Position start)
    : text_(std::move(text)), source_(std::move(source)), pos_(start) {
  pos_.source = source_;
}

void Lexer::Advance(size_t n) {
  for (size_t i = 0; i < n && offset_ < text_.size(); ++i) {
    if (text_[offset_] == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else {
      ++pos_.column;
    }
    ++offset_;
  }
}

void Lexer::SkipSpaceAndComments() {
  while (!AtEnd()) {
    char c = Peek();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' ||
        c == '\f' || c == '\v') {
      Advance();
    } else if (c == '\\' && (Peek(1) == '\n' ||
                             (Peek(1) == '\r' && Peek(2) == '\n'))) {
      Advance(Peek(1) == '\n' ? 2 : 3);  // line continuation
    } else if (c == '#') {
      while (!AtEnd() && Peek() != '\n') Advance();
    } else {
      return;
    }
  }
}

absl::StatusOr<std::string> Lexer::ReadDoubleQuoted() {
  Position start = pos_;
  Advance();  // opening quote
  std::string out;
  while (true) {
    if (AtEnd()) {
      return ErrorAt(filename(), start, "unterminated string (missing '\"')");
    }
    char c = Peek();
    if (c == '"') {
      Advance();
      return out;
    }
    if (c != '\\') {
      out.push_back(c);
      Advance();
      continue;
    }
    char e = Peek(1);
    if (e == '\0' && offset_ + 1 >= text_.size()) {
      return ErrorAt(filename(), start, "unterminated string (missing '\"')");
    }
    if (e == '\n') {  // continuation: the newline is dropped
      Advance(2);
      continue;
    }
    if (e == '\r' && Peek(2) == '\n') {
      Advance(3);
      continue;
    }
    switch (e) {
      case 'a': out.push_back('\a'); Advance(2); continue;
      case 'n': out.push_back('\n'); Advance(2); continue;
      case 'r': out.push_back('\r'); Advance(2); continue;
      case 't': out.push_back('\t'); Advance(2); continue;
      case 'v': out.push_back('\v'); Advance(2); continue;
      default: break;
    }
    if (e == 'x' && IsHex(Peek(2))) {
      size_t digits = IsHex(Peek(3)) ? 2 : 1;
      out.push_back(static_cast<char>(
          std::stoi(text_.substr(offset_ + 2, digits), nullptr, 16)));
      Advance(2 + digits);
      continue;
    }
    if (e == 'o' && Peek(2) >= '0' && Peek(2) <= '7') {
      size_t digits = 1;
      while (digits < 3 && Peek(2 + digits) >= '0' && Peek(2 + digits) <= '7')
        ++digits;
      out.push_back(static_cast<char>(
          std::stoi(text_.substr(offset_ + 2, digits), nullptr, 8)));
      Advance(2 + digits);
      continue;
    }
    out.push_back(e);  // "\\" -> \, "\"" -> ", "\$" -> $ ...
    Advance(2);
  }
}

absl::StatusOr<std::string> Lexer::ReadSingleQuoted() {
  Position start = pos_;
  Advance();
  std::string out;
  while (!AtEnd() && Peek() != '\'') {
    out.push_back(Peek());
    Advance();
  }
  if (AtEnd()) {
    return ErrorAt(filename(), start, "unterminated string (missing \"'\")");
  }
  Advance();
  return out;
}

Token Lexer::ReadWord() {
  Token token;
  token.pos = pos_;
  size_t begin = offset_;
  token.offset = begin;
  while (!AtEnd()) {
    if (IsWordChar(Peek())) {
      Advance();
    } else if (Peek() == '.' && offset_ > begin && IsWordChar(Peek(1))) {
      Advance();
    } else {
      break;
    }
  }
  token.text = text_.substr(begin, offset_ - begin);
  token.kind = ClassifyWord(token.text);
  return token;
}

absl::StatusOr<Token> Lexer::Next() {
  SkipSpaceAndComments();
  Token token;
  token.pos = pos_;
  token.offset = offset_;
  if (AtEnd()) return token;
  char c = Peek();
  if (c == '"' || c == '\'') {
    token.kind = TokenKind::kString;
    // Strings written back to back ("a"'b') are one string.
    while (Peek() == '"' || Peek() == '\'') {
      absl::StatusOr<std::string> part =
          Peek() == '"' ? ReadDoubleQuoted() : ReadSingleQuoted();
      if (!part.ok()) return part.status();
      token.text += *part;
    }
    return token;
  }
  if (IsWordChar(c)) return ReadWord();
  switch (c) {
    case ';': token.kind = TokenKind::kSemicolon; break;
    case ':': token.kind = TokenKind::kColon; break;
    case '{': token.kind = TokenKind::kLBrace; break;
    case '}': token.kind = TokenKind::kRBrace; break;
    case '(': token.kind = TokenKind::kLParen; break;
    case ')': token.kind = TokenKind::kRParen; break;
    case '[': token.kind = TokenKind::kLBracket; break;
    case ']': token.kind = TokenKind::kRBracket; break;
    case '@': token.kind = TokenKind::kAt; break;
    default: token.kind = TokenKind::kOther; break;
  }
  token.text = std::string(1, c);
  Advance();
  return token;
}

bool Lexer::CopyQuoted(std::string* out) {
  char quote = Peek();
  bool triple = Peek(1) == quote && Peek(2) == quote;
  size_t open_len = triple ? 3 : 1;
  out->append(text_, offset_, open_len);
  Advance(open_len);
  while (!AtEnd()) {
    char c = Peek();
    if (c == '\\' && offset_ + 1 < text_.size()) {
      out->append(text_, offset_, 2);
      Advance(2);
      continue;
    }
    if (c == quote && (!triple || (Peek(1) == quote && Peek(2) == quote))) {
      out->append(text_, offset_, open_len);
      Advance(open_len);
      return true;
    }
    // A one-line Python string cannot span lines; stop at the newline so a
    // stray apostrophe does not swallow the rest of the block.
    if (c == '\n' && !triple) return true;
    out->push_back(c);
    Advance();
  }
  return false;
}

absl::StatusOr<std::string> Lexer::ReadRawBlock(Position open) {
  std::string out;
  int depth = 1;
  while (!AtEnd()) {
    char c = Peek();
    if (c == '"' || c == '\'') {
      if (!CopyQuoted(&out)) break;
      continue;
    }
    if (c == '#') {
      while (!AtEnd() && Peek() != '\n') {
        out.push_back(Peek());
        Advance();
      }
      continue;
    }
    if (c == '{') ++depth;
    if (c == '}' && --depth == 0) {
      Advance();
      return out;
    }
    out.push_back(c);
    Advance();
  }
  return ErrorAt(filename(), open,
                 "unterminated block: missing '}' to close this '{'");
}

absl::StatusOr<std::string> Lexer::ReadRawConfig(Position open_pos, char open,
                                                 char close, bool trim) {
  size_t begin = offset_;
  int depth = 1;
  while (!AtEnd()) {
    char c = Peek();
    if (c == '"' || c == '\'') {
      // Copied whole: a bracket inside a string does not count. Double
      // quotes know backslash escapes, single quotes do not.
      Advance();
      while (!AtEnd() && Peek() != c) Advance(c == '"' && Peek() == '\\' ? 2 : 1);
      if (AtEnd()) break;
      Advance();
      continue;
    }
    if (c == '#') {
      while (!AtEnd() && Peek() != '\n') Advance();
      continue;
    }
    if (c == open) ++depth;
    if (c == close && --depth == 0) {
      std::string raw = text_.substr(begin, offset_ - begin);
      Advance();
      if (!trim) return raw;
      size_t first = raw.find_first_not_of(" \t\r\n,");
      if (first == std::string::npos) return std::string();
      size_t last = raw.find_last_not_of(" \t\r\n,");
      return raw.substr(first, last - first + 1);
    }
    Advance();
  }
  return ErrorAt(filename(), open_pos,
                 absl::StrCat("unexpected end of file; missing '",
                              std::string(1, close), "' to close this '",
                              std::string(1, open), "'"));
}

std::string_view Lexer::TakeUnrecorded(size_t upto) {
  upto = std::min(upto, offset_);
  if (upto <= recorded_) return {};
  std::string_view taken(text_.data() + recorded_, upto - recorded_);
  recorded_ = upto;
  return taken;
}

std::string Lexer::ReadRestOfLine() {
  size_t begin = offset_;
  while (!AtEnd() && Peek() != '\n') Advance();
  return text_.substr(begin, offset_ - begin);
}

}  // namespace config_internal
}  // namespace pydest
