// RunWorkerChild: the body of a pydest-worker process (isolation(process)).
// It reads its WorkerSetup from the channel on fd 3, loads the class with
// the same code as in-process (PythonDestination, one instance), and then
// answers the host's requests (worker_protocol.h) until kDeinit or until the
// host goes away: calls into the class run on a thread of their own, as a
// host's worker thread would, while init() and deinit() run on the main
// thread. Steps of a run are published in the SharedProgress on fd 4.
//
// It ends the process itself when the host's end of its lifeline closes
// (the host died or gave up on it), even in the middle of a call.
#ifndef LIBPYDEST_PROCESS_WORKER_CHILD_H_
#define LIBPYDEST_PROCESS_WORKER_CHILD_H_

namespace pydest::internal {

inline constexpr int kWorkerChannelFd = 3;
inline constexpr int kWorkerProgressFd = 4;
// The read end of a pipe the host never writes to: it reads as closed once
// the host is gone (not the channel, whose every frame would wake the
// watcher).
inline constexpr int kWorkerLifelineFd = 5;

// Returns the process's exit status.
int RunWorkerChild();

}  // namespace pydest::internal

#endif  // LIBPYDEST_PROCESS_WORKER_CHILD_H_
