// LaunchWorker: starts one pydest-worker process for isolation(process),
// connected to its host by a stream socket (its fd 3), a SharedProgress
// page (fd 4), a lifeline pipe (fd 5: closed when the host goes) and a
// pipe for its stderr, whose lines become log records
// (a thread per worker reads them until the pipe closes).
//
// What the child does not get from its host: file descriptors (all but
// 0, 1 and those four are closed), signal handlers and the signal mask
// (all default, nothing blocked), and the process group (its own, so a
// terminal's Ctrl-C reaches the host, which then stops its workers in
// order). It gets the environment, plus PYDEST_PYTHONPATH naming the
// host's `syslogng` package and MALLOC_ARENA_MAX=2 (per-thread malloc
// arenas would take memory-limit()'s address space) unless they are set.
//
// Thread-safety: any thread may launch; each LaunchedWorker is used by one.
#ifndef LIBPYDEST_PROCESS_WORKER_LAUNCHER_H_
#define LIBPYDEST_PROCESS_WORKER_LAUNCHER_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libpydest/process/frame_channel.h"
#include "libpydest/process/shared_progress.h"
#include "pydest/log_record.h"

namespace pydest::internal {

// The worker executable for `configured` (DestinationOptions::
// worker_executable): itself when set, else $PYDEST_WORKER, else the one
// installed beside the library or named by an uninstalled build. NotFound
// names every place looked at.
absl::StatusOr<std::string> FindWorkerExecutable(const std::string& configured);

class LaunchedWorker {
 public:
  ~LaunchedWorker();  // unmaps the page; the process must have been reaped
  pid_t pid() const { return pid_; }
  FrameChannel& channel() { return *channel_; }
  SharedProgress& progress() { return *progress_; }

 private:
  friend absl::StatusOr<std::unique_ptr<LaunchedWorker>> LaunchWorker(
      const std::string&, const std::function<void(const LogRecord&)>&,
      const std::vector<std::pair<std::string, std::string>>&);
  LaunchedWorker() = default;

  pid_t pid_ = -1;
  std::unique_ptr<FrameChannel> channel_;
  SharedProgress* progress_ = nullptr;
  int lifeline_ = -1;  // the write end the host holds and never writes
};

// Starts `executable`. Its stderr lines go to `log` as warnings tagged
// with `tags` and the pid.
absl::StatusOr<std::unique_ptr<LaunchedWorker>> LaunchWorker(
    const std::string& executable,
    const std::function<void(const LogRecord&)>& log,
    const std::vector<std::pair<std::string, std::string>>& tags);

// "exit status 3", "killed by signal 9 (SIGKILL)", ... for waitpid's status.
std::string DescribeExit(int wait_status);

}  // namespace pydest::internal

#endif  // LIBPYDEST_PROCESS_WORKER_LAUNCHER_H_
