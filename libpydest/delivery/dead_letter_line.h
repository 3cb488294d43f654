// The JSON line a dead-letter(file()) writes for one dropped message
// (docs/dead-letters.md): an object whose first member, "@dead_letter",
// says why, where and when the message was dropped, followed by the message
// itself in the form pydest's JSON-lines reader reads back (ISODATE,
// FACILITY and SEVERITY by name, then every name-value pair by its name),
// so that replaying the file through pydest rebuilds the message.
//
// Thread-safety: a pure function.
#ifndef LIBPYDEST_DELIVERY_DEAD_LETTER_LINE_H_
#define LIBPYDEST_DELIVERY_DEAD_LETTER_LINE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "pydest/message.h"
#include "pydest/outcome.h"

namespace pydest::internal {

// The top-level member the reader leaves out of a replayed message.
inline constexpr std::string_view kDeadLetterKey = "@dead_letter";

// Who dropped the message.
struct DeadLetterOrigin {
  std::string destination;   // DestinationOptions::name
  std::string persist_name;  // the destination's persist name
  std::string class_name;    // class()
};

// Appends the line for `message` (with its '\n') to *out. `seqnum` is the
// message's $SEQNUM, 0 for one that was never accepted. Values that are not
// valid UTF-8 are written with U+FFFD in place of the bad bytes (JSON text
// must be UTF-8); every other byte survives the round trip.
void AppendDeadLetterLine(const Message& message, Outcome outcome,
                          uint64_t seqnum, absl::Time when,
                          const DeadLetterOrigin& origin, std::string* out);

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_DEAD_LETTER_LINE_H_
