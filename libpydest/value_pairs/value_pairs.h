// ValuePairs: a value-pairs() specification compiled once per destination
// into a plan, evaluated per message into a Record (key, typed value) without
// the GIL. Thread-safe: Evaluate may run on several workers at once.
#ifndef LIBPYDEST_VALUE_PAIRS_VALUE_PAIRS_H_
#define LIBPYDEST_VALUE_PAIRS_VALUE_PAIRS_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "libpydest/message/macros.h"
#include "libpydest/value_pairs/record.h"
#include "pydest/config_version.h"
#include "pydest/log_record.h"
#include "pydest/message.h"
#include "pydest/on_error.h"
#include "pydest/value_pairs.h"

namespace pydest::internal {

struct ValuePairsOptions {
  ConfigVersion version;  // 3.x vs 4.x typing (syslog-ng-behaviour.md §4.2)
  OnError on_error = OnError::kDropMessage;
};

// What happened while evaluating one message, besides the Record.
// Evaluate appends to it; the caller clears it between messages.
struct EvaluationReport {
  // on-error(drop-message) fired: the Record is empty, do not call send();
  // syslog-ng treats the message as an ERROR result (retried, then dropped).
  bool drop_message = false;
  // Values that failed their cast and were handled by on-error() (3.x
  // rules; 4.x failed casts silently stay bytes and are not counted).
  int casting_errors = 0;
  // "Casting error" records (level error, tags value and type-hint) for the
  // non-silent policies, in key order (syslog-ng-behaviour.md §6). Hand them
  // to the destination's log_sink.
  std::vector<LogRecord> log;
};

class ValuePairs {
 public:
  // InvalidArgument when a pair() template does not compile (the message
  // names the pair and the template column).
  static absl::StatusOr<std::unique_ptr<ValuePairs>> Compile(
      const ValuePairsSpec& spec, const ValuePairsOptions& options);
  virtual ~ValuePairs() = default;

  // Fills `record` (cleared first; its buffers' capacity is reused) for
  // `msg`. Entries come in strcmp order of their final key names, one per
  // name; keys are interned in keys(). `report` may be null. Needs no GIL.
  virtual void Evaluate(const Message& msg, const MacroContext& ctx,
                        Record* record, EvaluationReport* report) const = 0;

  virtual const KeyTable& keys() const = 0;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_VALUE_PAIRS_VALUE_PAIRS_H_
