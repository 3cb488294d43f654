#include "libpydest/python/record_preparer.h"

#include <algorithm>
#include <utility>

#include "libpydest/python/host_facts.h"

namespace pydest::internal {

uint64_t EvaluateForSend(const ValuePairs& value_pairs,
                         const DestinationContext& context,
                         const QueuedMessage& message, Timestamp processed,
                         int64_t uptime_centiseconds, Record* record,
                         EvaluationReport* report) {
  MacroContext ctx;
  ctx.template_options = &context.template_options;
  ctx.seqnum = message.seqnum;
  ctx.now = processed;  // one clock read per batch, not per message
  ctx.processed = processed;
  ctx.loghost = LocalHostName();
  ctx.hostid = LocalHostId();
  ctx.sysuptime = uptime_centiseconds;
  value_pairs.Evaluate(message.message, ctx, record, report);
  for (const LogRecord& r : report->log) context.Log(r);
  return report->casting_errors;
}

RecordPreparer::RecordPreparer(
    std::shared_ptr<const ValuePairs> value_pairs,
    std::shared_ptr<const DestinationContext> context)
    : value_pairs_(std::move(value_pairs)), context_(std::move(context)) {}

void RecordPreparer::Prepare(QueuedMessage* const* messages, size_t count) {
  const Timestamp processed = NowLocal();
  const int64_t uptime = UptimeCentiseconds();
  uint64_t casting_errors = 0;
  for (size_t i = 0; i < count; ++i) {
    auto prepared = std::make_shared<PreparedRecord>();
    prepared->record.entries.reserve(last_entries_);
    prepared->record.buffer.reserve(last_bytes_);
    casting_errors += EvaluateForSend(*value_pairs_, *context_, *messages[i],
                                      processed, uptime, &prepared->record,
                                      &prepared->report);
    last_entries_ = prepared->record.entries.size();
    last_bytes_ = prepared->record.buffer.size();
    messages[i]->prepared = std::move(prepared);
  }
  if (casting_errors > 0) {
    casting_errors_.fetch_add(casting_errors, std::memory_order_relaxed);
  }
}

}  // namespace pydest::internal
