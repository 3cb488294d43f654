#include "libpydest/process/worker_launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bindings/module/runtime_paths.h"
#include "libpydest/process/log_line.h"
#include "libpydest/process/worker_child.h"

extern char** environ;

namespace pydest::internal {
namespace {

bool IsExecutable(const std::string& path) {
  return !path.empty() && access(path.c_str(), X_OK) == 0;
}

// A copy of `fd` numbered 10 or more, close-on-exec: never one of the
// numbers the child's fds are moved to.
int HighFd(int fd) {
  const int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  close(fd);
  return high;
}

// Sends the child's stderr, line by line, to the log sink: its own log
// records as they were, other lines as "Worker process output".
void ForwardStderr(int fd, std::function<void(const LogRecord&)> log,
                   std::vector<std::pair<std::string, std::string>> tags) {
  std::thread([fd, log = std::move(log), tags = std::move(tags)] {
    std::string pending;
    char buf[4096];
    auto emit = [&](std::string line) {
      if (!log) return;
      // A record of a thread of the destination's own (log_line.h).
      if (std::optional<LogRecord> own = LogRecordOfLine(line)) {
        log(*own);
        return;
      }
      LogRecord record;
      record.level = LogRecord::Level::kWarning;
      record.text = "Worker process output";
      record.tags = tags;
      record.tags.emplace_back("line", std::move(line));
      log(record);
    };
    for (;;) {
      const ssize_t n = read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      pending.append(buf, static_cast<size_t>(n));
      size_t start = 0;
      for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos;
           start = nl + 1) {
        emit(pending.substr(start, nl - start));
      }
      pending.erase(0, start);
      if (pending.size() > 65536) {  // a very long line: in pieces
        emit(std::move(pending));
        pending.clear();
      }
    }
    if (!pending.empty()) emit(std::move(pending));
    close(fd);
  }).detach();
}

std::vector<std::string> ChildEnvironment() {
  std::vector<std::string> env;
  bool has_pythonpath = false, has_arenas = false;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    has_pythonpath |= entry.rfind("PYDEST_PYTHONPATH=", 0) == 0;
    has_arenas |= entry.rfind("MALLOC_ARENA_MAX=", 0) == 0;
    env.push_back(std::move(entry));
  }
  const std::string& pythondir = GetRuntimePaths().pythondir;
  if (!has_pythonpath && !pythondir.empty()) {
    env.push_back("PYDEST_PYTHONPATH=" + pythondir);
  }
  if (!has_arenas) env.push_back("MALLOC_ARENA_MAX=2");
  return env;
}

}  // namespace

absl::StatusOr<std::string> FindWorkerExecutable(
    const std::string& configured) {
  std::vector<std::string> tried;
  if (!configured.empty()) {
    if (IsExecutable(configured)) return configured;
    return absl::NotFoundError(absl::StrCat(
        "isolation(process): the worker executable '", configured,
        "' (worker-executable()) is not an executable file"));
  }
  if (const char* env = std::getenv("PYDEST_WORKER");
      env != nullptr && *env != '\0') {
    if (IsExecutable(env)) return std::string(env);
    tried.push_back(absl::StrCat("$PYDEST_WORKER=", env));
  }
  const std::string& found = GetRuntimePaths().worker;
  if (IsExecutable(found)) return found;
  if (!found.empty()) tried.push_back(found);
  return absl::NotFoundError(absl::StrCat(
      "isolation(process): no pydest-worker executable found (looked at: ",
      tried.empty() ? "nothing: no install or build tree found"
                    : absl::StrJoin(tried, ", "),
      "); set worker-executable() or $PYDEST_WORKER"));
}

LaunchedWorker::~LaunchedWorker() {
  if (lifeline_ >= 0) close(lifeline_);
  if (progress_ != nullptr) munmap(progress_, sizeof(SharedProgress));
}

