#include "libpydest/pyrt/log_hook.h"

#include <atomic>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/base/const_init.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "libpydest/pyrt/process_guard.h"
#include "pydest/log_hook.h"

namespace pydest {
namespace {

// Constant-initialised and never destroyed: threads (an abandoned worker, a
// destination's own Python thread) may log while the process exits.
ABSL_CONST_INIT absl::Mutex g_hook_mu(absl::kConstInit);
LogHook* g_hook ABSL_GUARDED_BY(g_hook_mu) = nullptr;
// Whether g_hook is set, read without the lock: most processes never set
// one, and their records should not pay for the lock.
std::atomic<bool> g_hook_set{false};
// Inside the hook on this thread: a record it causes goes to stderr rather
// than back into it (and the reader lock is not taken twice).
thread_local bool t_in_hook = false;

}  // namespace

void SetLogHook(LogHook hook) {
  LogHook* next = hook ? new LogHook(std::move(hook)) : nullptr;
  LogHook* previous;
  {
    // The writer lock waits for the calls in progress (they hold it shared).
    absl::WriterMutexLock lock(&g_hook_mu);
    previous = g_hook;
    g_hook = next;
    g_hook_set.store(next != nullptr, std::memory_order_release);
  }
  delete previous;
}

namespace internal {

bool CallLogHook(const LogRecord& record) {
  if (!g_hook_set.load(std::memory_order_acquire) || t_in_hook ||
      InForkedChild()) {
    return false;
  }
  absl::ReaderMutexLock lock(&g_hook_mu);
  if (g_hook == nullptr) return false;
  t_in_hook = true;
  bool taken = true;
  try {
    (*g_hook)(record);
  } catch (...) {
    // No exception crosses the library; the record is not lost either.
    taken = false;
  }
  t_in_hook = false;
  return taken;
}

}  // namespace internal
}  // namespace pydest
