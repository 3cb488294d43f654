// DestinationContext: what the `syslogng` module needs to know about the
// destination whose Python code is running — where Logger() writes, which
// @version rules LogMessage follows, where Persist keeps its files, the
// template options of LogTemplate. The python layer sets it around every
// call into a destination (DestinationScope); module objects created during
// such a call (Logger(), Persist(...)) keep a reference to it.
//
// Thread-safety: a DestinationContext is immutable after creation and may be
// shared by any threads; the "current" pointer is per thread.
#ifndef LIBPYDEST_PYRT_DESTINATION_CONTEXT_H_
#define LIBPYDEST_PYRT_DESTINATION_CONTEXT_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "libpydest/delivery/destination_counters.h"
#include "pydest/config_version.h"
#include "pydest/destination_options.h"
#include "pydest/log_record.h"
#include "pydest/target.h"
#include "pydest/template_options.h"

namespace pydest::internal {

// How many messages a host accepted and has not settled yet: what is lost
// when a destination ends the process (os._exit's report). The host points
// it at its counters once its queue exists; 0 before.
class UnsettledCounter {
 public:
  void Set(std::function<uint64_t()> count) ABSL_LOCKS_EXCLUDED(mu_);
  uint64_t Get() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  std::function<uint64_t()> count_ ABSL_GUARDED_BY(mu_);
};

struct DestinationContext {
  std::string name;        // syslog-ng's `caller`/`driver` tag, e.g. d_py#0
  std::string class_name;  // class() as configured
  ConfigVersion version;
  Target target = Target::kSyslogNg;  // LogTemplate.format()'s result type
  TemplateOptions template_options;
  std::string state_dir = ".";
  // Empty: the process's log hook (pydest/log_hook.h), or stderr.
  std::function<void(const LogRecord&)> log_sink;
  // The destination's counters (python_exceptions, casting_errors, and
  // written_bytes, which LogDestination.stats_written_bytes_add(n) adds to).
  std::shared_ptr<DestinationCounters> counters =
      std::make_shared<DestinationCounters>();
  std::shared_ptr<UnsettledCounter> unsettled =
      std::make_shared<UnsettledCounter>();

  // Sends a record to log_sink, or to the log hook, or one line to stderr
  // (log_hook.h). In a forked child
  // (a destination's os.fork()) the host's sink is not called: the child
  // ends there (process_guard.h).
  void Log(const LogRecord& record) const;
};

// The context of a destination configured by `options`, counting into
// `counters`: in-process and isolation(process) hosts make theirs alike.
std::shared_ptr<const DestinationContext> MakeDestinationContext(
    const DestinationOptions& options,
    std::shared_ptr<DestinationCounters> counters);

// The destination of the Python call running on this thread; a default
// context (4.0 rules, stderr, ".") when there is none (e.g. a Python thread
// the destination started itself).
std::shared_ptr<const DestinationContext> CurrentDestination();

// Whether a DestinationScope is active on this thread (a destination's
// method is running, not the host's own Python).
bool InDestinationScope();

// Makes `context` current on this thread for the scope's lifetime. Nests;
// a scope for the context already current costs nothing (a worker holds
// one per batch, and each call inside it opens its own).
class DestinationScope {
 public:
  explicit DestinationScope(
      const std::shared_ptr<const DestinationContext>& context);
  ~DestinationScope();
  DestinationScope(const DestinationScope&) = delete;
  DestinationScope& operator=(const DestinationScope&) = delete;

 private:
  bool active_ = false;
  std::shared_ptr<const DestinationContext> previous_;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYRT_DESTINATION_CONTEXT_H_
