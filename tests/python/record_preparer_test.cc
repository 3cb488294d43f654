// RecordPreparer: each message gets its own evaluated record, also when
// records come from recycled chunks that earlier messages used (a dropped
// message's on-error verdict, values and casting errors must not leak into
// the message that reuses its slot).
#include "libpydest/python/record_preparer.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/python/python_test_util.h"

namespace pydest::internal {
namespace {

std::shared_ptr<const ValuePairs> IntPair() {
  ValuePairsSpec spec;
  spec.pairs = {{"n", "$MSG", TypeHint::kInt32}};
  ValuePairsOptions o;
  o.version = {3, 38};
  o.on_error = OnError::kDropMessage;
  auto vp = ValuePairs::Compile(spec, o);
  EXPECT_TRUE(vp.ok()) << vp.status();
  return std::shared_ptr<const ValuePairs>(std::move(*vp));
}

const PreparedRecord& PreparedOf(const QueuedMessage& m) {
  return static_cast<const PreparedRecord&>(*m.prepared);
}

// Prepares `texts` (one call), returning the messages.
std::vector<QueuedMessage> PrepareAll(RecordPreparer* preparer,
                                      const std::vector<std::string>& texts) {
  std::vector<QueuedMessage> messages;
  for (const std::string& t : texts) messages.push_back(testing::MakeQueued(t));
  std::vector<QueuedMessage*> pointers;
  for (QueuedMessage& m : messages) pointers.push_back(&m);
  preparer->Prepare(pointers.data(), pointers.size());
  return messages;
}

TEST(RecordPreparerTest, RecycledRecordsKeepNothingOfTheirLastMessage) {
  auto context = std::make_shared<DestinationContext>();
  context->log_sink = [](const LogRecord&) {};
  RecordPreparer preparer(IntPair(), context);
  // Two full chunks where every message fails its cast...
  std::vector<std::string> bad(2 * RecordPreparer::kChunkRecords, "x");
  {
    std::vector<QueuedMessage> first = PrepareAll(&preparer, bad);
    for (const QueuedMessage& m : first) {
      EXPECT_TRUE(PreparedOf(m).report.drop_message);
    }
  }  // ...released: their chunks go back to the free list.
  EXPECT_EQ(preparer.casting_errors(), 2 * RecordPreparer::kChunkRecords);
  std::vector<std::string> good;
  for (size_t i = 0; i < 2 * RecordPreparer::kChunkRecords; ++i) {
    good.push_back(std::to_string(i));
  }
  std::vector<QueuedMessage> second = PrepareAll(&preparer, good);
  for (size_t i = 0; i < second.size(); ++i) {
    const PreparedRecord& p = PreparedOf(second[i]);
    EXPECT_FALSE(p.report.drop_message) << i;
    EXPECT_EQ(p.report.casting_errors, 0) << i;
    ASSERT_EQ(p.record.entries.size(), 1u) << i;
    EXPECT_EQ(p.record.entries[0].kind, ValueKind::kInt) << i;
    EXPECT_EQ(p.record.entries[0].integer, static_cast<int64_t>(i));
  }
  EXPECT_EQ(preparer.casting_errors(), 2 * RecordPreparer::kChunkRecords);
}

TEST(RecordPreparerTest, APreparedRecordOutlivesThePreparer) {
  std::vector<QueuedMessage> kept;
  {
    auto context = std::make_shared<DestinationContext>();
    context->log_sink = [](const LogRecord&) {};
    RecordPreparer preparer(IntPair(), context);
    kept = PrepareAll(&preparer, {"7", "8"});
  }
  ASSERT_EQ(PreparedOf(kept[1]).record.entries.size(), 1u);
  EXPECT_EQ(PreparedOf(kept[1]).record.entries[0].integer, 8);
}

}  // namespace
}  // namespace pydest::internal
