// Counts every operator new of the test binary that includes this header
// (include it from exactly one file per binary): the tests that check a hot
// path allocates nothing read AllocationCount() before and after it.
#ifndef TESTS_COMMON_ALLOCATION_COUNTER_H_
#define TESTS_COMMON_ALLOCATION_COUNTER_H_

#include <atomic>
#include <cstdlib>
#include <new>

namespace pydest::testing {

inline std::atomic<long>& AllocationCounter() {
  static std::atomic<long> count{0};
  return count;
}

inline long AllocationCount() { return AllocationCounter().load(); }

}  // namespace pydest::testing

void* operator new(std::size_t n) {
  pydest::testing::AllocationCounter().fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

#endif  // TESTS_COMMON_ALLOCATION_COUNTER_H_
