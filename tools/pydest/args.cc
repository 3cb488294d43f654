#include "tools/pydest/args.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "pydest/did_you_mean.h"

namespace pydest::cli {
namespace {

// Options that take a value, by every spelling accepted. -f and --cfgfile
// are syslog-ng's own spellings, so a syslog-ng command line carries over.
enum class Opt {
  kConfig,
  kDestination,
  kFormat,
  kPythonPath,
  kIncludePath,
  kStatsJson,
  kDeadline,
  kMetricsListen,
  kResume,
  kPreprocessInto,
};

struct ValueOption {
  const char* long_name;  // without "--"
  char short_name;        // 0 = none
  Opt opt;
};

constexpr ValueOption kValueOptions[] = {
    {"cfgfile", 'f', Opt::kConfig},
    {"config", 0, Opt::kConfig},
    {"destination", 'd', Opt::kDestination},
    {"format", 0, Opt::kFormat},
    {"python-path", 0, Opt::kPythonPath},
    {"include-path", 'I', Opt::kIncludePath},
    {"stats-json", 0, Opt::kStatsJson},
    {"deadline", 0, Opt::kDeadline},
    {"metrics-listen", 0, Opt::kMetricsListen},
    {"resume", 0, Opt::kResume},
    {"preprocess-into", 0, Opt::kPreprocessInto},
};

absl::Status Bad(std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(absl::string_view(what.data(), what.size())));
}

// "PORT", "HOST:PORT" or "[IPv6]:PORT" -> host and port; a bare PORT means
// 127.0.0.1 (loopback: metrics are not published unless asked). False for
// anything else (a port outside 0-65535, an empty host).
bool ParseListenAddress(const std::string& text, std::string* host,
                        int* port) {
  std::string host_part = "127.0.0.1";
  std::string port_part = text;
  const size_t colon = text.rfind(':');
  if (colon != std::string::npos) {
    host_part = text.substr(0, colon);
    port_part = text.substr(colon + 1);
    if (host_part.size() >= 2 && host_part.front() == '[' &&
        host_part.back() == ']') {
      host_part = host_part.substr(1, host_part.size() - 2);
    }
    if (host_part.empty()) return false;
  }
  int n = 0;
  if (port_part.empty() || !absl::SimpleAtoi(port_part, &n) || n < 0 ||
      n > 65535) {
    return false;
  }
  *host = host_part;
  *port = n;
  return true;
}

absl::Status Apply(Opt opt, const std::string& name, const std::string& value,
                   CommandLine* cl) {
  switch (opt) {
    case Opt::kConfig:
      if (value.empty()) return Bad(name + ": empty file name");
      cl->config_file = value;
      return absl::OkStatus();
    case Opt::kDestination:
      if (value.empty()) return Bad(name + ": empty destination name");
      cl->destinations.push_back(value);
      return absl::OkStatus();
    case Opt::kFormat:
      if (!ParseInputFormatName(value, &cl->format)) {
        return Bad(absl::StrCat(name, ": unknown format '", value,
                                "' (auto, rfc3164, rfc5424, json or "
                                "no-parse)"));
      }
      cl->format_name = value;
      cl->format_given = true;
      return absl::OkStatus();
    case Opt::kPythonPath:
      if (value.empty()) return Bad(name + ": empty directory");
      cl->python_path.push_back(value);
      return absl::OkStatus();
    case Opt::kIncludePath:
      if (value.empty()) return Bad(name + ": empty directory");
      cl->include_path.push_back(value);
      return absl::OkStatus();
    case Opt::kStatsJson:
      if (value.empty()) return Bad(name + ": empty file name");
      cl->stats_json_file = value;
      return absl::OkStatus();
    case Opt::kResume:
      if (value.empty()) return Bad(name + ": empty file name");
      cl->resume_file = value;
      return absl::OkStatus();
    case Opt::kPreprocessInto:
      if (value.empty()) return Bad(name + ": empty file name");
      cl->preprocess_into = value;
      return absl::OkStatus();
    case Opt::kMetricsListen:
      if (!ParseListenAddress(value, &cl->metrics_host, &cl->metrics_port)) {
        return Bad(name + ": expected PORT or ADDRESS:PORT (port 0-65535), "
                          "got '" + value + "'");
      }
      cl->metrics_listen = true;
      return absl::OkStatus();
    case Opt::kDeadline: {
      errno = 0;
      char* end = nullptr;
      double seconds = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || errno != 0 ||
          !std::isfinite(seconds) || seconds < 0) {
        return Bad(absl::StrCat(name, ": '", value,
                                "' is not a number of seconds >= 0"));
      }
      cl->deadline = absl::Seconds(seconds);
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

const ValueOption* FindLong(std::string_view name) {
  for (const ValueOption& o : kValueOptions) {
    if (name == o.long_name) return &o;
  }
  return nullptr;
}

// "; did you mean '--stats-json'?" or "" for a mistyped long option.
std::string SuggestLong(std::string_view name) {
  std::vector<std::string> options = {"--help",  "--version",    "--verbose",
                                      "--debug", "--trace",      "--check",
                                      "--syntax-only", "--follow"};
  for (const ValueOption& o : kValueOptions) {
    options.push_back(absl::StrCat("--", o.long_name));
  }
  return DidYouMean("--" + std::string(name), options);
}

const ValueOption* FindShort(char c) {
  for (const ValueOption& o : kValueOptions) {
    if (o.short_name != 0 && o.short_name == c) return &o;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<CommandLine> ParseCommandLine(int argc,
                                             const char* const* argv) {
  CommandLine cl;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (options_done || arg == "-" || arg.size() < 2 || arg[0] != '-') {
      cl.inputs.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      cl.help = true;
      continue;
    }
    if (arg == "--version" || arg == "-V") {
      cl.version = true;
      continue;
    }
    if (arg == "-v" || arg == "--verbose") {
      if (cl.log_level == LogRecord::Level::kWarning) {
        cl.log_level = LogRecord::Level::kInfo;
      }
      continue;
    }
    // syslog-ng's -d is pydest's --destination: --debug has no short form.
    if (arg == "--debug") {
      if (cl.log_level != LogRecord::Level::kTrace) {
        cl.log_level = LogRecord::Level::kDebug;
      }
      continue;
    }
    if (arg == "-t" || arg == "--trace") {
      cl.log_level = LogRecord::Level::kTrace;
      continue;
    }
    if (arg == "--follow" || arg == "-F") {
      cl.follow = true;
      continue;
    }
    if (arg == "--check") {
      cl.check = true;
      continue;
    }
    if (arg == "-s" || arg == "--syntax-only") {
      cl.syntax_only = true;
      continue;
    }
    const ValueOption* opt = nullptr;
    std::string name;
    std::string value;
    bool has_value = false;
    if (arg[1] == '-') {
      std::string body = arg.substr(2);
      size_t eq = body.find('=');
      std::string long_name = body.substr(0, eq);
      opt = FindLong(long_name);
      name = "--" + long_name;
      if (eq != std::string::npos) {
        value = body.substr(eq + 1);
        has_value = true;
      }
    } else {
      opt = FindShort(arg[1]);
      name = arg.substr(0, 2);
      if (arg.size() > 2) {
        value = arg.substr(2);
        has_value = true;
      }
    }
    if (opt == nullptr) {
      return Bad(absl::StrCat("unknown option '", arg, "'",
                              arg[1] == '-' ? SuggestLong(name.substr(2))
                                            : std::string()));
    }
    if (!has_value) {
      if (i + 1 >= argc) return Bad(name + " needs a value");
      value = argv[++i];
    }
    if (absl::Status s = Apply(opt->opt, name, value, &cl); !s.ok()) return s;
  }
  if (!cl.help && !cl.version && cl.config_file.empty()) {
    return Bad("no configuration file: give -f syslog-ng.conf");
  }
  return cl;
}

const char* Usage() {
  return R"(Usage: pydest -f CONFIG [OPTIONS] [FILE ...]

Runs the Python destinations of a syslog-ng configuration (python() drivers,
classes written for syslog-ng, unchanged) outside syslog-ng: reads log lines,
parses them and sends every message to every selected destination, then shuts
the destinations down and prints their counters on standard error.

Without FILEs it reads the configuration's own file() and stdin() sources, to
their end, each into the destinations its log paths route it to, as the
configuration names and flags them (SOURCE, .source.NAME, flags(no-parse),
flags(syslog-protocol), keep-hostname()); other sources are noted. With FILEs
(or "-" for standard input) it reads those instead into every selected
destination; so it does when the configuration has no source it can read.

Options:
  -f, --cfgfile, --config FILE
                      the syslog-ng configuration (required)
  -d, --destination NAME
                      run only this destination (repeatable); default: every
                      python() destination the configuration defines
      --format FORMAT input format of FILEs: auto (default; per line: '{'
                      is JSON, "<PRI>1 " is RFC 5424, anything else RFC
                      3164), rfc3164, rfc5424, json or no-parse; given, it
                      also overrides the flags of the configuration's
                      sources
      --python-path DIR
                      add DIR to the Python module search path (repeatable;
                      searched in the order given, before the configuration
                      file's own directory, which is always searched)
  -I, --include-path DIR
                      look for a relative @include in DIR (repeatable), after
                      the including file's directory and before syslog-ng's
                      own /etc/syslog-ng and SCL folder
      --stats-json FILE
                      also write the counters as JSON to FILE
      --check         check the configuration and import and initialise the
                      classes (init, then deinit) without sending anything;
                      print what would run
  -s, --syntax-only   only parse the configuration and print what would run;
                      no Python code runs (not even python {} blocks or
                      config generators), as syslog-ng's -s
      --preprocess-into FILE
                      also write the configuration to FILE as read: each
                      @include replaced by its files, each use of a block
                      or config generator by its expansion (between
                      "# begin:" and "# end:" lines), backtick references by
                      their values; written again on each reload (with -s,
                      config generators stay unexpanded)
  -F, --follow        keep reading the input files as they grow, and across
                      rotation (a new file under the name, or a truncated
                      one), as `tail -F` and syslog-ng's file() sources do,
                      until SIGINT or SIGTERM; a source's follow-freq() sets
                      how often a file is looked at (default 1 s)
      --resume STATS.json
                      go on where the run that wrote STATS.json (with
                      --stats-json) stopped: each input file it read starts
                      at the byte it was read up to (refused when the file
                      was rotated or truncated)
      --metrics-listen [ADDRESS:]PORT
                      serve the destinations' counters at
                      http://ADDRESS:PORT/metrics (Prometheus text format,
                      OpenMetrics on request) while pydest runs; ADDRESS
                      defaults to 127.0.0.1; port 0 picks a free one (the
                      address is printed on standard error)
      --deadline SECONDS
                      how long shutting down may take to deliver what is
                      still queued (default 30); messages still queued then
                      are dropped and counted
  -v, --verbose       also log records of level info (by default warnings
                      and errors only, as syslog-ng without -v)
      --debug         also debug records (Python logging.debug, ...)
  -t, --trace         also trace records
  -h, --help          this text
      --version       the version

SIGINT or SIGTERM stops reading, whatever a destination does with signals;
what is queued is delivered (within the deadline), the counters are printed
and pydest exits with the status below. A third signal kills pydest.
SIGHUP reloads the configuration (same command line; edited Python modules
are imported anew) without stopping; a configuration that fails to load or
start keeps the running one. The inputs stay those of the start.
On a terminal a progress line shows throughput and counters.

Exit status:
  0  every message was delivered (for --check and --syntax-only: the
     configuration is good)
  1  some messages were dropped (by the destination, after retries, on a
     value-pairs casting error, or at the shutdown deadline)
  2  usage error: bad command line, configuration error (reported with
     file:line:column), unknown destination, unreadable input file
  3  a destination failed to start (its module or class could not be
     imported, or init() failed)
  4  a destination ended the process itself (os._exit); stderr names it and
     the messages lost
  5  a fatal signal (a crash in a destination's native code); stderr has the
     Python traceback and the messages lost
)";
}

}  // namespace pydest::cli