absl::StatusOr<std::unique_ptr<LaunchedWorker>> LaunchWorker(
    const std::string& executable,
    const std::function<void(const LogRecord&)>& log,
    const std::vector<std::pair<std::string, std::string>>& tags) {
  auto fail = [](const char* what) {
    return absl::InternalError(
        absl::StrCat("isolation(process): ", what, ": ", strerror(errno)));
  };
  int sockets[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
    return fail("socketpair");
  }
  const int host_end = sockets[0];
  const int child_end = HighFd(sockets[1]);
  int page_fd = memfd_create("pydest-worker-progress", MFD_CLOEXEC);
  int err_pipe[2] = {-1, -1};
  void* page = MAP_FAILED;
  if (page_fd >= 0 &&
      ftruncate(page_fd, static_cast<off_t>(sizeof(SharedProgress))) == 0) {
    page = mmap(nullptr, sizeof(SharedProgress), PROT_READ | PROT_WRITE,
                MAP_SHARED, page_fd, 0);
  }
  if (page == MAP_FAILED || pipe2(err_pipe, O_CLOEXEC) != 0) {
    absl::Status status = fail("shared page or pipe");
    close(host_end);
    close(child_end);
    if (page_fd >= 0) close(page_fd);
    if (page != MAP_FAILED) munmap(page, sizeof(SharedProgress));
    return status;
  }
  int lifeline[2] = {-1, -1};
  if (pipe2(lifeline, O_CLOEXEC) != 0) {
    absl::Status status = fail("lifeline pipe");
    close(host_end);
    close(child_end);
    close(page_fd);
    close(err_pipe[0]);
    close(err_pipe[1]);
    munmap(page, sizeof(SharedProgress));
    return status;
  }
  page_fd = HighFd(page_fd);
  const int err_write = HighFd(err_pipe[1]);
  const int lifeline_read = HighFd(lifeline[0]);
  new (page) SharedProgress();

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, child_end, kWorkerChannelFd);
  posix_spawn_file_actions_adddup2(&actions, page_fd, kWorkerProgressFd);
  posix_spawn_file_actions_adddup2(&actions, err_write, STDERR_FILENO);
  posix_spawn_file_actions_adddup2(&actions, lifeline_read, kWorkerLifelineFd);
  posix_spawn_file_actions_addclosefrom_np(&actions, kWorkerLifelineFd + 1);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF |
                                      POSIX_SPAWN_SETPGROUP);
  std::vector<std::string> env = ChildEnvironment();
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string arg0 = executable;
  char* argv[] = {arg0.data(), nullptr};
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, executable.c_str(), &actions, &attr,
                                  argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(child_end);
  close(page_fd);
  close(err_write);
  close(lifeline_read);
  if (spawned != 0) {
    close(lifeline[1]);
    close(host_end);
    close(err_pipe[0]);
    munmap(page, sizeof(SharedProgress));
    return absl::FailedPreconditionError(
        absl::StrCat("isolation(process): cannot start the worker '",
                     executable, "': ", strerror(spawned)));
  }
  std::vector<std::pair<std::string, std::string>> err_tags = tags;
  err_tags.emplace_back("pid", absl::StrCat(pid));
  ForwardStderr(err_pipe[0], log, std::move(err_tags));
  std::unique_ptr<LaunchedWorker> worker(new LaunchedWorker());
  worker->pid_ = pid;
  worker->channel_ = std::make_unique<FrameChannel>(host_end);
  worker->progress_ = static_cast<SharedProgress*>(page);
  worker->lifeline_ = lifeline[1];
  return worker;
}

std::string DescribeExit(int status) {
  if (WIFEXITED(status)) return absl::StrCat("exit status ", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* abbrev = sigabbrev_np(sig);
    return absl::StrCat("killed by signal ", sig,
                        abbrev != nullptr ? absl::StrCat(" (SIG", abbrev, ")")
                                          : std::string());
  }
  return absl::StrCat("wait status ", status);
}

}  // namespace pydest::internal
