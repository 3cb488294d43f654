// Options of one Python destination: syslog-ng's `python(...)` options with
// their names and defaults, plus what libpydest adds (backoff, overflow
// policy, interpreter settings, callbacks).
//
// A plain struct: fill it (by hand, from a syslog-ng configuration with
// pydest::ParseConfig, or from JSON) and pass it to PyDestinationHost::Create.
// All tuning happens there; nothing can be changed afterwards.
#ifndef PYDEST_OPTIONS_H_
#define PYDEST_OPTIONS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "pydest/message.h"
#include "pydest/value_pairs.h"

namespace pydest {

// The configuration's `@version:`; decides 3.x or 4.x value representation
// (spec sections 4.2 and 10).
struct ConfigVersion {
  int major = 4;
  int minor = 0;
  bool AtLeast(int ma, int mi) const {
    return major > ma || (major == ma && minor >= mi);
  }
};

// One value of `options(...)`. Under a 3.x configuration every value reaches
// Python as str; from 4.2 on numbers, booleans, lists and LogTemplate()
// values keep their type.
struct OptionValue {
  enum class Kind : uint8_t {
    kString,    // "quoted" or a bare word
    kInteger,   // 123
    kDouble,    // 1.5
    kBoolean,   // yes/no/true/false/on/off
    kList,      // ["a", "b"]
    kTemplate,  // LogTemplate("${HOST}")
  };
  Kind kind = Kind::kString;
  std::string text;                // the value as written (for kList: unused)
  std::vector<std::string> items;  // kList elements
};

// How long to wait before open() is tried again after a failure.
struct ReopenBackoff {
  enum class Kind : uint8_t {
    kFixed,        // always time_reopen (syslog-ng's behaviour)
    kExponential,  // time_reopen * multiplier^n, capped, with jitter
  };
  Kind kind = Kind::kFixed;
  double multiplier = 2.0;
  absl::Duration max_interval = absl::Seconds(60);
  double jitter = 0.1;  // +/- this fraction of the interval, random
  // NOT_CONNECTED and RETRY results retry one message forever in syslog-ng.
  // When set, a message is dropped (kDroppedRetriesExhausted) after this many
  // reconnect attempts for it.
  std::optional<int> max_attempts;
};

// What Send() does when log-fifo-size messages are already queued.
enum class OverflowPolicy : uint8_t {
  kBlock,       // wait for room (Send) / refuse (TrySend)
  kDropNewest,  // drop the message being sent, counted
  kDropOldest,  // drop the oldest queued message, counted
};

// The final fate of a message. Every message handed to a host gets exactly one.
enum class Outcome : uint8_t {
  kDelivered,
  kDroppedByDestination,     // send()/flush() returned DROP
  kDroppedRetriesExhausted,  // ERROR `retries` times (or backoff max_attempts)
  kDroppedOnError,           // value-pairs casting failed with drop-message
  kDroppedQueueOverflow,     // overflow policy kDropNewest / kDropOldest
  kDroppedShutdown,          // still queued when the Shutdown deadline passed
  kDroppedNotAccepted,       // handed over after Shutdown began
};
const char* OutcomeName(Outcome outcome);

// A record of the host's own logging (what syslog-ng logs internally).
struct LogRecord {
  enum class Level : uint8_t { kTrace, kDebug, kInfo, kWarning, kError };
  Level level = Level::kInfo;
  std::string text;  // e.g. "Exception while calling a Python function"
  // syslog-ng style tags, e.g. {"function", "send"}, {"exception", "..."}.
  std::vector<std::pair<std::string, std::string>> tags;
  std::string traceback;  // a Python traceback, when there is one
};

// Template options that affect macros ($ISODATE, $DATE, ...).
struct TemplateOptions {
  int frac_digits = 0;  // frac-digits()
  // ts-format(): "rfc3164" (bsd), "rfc3339" (iso), "unix", "full".
  std::string ts_format = "rfc3164";
  // local-time-zone(): "" = leave each timestamp in its own offset;
  // otherwise "+HH:MM" or an IANA name.
  std::string local_time_zone;
  // send-time-zone() / time-zone(): the zone timestamps are converted to
  // when formatted for the destination; "" = each timestamp's own offset.
  std::string send_time_zone;
};

// Whose Python API a destination gets where syslog-ng 4.x and AxoSyslog
// differ: target(syslog-ng) / target(axosyslog) in a configuration's global
// `options {}` (or a python() block), "target" in JSON.
enum class Target : uint8_t {
  // syslog-ng 4.x: LogTemplate.format() returns str; DROP...MAX,
  // template_options and seqnum are class attributes set before __init__,
  // persist_name a class attribute set before init().
  kSyslogNg,
  // AxoSyslog: LogTemplate.format() returns bytes; template_options, seqnum
  // and persist_name are set on each instance after __init__ (before
  // init()), DROP...MAX on the class after __init__.
  kAxoSyslog,
};

struct DestinationOptions {
  // The destination's name (stats, log records). `destination NAME {}`.
  std::string name = "d_python#0";

