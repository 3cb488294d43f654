// DestinationOptions: everything that configures one Python destination —
// syslog-ng's `python(...)` options with their names and defaults, plus what
// libpydest adds (backoff, overflow policy, interpreter settings, callbacks).
//
// A plain struct: fill it (by hand, from a syslog-ng configuration with
// pydest::ParseConfig, or from JSON with pydest::DestinationOptionsFromJson)
// and pass it to PyDestinationHost::Create. All tuning happens there;
// nothing can be changed afterwards.
//
// Thread-safety: a plain value; Create copies it.
#ifndef PYDEST_DESTINATION_OPTIONS_H_
#define PYDEST_DESTINATION_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "pydest/config_version.h"
#include "pydest/log_record.h"
#include "pydest/message.h"
#include "pydest/on_error.h"
#include "pydest/option_value.h"
#include "pydest/outcome.h"
#include "pydest/overflow_policy.h"
#include "pydest/reopen_backoff.h"
#include "pydest/target.h"
#include "pydest/template_options.h"
#include "pydest/value_pairs.h"

namespace pydest {

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

#endif  // PYDEST_DESTINATION_OPTIONS_H_
