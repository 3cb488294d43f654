// DestinationContext: what the `syslogng` module needs to know about the
// destination whose Python code is running — where Logger() writes, which
// @version rules LogMessage follows, where Persist keeps its files, the
// template options of LogTemplate. The python layer sets it around every
// call into a destination (DestinationScope); module objects created during
// such a call (Logger(), Persist(...)) keep a reference to it.
//
// Thread-safety: a DestinationContext is immutable after creation and may be
// shared by any threads; the "current" pointer is per thread.
#ifndef LIBPYDEST_PYTHON_DESTINATION_CONTEXT_H_
#define LIBPYDEST_PYTHON_DESTINATION_CONTEXT_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "pydest/options.h"

namespace pydest::internal {

struct DestinationContext {
  std::string name;        // syslog-ng's `caller`/`driver` tag, e.g. d_py#0
  std::string class_name;  // class() as configured
  ConfigVersion version;
  TemplateOptions template_options;
  std::string state_dir = ".";
  std::function<void(const LogRecord&)> log_sink;  // empty: stderr
  // LogDestination.stats_written_bytes_add(n) (syslog-ng 4.8+) adds here.
  std::shared_ptr<std::atomic<uint64_t>> written_bytes =
      std::make_shared<std::atomic<uint64_t>>(0);

  // Sends a record to log_sink, or one line to stderr.
  void Log(const LogRecord& record) const;
};

// "text; tag='value', tag='value'" plus the traceback on the next lines —
// syslog-ng's internal message layout, used for the stderr default.
std::string FormatLogRecord(const LogRecord& record);

// The destination of the Python call running on this thread; a default
// context (4.0 rules, stderr, ".") when there is none (e.g. a Python thread
// the destination started itself).
std::shared_ptr<const DestinationContext> CurrentDestination();

// Makes `context` current on this thread for the scope's lifetime.
class DestinationScope {
 public:
  explicit DestinationScope(std::shared_ptr<const DestinationContext> context);
  ~DestinationScope();
  DestinationScope(const DestinationScope&) = delete;
  DestinationScope& operator=(const DestinationScope&) = delete;

 private:
  std::shared_ptr<const DestinationContext> previous_;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYTHON_DESTINATION_CONTEXT_H_
