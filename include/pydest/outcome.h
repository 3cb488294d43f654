// Outcome: the final fate of a message handed to a host. Every accepted
// message gets exactly one, reported to DestinationOptions::on_outcome and
// counted in DestinationStats; nothing vanishes.
//
// Thread-safety: values and a pure function; OutcomeName may be called from
// any thread.
#ifndef PYDEST_OUTCOME_H_
#define PYDEST_OUTCOME_H_

#include <cstdint>

#include "pydest/export.h"

namespace pydest {

enum class Outcome : uint8_t {
  kDelivered,                // send() (or a later flush()) returned SUCCESS
  kDroppedByDestination,     // send()/flush() returned DROP
  kDroppedRetriesExhausted,  // ERROR `retries` times (or backoff max_attempts)
  kDroppedOnError,           // value-pairs casting failed with drop-message
  kDroppedQueueOverflow,     // overflow policy kDropNewest / kDropOldest
  kDroppedShutdown,          // still queued when the Shutdown deadline passed
  kDroppedNotAccepted,       // handed over after Shutdown began
  // Still queued when the Shutdown deadline passed, with a disk-buffer():
  // not dropped but left in the buffer's files, where the next host over
  // the same buffer delivers it first (DestinationOptions::disk_buffer).
  kKeptInDiskBuffer,
  // isolation(process): the message was in send() when the worker process
  // died (a crash, os._exit, a kill, send-timeout() or memory-limit()) on
  // each of `retries` tries: a poison message. Only that message is
  // dropped; the others around it are sent again.
  kDroppedPoison,
};

// The outcome's name as the stats use it: "delivered",
// "dropped_by_destination", ... (the DestinationStats field that counts
// it). Returns "unknown" for a value outside the enum. Never null; the text
// is static.
PYDEST_EXPORT const char* OutcomeName(Outcome outcome);

// Whether sending the message again could end differently. True for the
// drops that come from circumstances: kDroppedRetriesExhausted (the
// destination kept failing; it may recover), kDroppedQueueOverflow,
// kDroppedShutdown and kDroppedNotAccepted. False for kDelivered and for
// the drops that are about the message itself: kDroppedByDestination (send()
// said DROP) and kDroppedOnError (its values cannot be formatted as
// configured), which would be dropped again.
constexpr bool IsRetryable(Outcome outcome) {
  switch (outcome) {
    case Outcome::kDroppedRetriesExhausted:
    case Outcome::kDroppedQueueOverflow:
    case Outcome::kDroppedShutdown:
    case Outcome::kDroppedNotAccepted:
      return true;
    case Outcome::kDelivered:
    case Outcome::kDroppedByDestination:
    case Outcome::kDroppedOnError:
    case Outcome::kKeptInDiskBuffer:  // the next run delivers it
    case Outcome::kDroppedPoison:     // would kill the worker again
      break;
  }
  return false;
}

}  // namespace pydest

#endif  // PYDEST_OUTCOME_H_
