// The whole-file parser behind pydest::ParseConfig: top-level statements
// (pragmas, @include, `python {}` code blocks, the global `options {}`,
// `destination NAME { ... };`, `log { ... };`) and everything else a
// syslog-ng.conf holds (sources, filters, parsers, rewrites, templates,
// block definitions), which is read over with its brackets checked.
//
// Thread-safety: one ConfigParser per parse; not shared.
#ifndef LIBPYDEST_CONFIG_CONFIG_PARSER_H_
#define LIBPYDEST_CONFIG_CONFIG_PARSER_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "libpydest/config/python_options_parser.h"
#include "libpydest/config/token_stream.h"
#include "pydest/config.h"

namespace pydest {
namespace config_internal {

class ConfigParser {
 public:
  ConfigParser() = default;

  // Parses one file's text (and, recursively, what it @includes).
  absl::Status ParseText(std::string text, const std::string& filename,
                         int include_depth);

  // Applies what can only be applied at the end (version, global options,
  // python {} code, log path references) and returns the result.
  absl::StatusOr<Config> Finish();

 private:
  absl::Status ParseStatement(TokenStream& in, const Token& first,
                              int include_depth);
  absl::Status ParsePragma(TokenStream& in, const Token& at,
                           int include_depth);
  absl::Status Include(TokenStream& in, const Token& at,
                       const std::string& pattern, int include_depth);
  absl::Status ParsePythonCodeBlock(TokenStream& in, const Token& keyword);
  // After `destination NAME {` (or an inline `destination {`): the drivers
  // up to and including '}'.
  absl::Status ParseDestinationBody(TokenStream& in, const std::string& name,
                                    const Token& open);
  // After `log {` (or a nested junction/channel/if block's '{'), up to and
  // including its '}'; `depth` counts the blocks open, `open`'s included
  // (at most kMaxConfigNesting). Defined in log_path.cc.
  absl::Status ParseLogBlock(TokenStream& in, const Token& open, int depth);
  // Reads over a statement up to its ';' at bracket depth zero.
  absl::Status SkipStatement(TokenStream& in);

  Config config_;
  Defines defines_;
  size_t define_expansion_bytes_ = 0;  // all files together
  GlobalDefaults globals_;
  std::vector<ExplicitOptions> explicit_;  // parallel to config_.destinations
  std::vector<Position> python_positions_;  // likewise: where python( was
  // Every destination NAME defined (python or not), for log path checks.
  std::vector<std::pair<std::string, std::string>> defined_;  // name, where
  std::vector<std::pair<std::string, std::string>> references_;  // name, where
  std::set<std::string> root_blocks_;  // `block root NAME(...)` definitions
  std::string global_code_;
  std::string global_code_filename_;
  int anonymous_destinations_ = 0;
};

}  // namespace config_internal
}  // namespace pydest

#endif  // LIBPYDEST_CONFIG_CONFIG_PARSER_H_
