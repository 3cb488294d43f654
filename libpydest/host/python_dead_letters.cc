#include "libpydest/host/python_dead_letters.h"

namespace pydest::internal {

size_t PythonDeadLetters::Keep(const QueuedMessage* messages, size_t n,
                               Outcome /*outcome*/, absl::Time /*when*/) {
  size_t kept = 0;
  for (size_t i = 0; i < n; ++i) {
    // The context goes along, so a host watching the second destination's
    // outcomes can tie them to its own records too.
    if (host_->TrySend(messages[i].message, messages[i].context)) ++kept;
  }
  return kept;
}

}  // namespace pydest::internal
