// The embedded `_syslogng` module: the C++ half of the `syslogng` package a
// destination imports (syslog-ng-behaviour.md §7). The pure-Python package in
// bindings/python/syslogng re-exports these types, and falls back to plain
// Python versions when it is imported outside a libpydest host.
//
// `_syslogng` offers what syslog-ng 4.x's and AxoSyslog's C module does:
// LogMessage, LogTemplate, LogTemplateOptions, LogTemplateException,
// LTZ_LOCAL, LTZ_SEND, Logger, Persist, LogDestination,
// LogDestinationResult, LogParser, LogSource, LogFetcher, LogFetcherResult,
// AckTrackerFactory, InstantAckTracker, ConsecutiveAckTracker,
// BatchedAckTracker, Bookmark, register_config_generator
// (config_generators.h), get_installation_path_for
// (installation_paths.cc), stats_written_bytes_add — plus the SeqNum type
// of a destination's `seqnum` attribute. docs/python-api.md says what each
// does here.
//
// The New* functions let the python layer make these objects from C++. All
// return a new reference, or nullptr with a Python exception set.
// Thread-safety: every function needs the GIL.
#ifndef BINDINGS_MODULE_SYSLOGNG_MODULE_H_
#define BINDINGS_MODULE_SYSLOGNG_MODULE_H_

#include <Python.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "libpydest/pyrt/destination_context.h"
#include "libpydest/pyrt/gil.h"
#include "pydest/message.h"
#include "pydest/template_options.h"

namespace pydest::internal {

// Creates `_syslogng` and registers it in sys.modules (once per
// interpreter; later calls are no-ops). False with a Python error set on
// failure.
bool InstallSyslogngModule(RequiresGil gil);

// A read-only LogMessage over a copy of `msg` (the copy keeps the message
// alive as long as Python holds the object, syslog-ng-behaviour.md §8).
// `seqnum`/`processed` feed $SEQNUM and the $P_* macros.
PyObject* NewLogMessage(RequiresGil gil, const Message& msg, uint64_t seqnum,
                        Timestamp processed,
                        std::shared_ptr<const DestinationContext> context);

// The `template_options` attribute (syslog-ng-behaviour.md §2.2 step 4).
PyObject* NewLogTemplateOptions(RequiresGil gil,
                                const TemplateOptions& options);

// A LogTemplate compiled from `text` (options(... LogTemplate("...")) under
// @version >= 4.2); LogTemplateException set when it does not compile.
PyObject* NewLogTemplate(RequiresGil gil, const std::string& text,
                         const TemplateOptions& options);

// The `seqnum` class attribute: int(obj) reads `counter`.
PyObject* NewSeqNum(RequiresGil gil,
                    std::shared_ptr<const std::atomic<uint64_t>> counter);

}  // namespace pydest::internal

#endif  // BINDINGS_MODULE_SYSLOGNG_MODULE_H_
