// Isolation: where a Python destination's code runs — isolation() inside
// python(), DestinationOptions::isolation.
//
// Thread-safety: a plain value.
#ifndef PYDEST_ISOLATION_H_
#define PYDEST_ISOLATION_H_

#include <cstdint>

namespace pydest {

enum class Isolation : uint8_t {
  // isolation(thread), the default: each of workers(N) is a thread of the
  // host process, and all of them share its interpreter (and its GIL). The
  // fastest; a crash in Python (os._exit, a segfault in a C extension)
  // ends the host.
  kThread,
  // isolation(process): each of workers(N) is a worker process of its own
  // (the pydest-worker executable) with its own interpreter. A crash, exit
  // or hang there costs only that worker: the message in flight is tried
  // again on a new one (DestinationOptions::retries counts the tries; a
  // message that kills every one is Outcome::kDroppedPoison), and workers
  // run Python on separate cores. Object identity and module state are per
  // process (docs/compatibility.md, "isolation(process)").
  kProcess,
};

}  // namespace pydest

#endif  // PYDEST_ISOLATION_H_
