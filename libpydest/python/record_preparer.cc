#include "libpydest/python/record_preparer.h"

#include <algorithm>
#include <utility>

#include "libpydest/pyrt/host_facts.h"

namespace pydest::internal {
namespace {

// Evaluates `message` as the destination `context` sends it: $P_* and $C_*
// from `processed`, $SYSUPTIME from `uptime_centiseconds`. Forwards the
// evaluation's log records to the context's sink; returns the number of
// casting errors.
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

}  // namespace

RecordPreparer::RecordPreparer(
    std::shared_ptr<const ValuePairs> value_pairs,
    std::shared_ptr<const DestinationContext> context)
    : value_pairs_(std::move(value_pairs)), context_(std::move(context)) {}

void RecordPreparer::ExpectInFlight(size_t messages) {
  std::lock_guard<std::mutex> lock(pool_->mu);
  // Every chunk in flight may come back at once; one more is being filled.
  pool_->max_free = (messages + kChunkRecords - 1) / kChunkRecords + 1;
}

std::shared_ptr<RecordPreparer::Chunk> RecordPreparer::NewChunk() {
  std::unique_ptr<Chunk> chunk;
  {
    std::lock_guard<std::mutex> lock(pool_->mu);
    if (!pool_->free.empty()) {
      chunk = std::move(pool_->free.back());
      pool_->free.pop_back();
    }
  }
  if (chunk == nullptr) chunk = std::make_unique<Chunk>();
  return std::shared_ptr<Chunk>(chunk.release(), [pool = pool_](Chunk* c) {
    std::unique_ptr<Chunk> owned(c);
    std::lock_guard<std::mutex> lock(pool->mu);
    if (pool->free.size() < pool->max_free) {
      pool->free.push_back(std::move(owned));
    }
  });
}

void RecordPreparer::Prepare(QueuedMessage* const* messages, size_t count) {
  const Timestamp processed = NowLocal();
  const int64_t uptime = UptimeCentiseconds();
  uint64_t casting_errors = 0;
  for (size_t i = 0; i < count; ++i) {
    if (next_record_ == kChunkRecords) {
      chunk_ = NewChunk();
      next_record_ = 0;
    }
    PreparedRecord& prepared = chunk_->records[next_record_++];
    prepared.record.Clear();
    prepared.report = EvaluationReport{};
    casting_errors +=
        EvaluateForSend(*value_pairs_, *context_, *messages[i], processed,
                        uptime, &prepared.record, &prepared.report);
    // on-error(drop-message): the message is settled before any worker
    // sees it (PrepareStage).
    prepared.refused = prepared.report.drop_message;
    messages[i]->prepared =
        std::shared_ptr<const PreparedMessage>(chunk_, &prepared);
  }
  if (casting_errors > 0) {
    context_->counters->Add(context_->counters->casting_errors, casting_errors);
  }
}

}  // namespace pydest::internal
