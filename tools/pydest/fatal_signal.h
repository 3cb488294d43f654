// The last words of a pydest that a fatal signal (SIGSEGV, SIGBUS, SIGFPE,
// SIGILL, SIGABRT) ends — typically a C extension crashing inside a
// destination. libpydest's faulthandler prints the Python traceback first and
// then passes the signal on to the handler installed here, which writes one
// line with the counts (how many messages were read, how many have no outcome
// and are lost) and exits with kExitFatalSignal.
//
// The handler is async-signal-safe: it reads lock-free atomics and calls
// only write(2) and _exit(2).
//
// Thread-safety: every function may be called from any thread.
#ifndef PYDEST_TOOLS_PYDEST_FATAL_SIGNAL_H_
#define PYDEST_TOOLS_PYDEST_FATAL_SIGNAL_H_

#include <atomic>
#include <cstdint>

namespace pydest::cli {

// What the line reports. `read` counts lines read; `expected` grows by one
// for each message a destination accepted (one outcome owed), `settled` by
// one for each outcome.
struct FatalSignalCounts {
  std::atomic<uint64_t> read{0};
  std::atomic<uint64_t> expected{0};
  std::atomic<uint64_t> settled{0};
};

// The counters the handler reads; process-wide.
FatalSignalCounts& FatalCounts();

// Installs the handlers. Call before the Python interpreter starts, so that
// faulthandler finds them and chains to them.
void InstallFatalSignalReport();

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_FATAL_SIGNAL_H_
