// SIGINT and SIGTERM as a request to stop reading input. The handler only
// sets a flag (async-signal-safe); the reading loop polls it, and blocking
// reads return EINTR because the handler is installed without SA_RESTART.
//
// Thread-safety: StopRequested() may be called from any thread.
#ifndef PYDEST_TOOLS_PYDEST_STOP_SIGNAL_H_
#define PYDEST_TOOLS_PYDEST_STOP_SIGNAL_H_

namespace pydest::cli {

// Installs the handlers for SIGINT and SIGTERM. A second signal of either
// kind restores the default action, so a third one kills a process whose
// drain is stuck (the usual "press Ctrl-C again" escape).
void InstallStopHandlers();

// Blocks SIGINT and SIGTERM in the calling thread, so that threads started
// afterwards (destination workers, the progress line) inherit the mask and
// the signal always reaches the thread that reads input; call
// UnblockStopSignals() on that thread once the others are running.
void BlockStopSignals();
void UnblockStopSignals();

// True once SIGINT or SIGTERM arrived.
bool StopRequested();

// The signal that asked to stop (0 if none).
int StopSignal();

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_STOP_SIGNAL_H_
