// Reading syslog-ng configuration text: the python() destinations it
// defines, with their options, and the log paths that use them.
//
// What is understood: `@version:`, `@include` anywhere (relative to the
// including file, then along the include path; glob patterns and
// directories; a missing file is noted, not an error), `@define` (backtick
// substitution), `@module`/`@requires` (read over), `python { ... };` code
// blocks, the global `options { ... };` (on-error, time-reopen,
// log-fifo-size, frac-digits, ts-format and the time zones are inherited by
// python() destinations that do not set them), `block CONTEXT NAME(...)
// { ... };` definitions with their parameters, defaults and `...`, and their
// uses (root blocks as statements, destination blocks as drivers: a block
// that holds python() defines a python destination as if written out),
// `destination NAME { python(...); ... };` and `log { ... };` paths (nested
// log/junction/channel/if blocks and inline destinations included). Every
// other statement of a syslog-ng.conf is read over, its brackets checked.
// '-' and '_' are the same in option names. Input that nests or expands is
// bounded (pydest/limits.h).
//
// Errors are absl::InvalidArgumentError with a message
// "file:line:column: what was wrong", e.g.
// "app.conf:12:5: unknown option 'value_pair' in python(); did you mean
// 'value-pairs'?".
//
// Thread-safety: every function here keeps no shared state and may be
// called from any number of threads at once (a config_generators hook is
// then called from each of them; PythonConfigGenerators allows that).
#ifndef PYDEST_CONFIG_H_
#define PYDEST_CONFIG_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pydest/config_generator_hook.h"
#include "pydest/config_version.h"
#include "pydest/destination_options.h"
#include "pydest/export.h"
#include "pydest/input_format.h"

namespace pydest {

struct ConfiguredDestination {
  std::string name;  // destination NAME { ... } ("#anon-destination0" inline)
  DestinationOptions options;
  std::string file;  // where it was defined
  int line = 0;
};

// A source of the configuration that pydest can read by itself: file() and
// stdin(), written out or through a source block (SCL) that expands to
// them. Other drivers (network(), syslog(), internal(), ...) are notes.
struct ConfiguredSource {
  std::string name;  // SOURCE and the ".source.NAME" tag; "#anon-source<N>"
  enum class Driver { kFile, kStdin };
  Driver driver = Driver::kFile;
  std::string path;  // file("PATH")
  // flags(syslog-protocol): RFC 5424; flags(no-parse): the whole line is
  // MESSAGE; otherwise RFC 3164, as syslog-ng's default parser.
  InputFormat format = InputFormat::kRfc3164;
  // keep-hostname() of the driver, else of the global options, else no
  // (syslog-ng's default: HOST becomes the receiving host).
  bool keep_hostname = false;
  // follow-freq(): how often a followed file is looked at for more (pydest
  // --follow); unset: syslog-ng's default, 1 s.
  std::optional<absl::Duration> follow_freq;
  // The python() destinations log paths route it to, in order.
  std::vector<std::string> destinations;
  std::string file;  // where it was defined
  int line = 0;
};

struct Config {
  // @version:; 4.0 when the configuration has none. Every destination's
  // options.version is set to it.
  ConfigVersion version;
  std::vector<ConfiguredDestination> destinations;  // python() ones only
  // Names of python destinations referenced by some log {} path, in order
  // of first reference.
  std::vector<std::string> used_in_log_paths;
  // All `python {}` blocks, concatenated in order (also copied into every
  // destination's options.global_code); the filename is
  // "<file>{python-global-code:<line>}" of the first block.
  std::string global_code;
  std::string global_code_filename;
  // The sources pydest can read that feed some python() destination, in
  // order of definition (a source with several drivers: one each).
  std::vector<ConfiguredSource> sources;
  // Things read over that a user may want to know about, e.g.
  // "syslog-ng.conf:2:1: @include \"scl.conf\" matched no file; ignored".
  std::vector<std::string> notes;
  // With ConfigReadOptions::preprocess: the configuration as syslog-ng's
  // --preprocess-into writes it. The text as written (comments and layout
  // kept) with each @include replaced by the text of its files, each use of
  // a block or config generator by its expansion, each between
  // "# begin: WHAT" and "# end: WHAT" lines, and backtick references
  // replaced by their values (a literal backtick written "``").
  // Definitions (@define, block) stay; an @include that matched nothing
  // and an included file's @version become comments. Parsing it, with no
  // include path needed, gives the same destinations, sources and options
  // (only where each is defined differs).
  std::string preprocessed;
};

// syslog-ng's own configuration directory and SCL folder, searched after
// ConfigReadOptions::include_path when they exist, so that
// `@include "scl.conf"` reads the SCL of an installed syslog-ng.
inline constexpr const char* kSyslogNgIncludePath[] = {
    "/etc/syslog-ng", "/usr/share/syslog-ng/include"};

// How configuration files are found.
struct ConfigReadOptions {
  // Directories a relative @include is looked for in, in order, after the
  // including file's own directory (syslog-ng's include path). Add the
  // directory of your own SCL-style block files here.
  std::vector<std::string> include_path;
  // Also search kSyslogNgIncludePath. Turn off for a configuration that
  // must not depend on what syslog-ng has installed (tests, for one).
  bool syslog_ng_include_path = true;
  // Expands drivers defined by config generators; empty: none (the driver
  // is read over like any other non-python driver).
  ConfigGeneratorHook config_generators;
  // @define values the configuration starts with (its own @define of the
  // same name replaces one). syslog-ng predefines module-install-dir, which
  // its SCL uses to find the SCL of its Python modules
  // (`module-install-dir`/python/syslogng/modules/*/scl/*.conf): point it
  // at the folder that holds python/syslogng/modules.
  std::map<std::string, std::string> defines = {
      {"module-install-dir", "/usr/lib/syslog-ng"}};
  // Also fill Config::preprocessed.
  bool preprocess = false;
};

// Parses configuration text and returns what it defines (Config), or
// InvalidArgumentError at the first error. `filename` is used in error
// messages and to resolve @include (relative to its directory first).
// Errors name the file,
// line and column; an error inside an included file or a block's expansion
// also says how it was reached ("... (in block destination x() used at
// main.conf:9:18)").
PYDEST_EXPORT absl::StatusOr<Config> ParseConfig(
    std::string_view text, std::string_view filename = "<config>",
    const ConfigReadOptions& options = {});
// Reads and parses a file; NotFoundError when it cannot be read,
// InvalidArgument when it is no regular file or is too large.
PYDEST_EXPORT absl::StatusOr<Config> ParseConfigFile(
    const std::string& path, const ConfigReadOptions& options = {});

// Parses the options of one python() driver: either its inside,
// "class(\"m.C\") value-pairs(...)", or the whole "python(...)" (with an
// optional trailing ';'). Returns the options (with the 4.0 default
// version), or InvalidArgumentError "filename:line:column: ...".
PYDEST_EXPORT absl::StatusOr<DestinationOptions> ParsePythonOptions(
    std::string_view text, std::string_view filename = "<options>");

// The JSON form of the same options (see docs/config-json.md). Errors are
// InvalidArgumentError naming the offending field.
PYDEST_EXPORT absl::StatusOr<DestinationOptions> DestinationOptionsFromJson(
    std::string_view json);

}  // namespace pydest

#endif  // PYDEST_CONFIG_H_
