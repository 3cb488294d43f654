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
// SIGHUP: a reload asked for and not taken yet. Any number of them before
// TakeReloadRequest are one request.
std::atomic<bool> g_reload_requested{false};
int g_reload_pipe[2] = {-1, -1};

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

// Async-signal-safe too. One byte in the pipe per request taken: the flag
// coalesces, so the pipe never fills.
void OnReloadSignal(int) {
  if (!g_reload_requested.exchange(true)) {
    const char byte = 1;
    [[maybe_unused]] ssize_t n = ::write(g_reload_pipe[1], &byte, 1);
  }
}

// Async-signal-safe: atomics, write(2), sigaction, pthread_sigmask, raise.
void OnStopSignal(int signo) {
  if (signo == SIGHUP) {
    OnReloadSignal(signo);
    return;
  }
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
  if (pipe2(g_reload_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    g_reload_pipe[0] = g_reload_pipe[1] = -1;
  }
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
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

bool TakeReloadRequest() {
  // Drained first: a SIGHUP after the exchange writes a byte that stays.
  char bytes[16];
  while (g_reload_pipe[0] >= 0 &&
         ::read(g_reload_pipe[0], bytes, sizeof bytes) > 0) {
  }
  return g_reload_requested.exchange(false);
}

int ReloadWakeFd() { return g_reload_pipe[0]; }

}  // namespace pydest::cli