  // --- syslog-ng python() options ---
  // class("module.Class"); a name without a dot is looked up in the
  // configuration's `python {}` code (global_code). Required.
  std::string class_name;
  // options(...): keys with '-' already turned into '_', in order.
  std::vector<std::pair<std::string, OptionValue>> options;
  // value-pairs(...); unset: send() receives a LogMessage.
  std::optional<ValuePairsSpec> value_pairs;
  OnError on_error = OnError::kDropMessage;
  // time-reopen(): syslog-ng's python driver always uses 1 s; libpydest
  // honours an explicit value (docs/compatibility.md).
  absl::Duration time_reopen = absl::Seconds(1);
  int retries = 3;          // retries(): ERROR results before a drop
  int batch_lines = -1;     // batch-lines(); <= 1: no threshold
  int64_t batch_timeout_ms = -1;  // batch-timeout(); <= 0: none
  // batch-idle-timeout() (AxoSyslog): a pending batch is also flushed when
  // no message joined it for this long; <= 0: none. Set it for a bursty
  // source, so a burst's tail does not wait for batch-timeout().
  int64_t batch_idle_timeout_ms = -1;
  int workers = 1;          // workers(): instances, one worker thread each
  size_t log_fifo_size = 10000;  // log-fifo-size(): queue capacity
  std::string persist_name;      // persist-name(); "" = python(<class>)
  std::vector<std::string> loaders;  // loaders()/imports(): modules to import
  int throttle = 0;  // throttle(): messages per second; 0 = unlimited
  TemplateOptions template_options;
  ConfigVersion version;
  // target(): which project's behaviour the Python API follows (Target).
  Target target = Target::kSyslogNg;

  // --- the configuration's `python {}` blocks ---
  std::string global_code;            // executed as module _syslogng_main
  std::string global_code_filename;   // for tracebacks

  // --- libpydest ---
  std::vector<std::string> python_path;  // prepended to sys.path
  std::string virtualenv;                // its site-packages join sys.path
  std::string state_dir = ".";           // where Persist keeps its files
  ReopenBackoff backoff;
  OverflowPolicy overflow = OverflowPolicy::kBlock;
  // Pass string values as str (UTF-8, surrogateescape) instead of bytes.
  bool strings_as_str = false;
  // Sequence numbers ($SEQNUM) start here.
  uint64_t first_seqnum = 1;

  // Called once per message with its final outcome, on a worker thread (or
  // the calling thread for overflow drops). Must not block for long and must
  // not call back into the host.
  std::function<void(const Message&, Outcome)> on_outcome;
  // The host's own logging. Default: one line per record on stderr.
  std::function<void(const LogRecord&)> log_sink;
};

}  // namespace pydest

#endif  // PYDEST_OPTIONS_H_
