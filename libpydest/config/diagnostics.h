// Error reporting for the configuration parser: every error is an
// absl::InvalidArgumentError whose message starts with "file:line:column: ",
// and unknown names come with an edit-distance suggestion
// ("did you mean 'value-pairs'?").
//
// Thread-safety: free functions without shared state.
#ifndef LIBPYDEST_CONFIG_DIAGNOSTICS_H_
#define LIBPYDEST_CONFIG_DIAGNOSTICS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace pydest {
namespace config_internal {

struct SourceInfo;

// A place in a configuration file; both 1-based, columns count bytes.
// `source` says which text the place is in when that is not simply the file
// being parsed: an @include'd file, or the expansion of a block.
struct Position {
  int line = 1;
  int column = 1;
  std::shared_ptr<const SourceInfo> source;
};

// A text the lexer reads: a file, or a block's expansion (then `filename`
// is the file the block was defined in, and positions are the body's).
struct SourceInfo {
  std::string filename;
  // How the text came to be read, e.g. "included from" or "in block
  // destination kafka() used at"; empty for the main file.
  std::string how;
  Position from;  // the place `how` refers to
  int include_depth = 0;  // @include levels above it
  int block_depth = 0;    // block expansions above it
};

// "file:line:column: message" as an InvalidArgumentError; when `pos` is in
// an included file or a block's expansion, that file names the place and
// the way there follows: "...: message (in block destination x() used at
// main.conf:9:18; included from ...)".
absl::Status ErrorAt(const std::string& file, const Position& pos,
                     std::string_view message);

// "file:line:column" of `pos` (its own source's file when it has one).
std::string WhereText(const std::string& file, const Position& pos);

// syslog-ng treats '-' and '_' in option and scope names as the same
// character; names are compared (and reported) in their '-' spelling.
std::string CanonicalName(std::string_view name);

// The candidate closest to `word` by edit distance, if it is close enough to
// be a plausible typo; "" otherwise. Candidates are '-' spelled.
std::string ClosestName(std::string_view word,
                        const std::vector<std::string_view>& candidates);

// "; did you mean 'x'?" or "" (to append to an error message).
std::string DidYouMean(std::string_view word,
                       const std::vector<std::string_view>& candidates);

}  // namespace config_internal
}  // namespace pydest

// Status plumbing used throughout the parser (abseil has no public macros).
#define PYDEST_CFG_CONCAT_INNER(a, b) a##b
#define PYDEST_CFG_CONCAT(a, b) PYDEST_CFG_CONCAT_INNER(a, b)

#define PYDEST_CFG_RETURN_IF_ERROR(expr)            \
  do {                                              \
    ::absl::Status pydest_cfg_status_ = (expr);     \
    if (!pydest_cfg_status_.ok()) return pydest_cfg_status_; \
  } while (0)

#define PYDEST_CFG_ASSIGN_OR_RETURN(lhs, expr) \
  PYDEST_CFG_ASSIGN_OR_RETURN_IMPL(            \
      PYDEST_CFG_CONCAT(pydest_cfg_statusor_, __LINE__), lhs, expr)

#define PYDEST_CFG_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                     \
  if (!tmp.ok()) return tmp.status();                    \
  lhs = std::move(tmp).value()

#endif  // LIBPYDEST_CONFIG_DIAGNOSTICS_H_
