// A cursor over the lexer's tokens with one token of lookahead, and the
// small readers every option parser needs: "expect this token", "read the
// argument of name(value)", "skip a balanced (...) or {...}".
//
// Backtick references (`name`) in words and strings are replaced with the
// value of `@define name "value"` (or the environment variable of that name),
// as syslog-ng substitutes them before parsing. What substitution produces
// is counted against kMaxDefineExpansionBytes (pydest/limits.h), shared by
// every stream of one configuration, and brackets open at once against
// kMaxConfigNesting.
//
// It can also record the configuration as it is read (RecordInto), for
// syslog-ng's --preprocess-into: the text of every token, comment and
// space as written, each pushed text (an @include'd file, a block's
// expansion) in place between "# begin: WHAT" and "# end: WHAT" lines, and
// backtick references replaced by their values. The parser replaces what it
// expands (a block's use, an @include) with TakeRecordedSince().
//
// Thread-safety: one thread at a time.
#ifndef LIBPYDEST_CONFIG_TOKEN_STREAM_H_
#define LIBPYDEST_CONFIG_TOKEN_STREAM_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libpydest/config/diagnostics.h"
#include "libpydest/config/lexer.h"
#include "pydest/limits.h"

namespace pydest {
namespace config_internal {

using Defines = std::map<std::string, std::string>;

class TokenStream {
 public:
  // `defines` and `expanded_bytes` (the substitution budget used so far, for
  // a configuration of several files) may be null; they must outlive the
  // stream.
  TokenStream(std::string text, std::string filename,
              const Defines* defines = nullptr,
              size_t* expanded_bytes = nullptr);

  // The file of the text being read now (for a block's expansion, the file
  // that defined the block).
  const std::string& filename() const { return top().filename(); }
  const std::shared_ptr<const SourceInfo>& source() const {
    return top().source();
  }

  // Reads `text` next, before the rest of what is being read: an included
  // file, or a block's expansion. Positions in it start at `start`.
  // `banner` says what it is in a recording ("" for no begin/end lines).
  // Must not be called with a token peeked.
  void Push(std::string text, std::shared_ptr<const SourceInfo> source,
            Position start, std::string banner = "");

  // Records the configuration, preprocessed, into *out from now on; `out`
  // must outlive the stream.
  void RecordInto(std::string* out) { record_ = out; }
  bool recording() const { return record_ != nullptr; }
  // Removes what was recorded from `token` on (it must be a token this
  // stream returned) and returns it; "" when nothing is recorded.
  std::string TakeRecordedSince(const Token& token);
  // Adds `text` to the recording, if any.
  void Record(std::string_view text);
  // Adds `text` as comment lines of their own ("# " before each line).
  void RecordComment(std::string_view text);

  // Called for `@include "PATTERN"` wherever it stands (`at` is the '@');
  // it resolves the pattern and Push()es the files. Without a handler the
  // tokens reach the parser.
  using IncludeHandler = std::function<absl::Status(
      TokenStream& in, const Token& at, const std::string& pattern)>;
  void SetIncludeHandler(IncludeHandler handler) {
    include_handler_ = std::move(handler);
  }

  absl::StatusOr<Token> Next();
  absl::StatusOr<Token> Peek();

  // The next token, which must be of `kind`; otherwise
  // "expected <expected>, got <token>" at that token.
  absl::StatusOr<Token> Expect(TokenKind kind, std::string_view expected);

  absl::Status ErrorAt(Position pos, std::string_view message) const {
    return config_internal::ErrorAt(filename(), pos, message);
  }

  // The error for a bracket that opens past kMaxConfigNesting, at `open`.
  absl::Status NestingError(const Token& open) const;

  // Skips everything up to and including the token that closes `open` (a
  // '(', '{' or '['), checking that brackets nest.
  absl::Status SkipBalanced(const Token& open);

  // See Lexer::ReadRawBlock and Lexer::ReadRawConfig; must not be called
  // with a token peeked.
  absl::StatusOr<std::string> ReadRawBlock(Position open);
  absl::StatusOr<std::string> ReadRawConfig(Position open_pos, char open,
                                            char close, bool trim);
  std::string ReadRestOfLine();

  // Argument readers for `name(value)`: called after the '(' and consume the
  // closing ')'. `option` names the option in errors ("retries()").
  absl::StatusOr<std::string> ReadStringArg(std::string_view option);
  absl::StatusOr<int64_t> ReadIntArg(std::string_view option, int64_t min);
  absl::StatusOr<bool> ReadBoolArg(std::string_view option);
  // Strings or words up to ')': loaders("a" "b").
  absl::StatusOr<std::vector<std::string>> ReadStringListArg(
      std::string_view option);

 private:
  // Replaces the backtick references in token->text; an error (at the token)
  // once the budget is spent.
  absl::Status Substitute(Token* token);
  // The next token of the innermost text, moving out of texts that ended.
  absl::StatusOr<Token> NextRaw();
  Lexer& top() { return *texts_.back().lexer; }
  const Lexer& top() const { return *texts_.back().lexer; }
  // Records the innermost text up to `offset` (its begin line first).
  void RecordUpTo(size_t offset);
  // Records the rest of the innermost text, which ended, and its end line.
  void RecordEnd();
  // Records `piece` of the innermost text.
  void RecordAsWritten(std::string_view piece);

  struct Text {
    std::unique_ptr<Lexer> lexer;
    std::string banner;
    bool begun = false;  // its begin line is recorded
    // Backtick references in it are replaced; not in a substituted value
    // being read again.
    bool substitutes = true;
  };
  std::vector<Text> texts_;  // innermost last
  std::string* record_ = nullptr;
  std::deque<Token> pending_;  // read ahead while looking for @include
  IncludeHandler include_handler_;
  const Defines* defines_;
  size_t own_expanded_bytes_ = 0;
  size_t* expanded_bytes_;
  std::optional<Token> peeked_;
};

// `value` as a double-quoted configuration string that the lexer reads
// back as `value`.
std::string QuoteConfigString(std::string_view value);

// Parses a syslog-ng number token ("42", "-5", "0x1f", "017", "10k", "1MiB").
bool ParseConfigInteger(std::string_view text, int64_t* out);
// yes/no/true/false/on/off (any case) and 1/0.
std::optional<bool> ParseConfigBool(std::string_view text);

}  // namespace config_internal
}  // namespace pydest

#endif  // LIBPYDEST_CONFIG_TOKEN_STREAM_H_
