// What one generation of a destination hands on to the next at a reload
// (SIGHUP): the messages the reload's shutdown of its host reports
// kDroppedShutdown — those it could not deliver by the --deadline — to be
// handed to the new host first, in the order they were handed over, so
// that a reload loses nothing a restart would not.
//
// pydest gives every message it hands to the host a context from
// NextContexts (increasing), and the host's on_outcome_report calls Offer;
// Offer keeps a message only once Collect was called, so the final
// shutdown's drops stay drops.
//
// Thread-safety: every method from any thread (Offer from the host's
// threads, several at once).
#ifndef PYDEST_TOOLS_PYDEST_CARRY_OVER_H_
#define PYDEST_TOOLS_PYDEST_CARRY_OVER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "pydest/message.h"
#include "pydest/outcome_report.h"

namespace pydest::cli {

class CarryOver {
 public:
  // The first of `n` consecutive contexts for messages about to be handed
  // over (those not accepted leave gaps; only the order matters).
  uint64_t NextContexts(size_t n) { return next_.fetch_add(n); }

  // From now on, messages reported kDroppedShutdown are kept.
  void Collect() { collecting_.store(true); }

  // The host's outcome callback: keeps `message` if it is to be carried.
  void Offer(const Message& message, const OutcomeReport& report);

  // The kept messages, in the order they were handed over; empties the
  // store.
  std::vector<Message> Take();

 private:
  std::atomic<uint64_t> next_{1};
  std::atomic<bool> collecting_{false};
  absl::Mutex mu_;
  std::vector<std::pair<uint64_t, Message>> kept_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_CARRY_OVER_H_
