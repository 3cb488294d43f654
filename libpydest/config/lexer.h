// The syslog-ng configuration lexer: turns configuration text into tokens
// with line:column positions.
//
// Tokens follow syslog-ng's lexer: words may contain '-', '_', '$', '/', '='
// and inner dots ("127.0.0.1", "syslog-ng.conf"); numbers are decimal, hex
// (0x1f), octal (017) or carry a size suffix (10k, 1MiB); "double-quoted"
// strings understand \a \n \r \t \v \xHH \oOOO and "\<char>" = <char>, and a
// backslash-newline inside them is a line continuation; 'single-quoted'
// strings are raw. Strings written right next to each other with nothing in
// between ("a"'b') form one string. '#' starts a comment to the end of the
// line, commas are whitespace (as in syslog-ng, so `pair("a", "b")` and
// `pair("a" "b")` are the same), `=>` is one token.
//
// `python { ... }` code blocks are read raw with ReadRawBlock().
//
// Thread-safety: a Lexer is used by one thread at a time.
#ifndef LIBPYDEST_CONFIG_LEXER_H_
#define LIBPYDEST_CONFIG_LEXER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "libpydest/config/diagnostics.h"

namespace pydest {
namespace config_internal {

enum class TokenKind {
  kEnd,        // end of input
  kWord,       // identifier or bare word: class, value-pairs, 127.0.0.1
  kNumber,     // integer: 42, -5, 0x10, 10k
  kFloat,      // 1.5
  kString,     // "..." or '...' (text holds the decoded value)
  kArrow,      // =>
  kSemicolon,  // ;
  kColon,      // :
  kLBrace,     // {
  kRBrace,     // }
  kLParen,     // (
  kRParen,     // )
  kLBracket,   // [
  kRBracket,   // ]
  kAt,         // @ (pragma: @version, @include, ...)
  kOther,      // any other single character (|, ., ...)
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // as written, except kString: the decoded value
  Position pos;
  size_t offset = 0;  // where it starts in its lexer's text
  // Where its text starts in the preprocessed configuration, when one is
  // recorded (TokenStream::RecordInto).
  size_t recorded_at = 0;
};

// A string, word or number: what an option argument may be written as
// (syslog-ng accepts `class(m.C)` as well as `class("m.C")`).
inline bool IsScalar(const Token& token) {
  return token.kind == TokenKind::kString || token.kind == TokenKind::kWord ||
         token.kind == TokenKind::kNumber || token.kind == TokenKind::kFloat;
}

// How a token is named in error messages: "'foo'", "string \"x\"",
// "end of file".
std::string DescribeToken(const Token& token);

class Lexer {
 public:
  // The main file's text (positions start at 1:1).
  Lexer(std::string text, std::string filename);
  // A text that is part of something larger: an included file, or a block's
  // expansion, whose positions start where the block's body starts.
  Lexer(std::string text, std::shared_ptr<const SourceInfo> source,
        Position start);

  const std::string& filename() const { return source_->filename; }
  const std::shared_ptr<const SourceInfo>& source() const { return source_; }

  // The next token; kEnd at the end (repeatedly). Errors: an unterminated
  // string or a malformed number, reported at its start.
  absl::StatusOr<Token> Next();

  // Reads the raw contents of a block whose opening '{' was the last token,
  // up to (not including) the '}' that balances it; the '}' is consumed.
  // Braces inside "..."/'...' strings (also triple-quoted) and after '#'
  // comments do not count: syslog-ng's rule for `python { ... };` blocks.
  // `open` is where the '{' was, for the error on a missing '}'.
  absl::StatusOr<std::string> ReadRawBlock(Position open);

  // Reads the configuration text up to the `close` (')' or '}') that
  // balances an `open` already consumed, and consumes it; returns the text
  // between, as written (strings and comments included), with `trim`
  // without white space at either end. syslog-ng's block bodies and block arguments are
  // such raw texts. `open_pos` is where the opening bracket was.
  absl::StatusOr<std::string> ReadRawConfig(Position open_pos, char open,
                                            char close, bool trim);

  // The rest of the current line, raw, without the newline (for pragma lines
  // such as @module that are read over).
  std::string ReadRestOfLine();

  // Where the next character is.
  Position position() const { return pos_; }
  size_t offset() const { return offset_; }

  // The text from the end of what was last taken up to `upto` (an offset
  // not past offset()): what a recording of the preprocessed configuration
  // has not written yet.
  std::string_view TakeUnrecorded(size_t upto);

 private:
  bool AtEnd() const { return offset_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return offset_ + ahead < text_.size() ? text_[offset_ + ahead] : '\0';
  }
  void Advance(size_t n = 1);
  void SkipSpaceAndComments();
  absl::StatusOr<std::string> ReadDoubleQuoted();
  absl::StatusOr<std::string> ReadSingleQuoted();
  Token ReadWord();
  // Raw-block helper: copies a quoted Python string into `out`.
  bool CopyQuoted(std::string* out);

  std::string text_;
  std::shared_ptr<const SourceInfo> source_;
  size_t offset_ = 0;
  size_t recorded_ = 0;  // TakeUnrecorded() returned the text before it
  Position pos_;
};

}  // namespace config_internal
}  // namespace pydest

#endif  // LIBPYDEST_CONFIG_LEXER_H_
