#include "libpydest/pyrt/process_guard.h"

#include <pthread.h>
#include <unistd.h>

#include <cstring>
#include <mutex>

#include "pydest/process.h"

namespace pydest {
namespace {
std::atomic<int> g_destination_exit_status{kKeepDestinationExitStatus};
}  // namespace

void SetDestinationExitStatus(int status) {
  g_destination_exit_status.store(status, std::memory_order_relaxed);
}

namespace internal {
namespace {

thread_local const char* current_method = nullptr;

void OnForkChild() {
  g_in_forked_child.store(true, std::memory_order_relaxed);
}

void WriteAll(const char* text) {
  size_t left = std::strlen(text);
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, text, left);
    if (n <= 0) return;
    text += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

std::atomic<bool> g_in_forked_child{false};

void ExitForkedChild(const char* where) {
  // Only write(2): the parent's locks and stdio buffers are not ours.
  WriteAll("pydest: a process forked by a destination reached host code (");
  if (where != nullptr) {
    WriteAll("return from ");
    WriteAll(where);
    WriteAll("()");
  } else {
    WriteAll("a log record");
  }
  WriteAll("); it exits with status 70 instead of running it\n");
  static_assert(kForkedChildExitStatus == 70, "the line above says 70");
  ::_exit(kForkedChildExitStatus);
}

void WatchForForks() {
  static std::once_flag once;
  std::call_once(once, [] { pthread_atfork(nullptr, nullptr, &OnForkChild); });
}

DestinationCall::DestinationCall(const char* function)
    : function_(function), previous_(current_method) {
  current_method = function;
}

DestinationCall::~DestinationCall() {
  if (InForkedChild()) ExitForkedChild(function_);
  current_method = previous_;
}

const char* CurrentDestinationMethod() { return current_method; }

int DestinationExitStatus(int requested) {
  const int chosen = g_destination_exit_status.load(std::memory_order_relaxed);
  return chosen == kKeepDestinationExitStatus ? requested : chosen;
}

}  // namespace internal
}  // namespace pydest
