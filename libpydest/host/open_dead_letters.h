// OpenDeadLetters: a destination's dead-letter() made ready for its host —
// the file opened for appending (DeadLetterFile), or the second Python
// destination created (PythonDeadLetters) with what it inherits from the
// first (include/pydest/dead_letter_spec.h).
//
// Thread-safety: call from Create, before the workers start.
#ifndef LIBPYDEST_HOST_OPEN_DEAD_LETTERS_H_
#define LIBPYDEST_HOST_OPEN_DEAD_LETTERS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libpydest/delivery/dead_letter_sink.h"
#include "pydest/destination_options.h"

namespace pydest::internal {

// The options the second destination of `first`'s dead-letter(python(...))
// runs with: its own, with the inherited fields filled in.
DestinationOptions DeadLetterPythonOptions(const DestinationOptions& first,
                                           const std::string& persist_name);

// Opens first.dead_letter (which must be set) for the destination whose
// persist name is `persist_name`. Errors: neither or both of file and
// python set, a dead letter of a dead letter (InvalidArgument), a file that
// cannot be opened (FailedPrecondition, naming it), and whatever Create of
// the second destination returns (prefixed with "dead-letter(python()): ").
absl::StatusOr<std::shared_ptr<DeadLetterSink>> OpenDeadLetters(
    const DestinationOptions& first, const std::string& persist_name);

}  // namespace pydest::internal

#endif  // LIBPYDEST_HOST_OPEN_DEAD_LETTERS_H_
