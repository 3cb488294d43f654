#include "tools/pydest/stop_signal.h"

#include <pthread.h>
#include <signal.h>

#include <csignal>
#include <cstring>

namespace pydest::cli {
namespace {

// lock-free std::atomic would do as well; sig_atomic_t is what the C and
// POSIX standards promise is safe to write from a handler.
volatile std::sig_atomic_t g_stop_signal = 0;
volatile std::sig_atomic_t g_signal_count = 0;

void OnStopSignal(int signo) {
  g_stop_signal = signo;
  g_signal_count = g_signal_count + 1;
  if (g_signal_count >= 2) {
    // From now on the next signal terminates the process (sigaction is
    // async-signal-safe).
    struct sigaction dfl;
    std::memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGINT, &dfl, nullptr);
    sigaction(SIGTERM, &dfl, nullptr);
  }
}

}  // namespace

void InstallStopHandlers() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocked read() returns EINTR
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

namespace {
void SetStopSignalsMask(int how) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(how, &set, nullptr);
}
}  // namespace

void BlockStopSignals() { SetStopSignalsMask(SIG_BLOCK); }

void UnblockStopSignals() { SetStopSignalsMask(SIG_UNBLOCK); }

bool StopRequested() { return g_stop_signal != 0; }

int StopSignal() { return g_stop_signal; }

}  // namespace pydest::cli
