// The pydest command line: what the user asked for, parsed from argv.
//
//   pydest -f syslog-ng.conf [--destination NAME] [--format FORMAT]
//          [--python-path DIR]... [--include-path DIR]...
//          [--stats-json FILE] [--check] [-s] [--preprocess-into FILE]
//          [--deadline SECONDS] [FILE ...]
//
// Parsing keeps no state; thread-safe.
#ifndef PYDEST_TOOLS_PYDEST_ARGS_H_
#define PYDEST_TOOLS_PYDEST_ARGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pydest/input_format.h"
#include "pydest/log_record.h"

namespace pydest::cli {

struct CommandLine {
  std::string config_file;                // -f, --cfgfile
  std::vector<std::string> destinations;  // --destination; empty = all
  InputFormat format = InputFormat::kAuto;
  std::string format_name = "auto";
  bool format_given = false;              // --format was on the command line
  std::vector<std::string> python_path;   // --python-path, in order given
  std::vector<std::string> include_path;  // --include-path, in order given
  std::string stats_json_file;            // --stats-json; "" = none
  std::string resume_file;                // --resume; "" = none
  // --preprocess-into: where to write the configuration preprocessed
  // (Config::preprocessed); "" = nowhere.
  std::string preprocess_into;
  // --metrics-listen: where to serve /metrics (metrics_port 0: any free).
  bool metrics_listen = false;
  std::string metrics_host;
  int metrics_port = 0;
  // --follow: keep reading input files as they grow and across rotation
  // until SIGINT/SIGTERM, as syslog-ng's file() sources do.
  bool follow = false;
  bool check = false;                     // --check
  // -s, --syntax-only: parse the configuration and say what would run;
  // no Python code runs (syslog-ng's own meaning).
  bool syntax_only = false;
  // The least important log records printed: warnings and errors by
  // default, as syslog-ng prints its internal messages without -v; -v adds
  // info (where syslog-ng's msg_info and a destination's logger.info()
  // go), --debug debug, -t/--trace trace.
  LogRecord::Level log_level = LogRecord::Level::kWarning;
  // How long Shutdown may drain the queues (--deadline).
  absl::Duration deadline = absl::Seconds(30);
  // Inputs in order; "-" is stdin. Empty means the configuration's own
  // file() and stdin() sources, or stdin when it has none pydest can read.
  std::vector<std::string> inputs;
  bool help = false;     // -h, --help: print Usage() and exit 0
  bool version = false;  // --version
};

// Parses argv[1..argc). InvalidArgument with a one-line reason (the caller
// adds "try --help") on an unknown option, a missing or bad value, or a
// missing -f.
absl::StatusOr<CommandLine> ParseCommandLine(int argc, const char* const* argv);

// The --help text, exit statuses included.
const char* Usage();

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_ARGS_H_
