// OutcomeName (include/pydest/outcome.h), beside the outcomes delivery
// settles.
#include "pydest/outcome.h"

namespace pydest {

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kDelivered:
      return "delivered";
    case Outcome::kDroppedByDestination:
      return "dropped_by_destination";
    case Outcome::kDroppedRetriesExhausted:
      return "dropped_retries_exhausted";
    case Outcome::kDroppedOnError:
      return "dropped_on_error";
    case Outcome::kDroppedQueueOverflow:
      return "dropped_queue_overflow";
    case Outcome::kDroppedShutdown:
      return "dropped_shutdown";
    case Outcome::kDroppedNotAccepted:
      return "dropped_not_accepted";
    case Outcome::kKeptInDiskBuffer:
      return "kept_in_disk_buffer";
    case Outcome::kDroppedPoison:
      return "dropped_poison";
  }
  return "unknown";
}

}  // namespace pydest
