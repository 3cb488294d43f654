// OverflowPolicy: what happens to a message handed to a host whose queue
// already holds log-fifo-size() messages. Named, as spdlog names its
// overflow policies, so that a full queue never loses messages by accident:
// every dropped message gets Outcome::kDroppedQueueOverflow and is counted.
//
// Thread-safety: a plain value.
#ifndef PYDEST_OVERFLOW_POLICY_H_
#define PYDEST_OVERFLOW_POLICY_H_

#include <cstdint>

namespace pydest {

enum class OverflowPolicy : uint8_t {
  // Send waits for room; TrySend refuses (returns false, the message stays
  // the caller's). The default: nothing is dropped, the producer slows down.
  kBlock,
  // The message being sent is dropped. For a producer that must never wait
  // and prefers old messages to new ones.
  kDropNewest,
  // The oldest queued message is dropped to make room. For a producer that
  // must never wait and prefers recent messages (metrics, live tails).
  kDropOldest,
};

}  // namespace pydest

#endif  // PYDEST_OVERFLOW_POLICY_H_
