// Error reporting for the configuration parser: every error is an
// absl::InvalidArgumentError whose message starts with "file:line:column: ",
// and unknown names come with an edit-distance suggestion
// ("did you mean 'value-pairs'?").
//
// Thread-safety: free functions without shared state.
#ifndef LIBPYDEST_CONFIG_DIAGNOSTICS_H_
#define LIBPYDEST_CONFIG_DIAGNOSTICS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace pydest {
namespace config_internal {

// A place in a configuration file; both 1-based, columns count bytes.
struct Position {
  int line = 1;
  int column = 1;
};

// "file:line:column: message" as an InvalidArgumentError.
absl::Status ErrorAt(const std::string& file, Position pos,
                     std::string_view message);

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
