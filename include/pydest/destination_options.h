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
#include "pydest/dead_letter_spec.h"
#include "pydest/disk_buffer_spec.h"
#include "pydest/isolation.h"
#include "pydest/log_record.h"
#include "pydest/message.h"
#include "pydest/on_error.h"
#include "pydest/option_value.h"
#include "pydest/outcome.h"
#include "pydest/outcome_report.h"
#include "pydest/overflow_policy.h"
#include "pydest/reopen_backoff.h"
#include "pydest/target.h"
#include "pydest/template_options.h"
#include "pydest/value_pairs.h"

namespace pydest {

// Each field has its default beside it; the comment says when to change it.
// Fields named after a syslog-ng option take that option's default.
struct DestinationOptions {
  // The destination's name: `destination NAME {}`. It tags the log records
  // (`driver`) and names the destination in pydest's report. Give each
  // destination of a program its own.
  std::string name = "d_python#0";

  // --- syslog-ng python() options ---

  // class("module.Class"): the Python class to run. A name without a dot
  // is looked up in the configuration's `python {}` code (global_code).
  // Required: Create fails when it is empty.
  std::string class_name;
  // options(...): what init(options) receives, in order; keys have '-'
  // already turned into '_'. Empty by default.
  std::vector<std::pair<std::string, OptionValue>> options;
  // value-pairs(...). Unset (the default): send() receives a LogMessage and
  // reads what it needs. Set: send() receives a dict of exactly these
  // pairs, evaluated and typed without the GIL.
  std::optional<ValuePairsSpec> value_pairs;
  // on-error(): what a value that cannot take its type hint does to its
  // message (OnError). kDropMessage, as syslog-ng; choose
  // kFallbackToString when a message must get through with a bad value.
  OnError on_error = OnError::kDropMessage;
  // time-reopen(): how long a worker waits after a failure before it calls
  // open() again (the base interval of `backoff`). 1 s; syslog-ng's python
  // driver always waits 1 s, libpydest honours an explicit value
  // (docs/compatibility.md). Raise it for a server that is slow to return.
  absl::Duration time_reopen = absl::Seconds(1);
  // retries(): how many ERROR results a message meets before it is dropped
  // (Outcome::kDroppedRetriesExhausted). 3, as syslog-ng. Raise it for a
  // server whose errors are mostly passing; values below 1 are errors in
  // the configuration forms.
  int retries = 3;
  // batch-lines(): once the class returns QUEUED, flush() is called when
  // this many messages are pending. Unset (the default), or 1 or less:
  // flush() after every round of sends, as syslog-ng without batch-lines().
  // Set it for a class that batches (QUEUED from send(), the real write in
  // flush()), e.g. 100 for a bulk HTTP API.
  std::optional<int> batch_lines;
  // batch-timeout(): a pending QUEUED batch is also flushed this long after
  // its first message (or the last flush). Unset (the default) or zero: no
  // such timer, as syslog-ng without batch-timeout(). Set it with
  // batch_lines, so that a batch that never fills still goes out. Counted
  // in whole milliseconds (a fraction rounds up).
  std::optional<absl::Duration> batch_timeout;
  // batch-idle-timeout() (AxoSyslog): a pending QUEUED batch is also
  // flushed when no message joined it for this long. Unset (the default) or
  // zero: no such timer. Set it for a bursty source, so that a burst's tail
  // does not wait for batch_timeout. Whole milliseconds, as batch_timeout.
  std::optional<absl::Duration> batch_idle_timeout;
  // workers(): how many instances of the class run, each on its own worker
  // thread (values below 1 count as 1). 1, as syslog-ng. Raise it for a
  // class that waits on I/O, so that several sends are in flight; Python
  // code itself still runs one thread at a time.
  int workers = 1;
  // log-fifo-size(): how many messages may wait in the queue; when it is
  // full, `overflow` decides. 10000, as syslog-ng. Raise it to ride out
  // longer outages (memory grows with it); lower it to slow the producer
  // down (or drop) sooner. Create fails with 0.
  size_t log_fifo_size = 10000;
  // persist-name(): names the destination's state (Persist, persist_name
  // in Python). "" (the default): what the class's generate_persist_name()
  // returns, else "python(<class>)". Set it when two destinations run the
  // same class, so that their state stays apart.
  std::string persist_name;
  // loaders() / imports(): modules imported before the class is loaded.
  // Empty by default; list modules the class needs imported first.
  std::vector<std::string> loaders;
  // throttle(): at most this many messages per second reach send(); the
  // others wait in the queue (none is dropped for it). Unset (the default,
  // syslog-ng's throttle(0)): no limit. Set it for a server with a rate
  // limit of its own.
  std::optional<int> throttle;
  // frac-digits(), ts-format(), local-time-zone(), send-time-zone(): how
  // date macros are written (TemplateOptions has each default).
  TemplateOptions template_options;
  // The configuration's @version: (ConfigVersion): how values reach Python.
  // 4.0 by default; ParseConfig sets the configuration's own.
  ConfigVersion version;
  // target(): whose Python API the class gets where syslog-ng 4.x and
  // AxoSyslog differ (Target). kSyslogNg; choose kAxoSyslog for a class
  // written for AxoSyslog.
  Target target = Target::kSyslogNg;

