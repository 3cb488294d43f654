// RecordPreparer: the Preparer (libpydest/delivery/preparer.h) of a Python
// destination with value-pairs(): it evaluates each message's value-pairs
// into a PreparedRecord on the prepare thread, without the GIL, so that a
// worker only builds the dict and calls send() (DESIGN.md rules 2 and 3).
//
// EvaluateForSend is the one place that sets up the macro context of an
// evaluation; the worker's own fallback (a message that was not prepared)
// uses it too.
//
// Thread-safety: Prepare runs on the prepare thread; casting_errors() from
// any thread.
#ifndef LIBPYDEST_PYTHON_RECORD_PREPARER_H_
#define LIBPYDEST_PYTHON_RECORD_PREPARER_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include "libpydest/delivery/preparer.h"
#include "libpydest/python/destination_context.h"
#include "libpydest/value_pairs/value_pairs.h"

namespace pydest::internal {

// The evaluated value-pairs of one message.
struct PreparedRecord final : PreparedMessage {
  Record record;
  EvaluationReport report;
};

// Evaluates `message` as the destination `context` sends it: $P_* and $C_*
// from `processed`, $SYSUPTIME from `uptime_centiseconds`. Forwards the
// evaluation's log records to the context's sink; returns the number of
// casting errors.
uint64_t EvaluateForSend(const ValuePairs& value_pairs,
                         const DestinationContext& context,
                         const QueuedMessage& message, Timestamp processed,
                         int64_t uptime_centiseconds, Record* record,
                         EvaluationReport* report);

class RecordPreparer final : public Preparer {
 public:
  RecordPreparer(std::shared_ptr<const ValuePairs> value_pairs,
                 std::shared_ptr<const DestinationContext> context);

  void Prepare(QueuedMessage* const* messages, size_t count) override;

  uint64_t casting_errors() const {
    return casting_errors_.load(std::memory_order_relaxed);
  }

 private:
  const std::shared_ptr<const ValuePairs> value_pairs_;
  const std::shared_ptr<const DestinationContext> context_;
  std::atomic<uint64_t> casting_errors_{0};
  // Sizes of the last record, to reserve the next one in one go.
  size_t last_entries_ = 0;
  size_t last_bytes_ = 0;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYTHON_RECORD_PREPARER_H_
