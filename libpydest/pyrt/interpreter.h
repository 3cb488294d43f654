// The process's one CPython interpreter.
//
// EnsurePythonStarted starts CPython the first time anything needs it
// (syslog-ng starts it when mod-python loads,
// docs/syslog-ng-behaviour.md §9.1): without signal
// handlers (a host's SIGINT/SIGTERM handling stays the host's, DESIGN.md
// rule 6), with the process guards of process_guard.h (signal.signal &
// co. and os._exit wrapped, faulthandler on stderr) and sys.argv ==
// ['pydest']. The GIL is released before it returns. If the host program
// already initialised Python, libpydest adopts that interpreter: it does not
// re-initialise it and will not finalise it, and its guards divert only what
// destinations call.
//
// This layer knows no module of its own: syslog-ng's Python API (`_syslogng`
// and the `syslogng` package on sys.path) is added by the bindings layer
// above, whose EnsureInterpreter (bindings/module/syslogng_interpreter.h)
// is what destinations start.
//
// libpydest never finalises the interpreter. Py_Finalize waits for every
// non-daemon thread a destination may have started, which can hang a
// host's exit forever; the process's exit reclaims the interpreter instead
// (docs/compatibility.md).
//
// Thread-safety: EnsurePythonStarted may be called from any thread, any
// number of times; AddSearchPaths needs the GIL.
#ifndef LIBPYDEST_PYRT_INTERPRETER_H_
#define LIBPYDEST_PYRT_INTERPRETER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "libpydest/pyrt/gil.h"

namespace pydest::internal {

// Starts (or adopts) the interpreter once; later calls return the first
// result. On return the calling thread does not hold the GIL (unless it
// held it before, in a host that runs Python itself).
absl::Status EnsurePythonStarted();

// Puts `paths` (in order) at the front of sys.path, skipping ones already
// there, and adds a virtualenv's site-packages (with its .pth files) when
// `virtualenv` is not empty. InvalidArgument when the virtualenv has no
// site-packages for this Python version.
absl::Status AddSearchPaths(RequiresGil gil,
                            const std::vector<std::string>& paths,
                            const std::string& virtualenv);

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYRT_INTERPRETER_H_
