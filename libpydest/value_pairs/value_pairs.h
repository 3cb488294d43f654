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
#include "pydest/message.h"
#include "pydest/options.h"
#include "pydest/value_pairs.h"

namespace pydest::internal {

struct ValuePairsOptions {
  ConfigVersion version;  // 3.x vs 4.x typing rules (spec 4.2)
  OnError on_error = OnError::kDropMessage;
};

// What happened while evaluating one message, besides the Record.
struct EvaluationReport {
  bool drop_message = false;  // on-error drop-message fired: do not send
  int casting_errors = 0;
  // "Casting error" records for the non-silent policies (spec section 6).
  std::vector<LogRecord> log;
};

class ValuePairs {
 public:
  static absl::StatusOr<std::unique_ptr<ValuePairs>> Compile(
      const ValuePairsSpec& spec, const ValuePairsOptions& options);
  virtual ~ValuePairs() = default;

  // Fills `record` (cleared first) for `msg`. Entries come in strcmp order
  // of their final key names; keys are interned in keys().
  virtual void Evaluate(const Message& msg, const MacroContext& ctx,
                        Record* record, EvaluationReport* report) const = 0;

  virtual const KeyTable& keys() const = 0;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_VALUE_PAIRS_VALUE_PAIRS_H_