  // --- the configuration's `python {}` blocks ---

  // Python code run as module _syslogng_main before the class is loaded;
  // a class_name without a dot is looked up in it. Empty by default.
  std::string global_code;
  // The file name its tracebacks show. Empty by default.
  std::string global_code_filename;

  // --- libpydest ---

  // Directories put at the front of sys.path: where the class's module
  // lives when it is not installed. Empty by default.
  std::vector<std::string> python_path;
  // A virtualenv whose site-packages join sys.path, for the class's
  // dependencies. "" (the default): none.
  std::string virtualenv;
  // Where Persist keeps its files. "." (the working directory) by default;
  // set it to a directory that survives restarts (e.g. /var/lib/myapp).
  std::string state_dir = ".";
  // disk-buffer(...): keep the queue in files under dir() (DiskBufferSpec),
  // so accepted messages survive a crash and are delivered after a restart.
  // Unset (the default): the queue is in memory only, and a crash of the
  // process loses what it held.
  std::optional<DiskBufferSpec> disk_buffer;
  // dead-letter(...): where dropped messages go (DeadLetterSpec): a
  // JSON-lines file, or a second Python destination. Exactly one of its
  // two must be set. Unset (the default): a drop is only counted (and
  // reported to on_outcome).
  std::optional<DeadLetterSpec> dead_letter;
  // isolation(): where the class runs (Isolation). kThread by default, as
  // syslog-ng. Choose kProcess for a destination that may crash, hang or
  // leak (its own C extensions, a client library), or whose send() is
  // CPU-bound and should use several cores with workers(N).
  Isolation isolation = Isolation::kThread;
  // send-timeout() (isolation(process) only): a call into the class
  // (send(), flush(), open(), ...) running longer is a failed try: the
  // worker process is killed and started again. Unset (the default): no
  // limit (a hung call holds its worker until the Shutdown deadline).
  std::optional<absl::Duration> send_timeout;
  // memory-limit() (isolation(process) only): the worker process's address
  // space in MiB (RLIMIT_AS, interpreter and libraries included: about
  // 100 MiB of it is taken before the class runs). Exceeding it is a
  // MemoryError in Python or the worker's death: a failed try either way.
  // A limit the interpreter cannot start in fails Create, saying so.
  // Unset (the default): no limit.
  std::optional<uint64_t> memory_limit_mib;
  // isolation(process): the worker executable. "" (the default): the
  // PYDEST_WORKER environment variable when set, else pydest-worker
  // installed beside the library (<libdir>/../libexec/pydest/).
  std::string worker_executable;
  // How the wait before a reopen grows (ReopenBackoff has each default).
  // Fixed time_reopen by default, as syslog-ng.
  ReopenBackoff backoff;
  // What Send does when the queue is full (OverflowPolicy). kBlock by
  // default: nothing is dropped, the producer waits.
  OverflowPolicy overflow = OverflowPolicy::kBlock;
  // Pass string values of the value-pairs dict as str (UTF-8 with
  // surrogateescape) instead of bytes. false, as syslog-ng; set it for a
  // class written for str values.
  bool strings_as_str = false;
  // The first message's $SEQNUM; the next ones count up from it. 1 by
  // default; a host that restarts may continue its own numbering.
  uint64_t first_seqnum = 1;

  // Called once per message with its final outcome, on the thread that
  // settles it: a worker thread, the prepare thread (kDroppedOnError), the
  // thread calling Send/TrySend (kDroppedQueueOverflow, kDroppedNotAccepted)
  // or the one calling Shutdown (kDroppedShutdown for what is left). It may
  // run on several threads at once.
  // Must not block for long and must not call back into the host. Empty
  // (the default): outcomes are only counted.
  std::function<void(const Message&, Outcome)> on_outcome;
  // The same, with the context the host handed over with the message and
  // whether a drop is retryable (OutcomeReport): for a host that ties
  // outcomes back to upstream records (acknowledges an offset, requeues
  // what a retry could deliver). Called on the same threads, under the same
  // rules. Either callback, both or neither may be set; with both,
  // on_outcome runs first. Empty by default.
  std::function<void(const Message&, const OutcomeReport&)> on_outcome_report;
  // Where libpydest's own log records go (LogRecord), from any of those
  // threads. Empty (the default): one line per record on stderr. Set it to
  // route them into the host's own logging.
  std::function<void(const LogRecord&)> log_sink;
};

}  // namespace pydest

#endif  // PYDEST_DESTINATION_OPTIONS_H_
