// SIGINT and SIGTERM as a request to stop reading input, SIGHUP as a
// request to reload the configuration — whatever the destinations' Python
// code does with signals.
//
// The signals are blocked in every thread (main() blocks them before any
// thread starts; threads inherit the mask) and taken by a thread of pydest's
// own with sigwait(), so no handler or mask a destination sets can keep them
// from pydest (libpydest also refuses destinations' signal.signal calls, but
// a C extension could still change a disposition). Should a thread unblock
// them anyway, a handler does the same as the waiting thread. The reading
// thread is woken through a pipe (StopWakeFd) that its poll() watches, not by
// interrupting its read(): nothing a destination does to signal masks can
// keep it asleep.
//
// The first signal asks to stop; a second changes nothing; a third ends the
// process with the signal's default action (the usual "press Ctrl-C again"
// escape from a drain that hangs in Python).
//
// SIGHUP never stops pydest: it sets a reload request, which the reloading
// thread takes (TakeReloadRequest) when it starts a reload; SIGHUPs that
// come before it does, or while a reload runs, are one more request.
//
// Thread-safety: every function but StartStopSignalThread from any thread.
#ifndef PYDEST_TOOLS_PYDEST_STOP_SIGNAL_H_
#define PYDEST_TOOLS_PYDEST_STOP_SIGNAL_H_

namespace pydest::cli {

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread and starts the
// thread that waits for them. Call once, first thing in main(), before any other thread
// exists.
void StartStopSignalThread();

// True once SIGINT or SIGTERM arrived.
bool StopRequested();

// The signal that asked to stop (0 if none).
int StopSignal();

// When a stop signal was sent but the waiting thread has not taken it yet
// (the reading thread may see the end of its input first), waits until it
// has, at most a second: a signal sent before the input ended still counts.
void TakePendingStopSignal();

// Readable once a stop was requested (never drained); -1 before
// StartStopSignalThread.
int StopWakeFd();

// True when a SIGHUP came since the last call (however many came); clears
// the request.
bool TakeReloadRequest();

// Readable while a reload request is pending (drained by
// TakeReloadRequest); -1 before StartStopSignalThread.
int ReloadWakeFd();

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_STOP_SIGNAL_H_
