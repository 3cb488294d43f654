// DeadLetterSink: where the outcome tracker hands every dropped message
// (DestinationOptions::dead_letter, docs/dead-letters.md). Two kinds: a
// JSON-lines file (DeadLetterFile, this layer) and a second Python
// destination (the host layer's PythonDeadLetters).
//
// Thread-safety: Keep may be called from every thread that settles a drop
// (workers, the prepare thread, producers, Shutdown), several at once; it
// runs before the drop counts as settled, so PyDestinationHost::Flush
// returns only after the dead letters of what it waited for were taken.
#ifndef LIBPYDEST_DELIVERY_DEAD_LETTER_SINK_H_
#define LIBPYDEST_DELIVERY_DEAD_LETTER_SINK_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libpydest/delivery/driver.h"
#include "pydest/outcome.h"

namespace pydest::internal {

class DeadLetterSink {
 public:
  virtual ~DeadLetterSink() = default;

  // Takes messages[0..n), dropped at `when` with `outcome`. Returns how many
  // it took; the others are lost, and the caller counts them
  // (dead_letter_failed). Must not block for long: it runs on the threads
  // that deliver.
  virtual size_t Keep(const QueuedMessage* messages, size_t n,
                      Outcome outcome, absl::Time when) = 0;
  // What was taken so far is on disk, or delivered by the second
  // destination, by `deadline`.
  virtual absl::Status Flush(absl::Time deadline) = 0;
  // Flushes and releases the sink; Keep takes nothing afterwards (every
  // later drop counts as failed). Called once, after the destination's own
  // Shutdown.
  virtual absl::Status Shutdown(absl::Time deadline) = 0;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_DEAD_LETTER_SINK_H_
