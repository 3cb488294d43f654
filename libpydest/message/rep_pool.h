// The pool of unused message representations.
//
// A log pipeline builds messages on one thread (the reader) and drops them
// on another (the worker, once the outcome is known). With plain new/delete
// every message costs the builder a malloc of the rep and of its longer
// strings, and the worker the matching frees into another thread's heap:
// allocator lock traffic and, as glibc trims the heap, page faults and TLB
// shoot-downs that interrupt every core. Recycled reps keep their string
// buffers, so a steady stream of messages allocates nothing.
//
// Any thread gives reps back (ReturnRep: a lock-free push onto one shared
// list); a building thread takes the whole list at once when its own cache
// is empty, then uses it up without touching shared memory. That thread
// also frees the unused reps past kMaxPooledReps (about 5 MiB of typical
// syslog messages), so a burst of queued messages does not pin its memory
// for good; until a thread builds again, the unused reps of a burst (at
// most what was in flight at once) stay in the pool.
//
// Thread-safety: both functions may be called from any thread.
#ifndef LIBPYDEST_MESSAGE_REP_POOL_H_
#define LIBPYDEST_MESSAGE_REP_POOL_H_

#include <cstddef>

#include "libpydest/message/message_rep.h"

namespace pydest::internal {

inline constexpr size_t kMaxPooledReps = 8192;

// A rep in a new message's state with one reference (the caller's).
MessageRep* AcquireRep();
// Takes a rep whose last reference went.
void ReturnRep(MessageRep* rep);

// Unused reps kept right now (shared list and every thread's cache), for
// tests.
size_t PooledRepCount();

}  // namespace pydest::internal

#endif  // LIBPYDEST_MESSAGE_REP_POOL_H_
