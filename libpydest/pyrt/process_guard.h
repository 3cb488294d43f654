// The process belongs to the host, not to a destination (include/pydest/
// process.h has the rules). Two halves:
//   - C++ (process_guard.cc): the fork check made whenever a destination's
//     Python code returns into libpydest (DestinationCall), and the status
//     os._exit ends the process with.
//   - Python (python_guards.cc): wrappers of signal.signal & co. and of
//     os._exit, and faulthandler, put in place when the interpreter starts.
//
// The fork check costs one relaxed load per call: a pthread_atfork child
// handler sets a flag in the child, so no getpid() per message. vfork and
// posix_spawn (what subprocess uses) run no atfork handler, and their child
// execs without ever returning into libpydest.
//
// Thread-safety: everything may be used from any thread; InstallPythonGuards
// needs the GIL.
#ifndef LIBPYDEST_PYRT_PROCESS_GUARD_H_
#define LIBPYDEST_PYRT_PROCESS_GUARD_H_

#include <atomic>

#include "absl/status/status.h"
#include "libpydest/pyrt/gil.h"

namespace pydest::internal {

// Set in the child of a fork() made after the interpreter started.
extern std::atomic<bool> g_in_forked_child;

// True in a process fork() made out of the one that runs the hosts.
inline bool InForkedChild() {
  return g_in_forked_child.load(std::memory_order_relaxed);
}

// Ends a forked child at once, with kForkedChildExitStatus and one line on
// stderr (write(2) only) that names the method `where` returned from ("send",
// ...; nullptr: a log record reached the host). Touches no lock,
// queue or outcome and flushes no stdio buffer (the parent's copies).
[[noreturn]] void ExitForkedChild(const char* where);

// Registers the atfork handler (once; later calls do nothing).
void WatchForForks();

// Marks a call into a destination's Python code on this thread: names the
// method for os._exit's report and, when the call returns in a forked child,
// ends that child before any host code runs. Nests.
class DestinationCall {
 public:
  explicit DestinationCall(const char* function);
  ~DestinationCall();
  DestinationCall(const DestinationCall&) = delete;
  DestinationCall& operator=(const DestinationCall&) = delete;

 private:
  const char* function_;
  const char* previous_;
};

// The method of the innermost DestinationCall on this thread, or nullptr.
const char* CurrentDestinationMethod();

// What os._exit(requested) from a destination ends the process with
// (SetDestinationExitStatus).
int DestinationExitStatus(int requested);

// Puts the wrappers of signal.signal, signal.siginterrupt,
// signal.pthread_sigmask and os._exit in place and, unless `adopted`,
// enables faulthandler on stderr. In an interpreter libpydest started every
// call is diverted (all its Python code is destinations' code); in one it
// adopted, only calls made inside a destination call are, so the host's own
// Python keeps the real functions — and faulthandler stays the host's choice.
absl::Status InstallPythonGuards(RequiresGil gil, bool adopted);

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYRT_PROCESS_GUARD_H_
