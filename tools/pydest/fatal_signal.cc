#include "tools/pydest/fatal_signal.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>

#include "tools/pydest/exit_status.h"

namespace pydest::cli {
namespace {

FatalSignalCounts g_counts;

constexpr int kFatalSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

const char* Name(int signo) {
  switch (signo) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
  }
  return "a fatal signal";
}

// Appends text to buf (async-signal-safe; no libc formatting).
void Append(char* buf, size_t size, size_t* len, const char* text) {
  while (*text != '\0' && *len + 1 < size) buf[(*len)++] = *text++;
}

void AppendNumber(char* buf, size_t size, size_t* len, uint64_t n) {
  char digits[24];
  size_t d = 0;
  do {
    digits[d++] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n != 0);
  while (d > 0 && *len + 1 < size) buf[(*len)++] = digits[--d];
}

void OnFatalSignal(int signo) {
  const uint64_t read = g_counts.read.load(std::memory_order_relaxed);
  const uint64_t expected = g_counts.expected.load(std::memory_order_relaxed);
  const uint64_t settled = g_counts.settled.load(std::memory_order_relaxed);
  char line[256];
  size_t len = 0;
  Append(line, sizeof line, &len, "pydest: killed by ");
  Append(line, sizeof line, &len, Name(signo));
  Append(line, sizeof line, &len, " (a crash in a destination's native code "
                                  "or in pydest): ");
  AppendNumber(line, sizeof line, &len, read);
  Append(line, sizeof line, &len, " messages read, ");
  AppendNumber(line, sizeof line, &len,
               expected > settled ? expected - settled : 0);
  // Deliveries are reported once per batch: some of them may have been
  // delivered in the batch that was running.
  Append(line, sizeof line, &len,
         " without an outcome (lost, or delivered in the running batch)\n");
  [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line, len);
  ::_exit(kExitFatalSignal);
}

}  // namespace

FatalSignalCounts& FatalCounts() { return g_counts; }

void InstallFatalSignalReport() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = OnFatalSignal;
  sigemptyset(&sa.sa_mask);
  // On the alternate stack when the thread has one (faulthandler's), so a
  // stack overflow still gets its line.
  sa.sa_flags = SA_ONSTACK | SA_NODEFER;
  for (int signo : kFatalSignals) sigaction(signo, &sa, nullptr);
}

}  // namespace pydest::cli
