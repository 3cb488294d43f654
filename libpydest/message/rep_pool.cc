// The pool of unused message representations; see rep_pool.h.
#include "libpydest/message/rep_pool.h"

#include <atomic>

namespace pydest::internal {
namespace {

// A string buffer larger than this is not kept with a recycled rep: one
// long line must not make every pooled rep that large.
constexpr size_t kMaxKeptCapacity = 1024;

// A building thread subtracts what it took from g_pooled this often.
constexpr size_t kSettleEvery = 64;

// Reps given back by any thread, newest first. Pushed one at a time
// (compare-and-swap), taken all at once (exchange): a push does not care
// what happened to the head since it read it, so there is no ABA problem.
std::atomic<MessageRep*> g_returned{nullptr};
// Reps in g_returned and in the thread caches together.
std::atomic<size_t> g_pooled{0};

// A building thread's own reps, taken from g_returned in one go.
struct ThreadCache {
  MessageRep* head = nullptr;
  // Taken from `head` and not yet subtracted from g_pooled.
  size_t taken = 0;

  ~ThreadCache() {
    size_t freed = 0;
    while (head != nullptr) {
      MessageRep* next = head->next_free;
      delete head;
      head = next;
      ++freed;
    }
    g_pooled.fetch_sub(freed + taken, std::memory_order_relaxed);
  }
};

ThreadCache& Cache() {
  thread_local ThreadCache cache;
  return cache;
}

void TrimString(std::string& s) {
  if (s.capacity() > kMaxKeptCapacity) {
    std::string().swap(s);
  } else {
    s.clear();
  }
}

}  // namespace

void MessageRep::Reset() {
  stamp = Timestamp();
  received = Timestamp();
  facility = kFacilityUser;
  severity = kSeverityNotice;
  flags = 0;
  for (std::string& b : builtin) TrimString(b);
  builtin_set = 0;
  pairs.clear();
  pair_index.Clear();
  sd.clear();
  tags.clear();
  TrimString(source_ip);
  TrimString(dest_ip);
  dest_port = 0;
  proto = 0;
  refs.store(1, std::memory_order_relaxed);
  next_free = nullptr;
}

MessageRep* AcquireRep() {
  ThreadCache& cache = Cache();
  if (cache.head == nullptr) {
    cache.head = g_returned.exchange(nullptr, std::memory_order_acquire);
    size_t pooled =
        g_pooled.fetch_sub(cache.taken, std::memory_order_relaxed) -
        cache.taken;
    cache.taken = 0;
    // Past the limit after a burst: free the surplus here, on the thread
    // that allocated it (a free into another thread's heap contends for
    // its lock), rather than on the worker that gave it back.
    size_t freed = 0;
    while (pooled - freed > kMaxPooledReps && cache.head != nullptr) {
      MessageRep* next = cache.head->next_free;
      delete cache.head;
      cache.head = next;
      ++freed;
    }
    if (freed > 0) g_pooled.fetch_sub(freed, std::memory_order_relaxed);
    if (cache.head == nullptr) return new MessageRep();
  }
  MessageRep* rep = cache.head;
  cache.head = rep->next_free;
  // Settled in small steps, not per rep (one shared write per message)
  // nor per refill (a long list would keep the count high while in use,
  // and returned reps would be freed for nothing).
  if (++cache.taken == kSettleEvery) {
    g_pooled.fetch_sub(cache.taken, std::memory_order_relaxed);
    cache.taken = 0;
  }
  rep->Reset();
  return rep;
}

void ReturnRep(MessageRep* rep) {
  g_pooled.fetch_add(1, std::memory_order_relaxed);
  MessageRep* head = g_returned.load(std::memory_order_relaxed);
  do {
    rep->next_free = head;
  } while (!g_returned.compare_exchange_weak(head, rep,
                                             std::memory_order_release,
                                             std::memory_order_relaxed));
}

size_t PooledRepCount() {
  return g_pooled.load(std::memory_order_relaxed) - Cache().taken;
}

}  // namespace pydest::internal
