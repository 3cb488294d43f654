// The whole-file parser behind pydest::ParseConfig: top-level statements
// (pragmas, `python {}` code blocks, the global `options {}`,
// `destination NAME { ... };`, `log { ... };`, block definitions and the
// uses of root blocks), `@include` wherever it stands, the uses of
// destination blocks inside destinations, and everything else a
// syslog-ng.conf holds (sources, filters, parsers, rewrites, templates),
// which is read over with its brackets checked.
//
// Thread-safety: one ConfigParser per parse; not shared.
#ifndef LIBPYDEST_CONFIG_CONFIG_PARSER_H_
#define LIBPYDEST_CONFIG_CONFIG_PARSER_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "libpydest/config/block_definition.h"
#include "libpydest/config/python_options_parser.h"
#include "libpydest/config/token_stream.h"
#include "pydest/config.h"

namespace pydest {
namespace config_internal {

class ConfigParser {
 public:
  // `include_path`: where a relative @include is looked for after the
  // including file's directory.
  explicit ConfigParser(std::vector<std::string> include_path = {},
                        ConfigGeneratorHook generators = nullptr,
                        Defines predefined = {})
      : defines_(std::move(predefined)),
        include_path_(std::move(include_path)),
        generators_(std::move(generators)) {}

  // Also keep the configuration as read, preprocessed (Config::preprocessed).
  void KeepPreprocessed() { keep_preprocessed_ = true; }

  // Parses the main file's text (and what it @includes).
  absl::Status ParseText(std::string text, const std::string& filename);

  // Applies what can only be applied at the end (version, global options,
  // python {} code, log path references) and returns the result.
  absl::StatusOr<Config> Finish();

 private:
  absl::Status ParseStatement(TokenStream& in, const Token& first);
  absl::Status ParsePragma(TokenStream& in, const Token& at);
  // The stream's include handler: reads the files `pattern` names and
  // puts them before the rest of the text.
  absl::Status Include(TokenStream& in, const Token& at,
                       const std::string& pattern);
  // After `block`: the definition, kept for its uses.
  absl::Status DefineBlock(TokenStream& in);
  // The block of `context` named `name` ('-' spelling), or null.
  const BlockDefinition* FindBlock(const std::string& context,
                                   const std::string& name) const;
  // At a use `NAME(` of `block` (`open` is the '('): reads the arguments
  // and puts the expansion before the rest of the text.
  absl::Status UseBlock(TokenStream& in, const BlockDefinition& block,
                        const Token& use, const Token& open);
  // Reads `text` next, as the expansion of `what` used at `use`, its
  // positions starting at `start` (in `filename`).
  absl::Status PushExpansion(TokenStream& in, std::string text,
                             const std::string& what, const Token& use,
                             const std::string& filename, Position start);
  // At a driver `NAME(` of `context` that is neither python() nor a block:
  // asks the config generators; true when one expanded it (its text is
  // read next), false when the driver is to be read over (its arguments
  // are consumed either way).
  absl::StatusOr<bool> TryConfigGenerator(TokenStream& in,
                                          const std::string& context,
                                          const Token& driver,
                                          const Token& open);
  absl::Status ParsePythonCodeBlock(TokenStream& in, const Token& keyword);
  // After `destination NAME {` (or an inline `destination {`): the drivers
  // up to and including '}'.
  absl::Status ParseDestinationBody(TokenStream& in, const std::string& name,
                                    const Token& open);
  // After `log {` (or a nested junction/channel/if block's '{'), up to and
  // including its '}'; `depth` counts the blocks open, `open`'s included
  // (at most kMaxConfigNesting). Defined in log_path.cc.
  absl::Status ParseLogBlock(TokenStream& in, const Token& open, int depth);
  // The next driver `NAME(` of a destination or source body (`context`)
  // whose '{' was `open`: false at its closing '}'. Blocks of that context
  // are expanded here (their drivers come next), so what is returned is
  // never a block.
  absl::StatusOr<bool> NextDriver(TokenStream& in, const Token& open,
                                  const std::string& context, Token* driver,
                                  Token* paren);
  // After `source NAME {` (or an inline `source {`): the drivers up to and
  // including '}'. file() and stdin() are kept (pending_sources_), source
  // blocks expanded, other drivers noted. Defined in sources.cc.
  absl::Status ParseSourceBody(TokenStream& in, const std::string& name,
                               const Token& open);
  // After `file(` or `stdin(`: the driver's arguments up to ')'.
  absl::Status ParseSourceDriver(TokenStream& in, const std::string& name,
                                 const Token& driver);
  // After `parser NAME {` (or an inline `parser {`): up to and including
  // '}'; a python() driver is remembered (python_parsers_). Defined in
  // sources.cc.
  absl::Status ParseParserBody(TokenStream& in, const std::string& name,
                               const Token& open);
  // The sources that reach python() destinations, for Finish(); an error
  // when a python() source or parser feeds one (libpydest runs neither).
  absl::Status ResolveSources();
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
  // file()/stdin() drivers with their own keep-hostname(), if given.
  std::vector<std::pair<ConfiguredSource, std::optional<bool>>>
      pending_sources_;
  // The sources and destinations named by the log statement being read,
  // and what every log statement routes: (source, destination).
  std::vector<std::string> path_sources_;
  std::vector<std::string> path_parsers_;
  std::vector<std::string> path_destinations_;
  // python() sources and parsers (python-fetcher() too): name -> where.
  std::vector<std::pair<std::string, std::string>> python_sources_;
  std::vector<std::pair<std::string, std::string>> python_parsers_;
  // (parser, destination) pairs that log statements put in one path.
  std::vector<std::pair<std::string, std::string>> parser_routes_;
  int anonymous_parsers_ = 0;
  std::vector<std::pair<std::string, std::string>> routes_;
  int anonymous_sources_ = 0;
  // Block definitions by (context, name); a later one replaces an earlier.
  std::map<std::pair<std::string, std::string>, BlockDefinition> blocks_;
  std::vector<std::string> include_path_;
  ConfigGeneratorHook generators_;
  std::string global_code_;
  std::string global_code_filename_;
  int anonymous_destinations_ = 0;
  bool keep_preprocessed_ = false;
  std::string preprocessed_;
  // What @include has read so far, all files together (kMaxIncludedFiles,
  // kMaxIncludedBytes).
  size_t included_files_ = 0;
  size_t included_bytes_ = 0;
};

}  // namespace config_internal
}  // namespace pydest

#endif  // LIBPYDEST_CONFIG_CONFIG_PARSER_H_
