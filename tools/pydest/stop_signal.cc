#include "tools/pydest/stop_signal.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <thread>

namespace pydest::cli {
namespace {

// Lock-free atomics: read and written from a signal handler too.
std::atomic<int> g_stop_signal{0};
std::atomic<int> g_signal_count{0};
int g_wake_pipe[2] = {-1, -1};

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// Async-signal-safe: atomics, write(2), sigaction, pthread_sigmask, raise.
void OnStopSignal(int signo) {
  const int count = g_signal_count.fetch_add(1) + 1;
  if (count == 1) {
    g_stop_signal.store(signo);
    const char byte = 1;
    [[maybe_unused]] ssize_t n = ::write(g_wake_pipe[1], &byte, 1);
  } else if (count >= 3) {
    struct sigaction dfl;
    std::memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(signo, &dfl, nullptr);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    raise(signo);
  }
}

void WaitForStopSignals() {
  const sigset_t set = StopSignals();
  for (;;) {
    int signo = 0;
    if (sigwait(&set, &signo) == 0) OnStopSignal(signo);
  }
}

}  // namespace

void StartStopSignalThread() {
  const sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  if (pipe2(g_wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    g_wake_pipe[0] = g_wake_pipe[1] = -1;
  }
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // Detached: it lives as long as the process; exit() does not wait for it.
  std::thread(WaitForStopSignals).detach();
}

bool StopRequested() { return g_stop_signal.load() != 0; }

int StopSignal() { return g_stop_signal.load(); }

void TakePendingStopSignal() {
  for (int i = 0; i < 1000 && !StopRequested(); ++i) {
    sigset_t pending;
    if (sigpending(&pending) != 0) return;
    if (sigismember(&pending, SIGINT) != 1 &&
        sigismember(&pending, SIGTERM) != 1) {
      return;
    }
    usleep(1000);
  }
}

int StopWakeFd() { return g_wake_pipe[0]; }

}  // namespace pydest::cli
