// RecordPreparer: each message gets its own evaluated record, also when
// records come from recycled chunks that earlier messages used (a dropped
// message's on-error verdict, values and casting errors must not leak into
// the message that reuses its slot), and the free list of chunks holds what
// ExpectInFlight asks for.
#include "libpydest/python/record_preparer.h"

#include <array>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/python/python_test_util.h"

// Counts the allocations of one size (a record chunk's) while a test
// watches: this file replaces the global operator new of the binaries it is
// linked into (python_test, python_adopt_test; neither includes
// tests/common/allocation_counter.h).
namespace {
std::atomic<size_t> g_watched_size{0};
std::atomic<long> g_watched_allocations{0};
}  // namespace

// Out of line, so that the compiler does not see a free() of what new
// returned (-Wmismatched-new-delete).
[[gnu::noinline]] void* operator new(std::size_t n) {
  if (n != 0 && n == g_watched_size.load(std::memory_order_relaxed)) {
    g_watched_allocations.fetch_add(1, std::memory_order_relaxed);
  }
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace pydest::internal {
namespace {

// RecordPreparer's chunk: kChunkRecords records in one allocation.
constexpr size_t kChunkSize =
    sizeof(std::array<PreparedRecord, RecordPreparer::kChunkRecords>);

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
      EXPECT_TRUE(PreparedOf(m).refused);
    }
  }  // ...released: their chunks go back to the free list.
  EXPECT_EQ(context->counters->casting_errors.load(), 2 * RecordPreparer::kChunkRecords);
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
  EXPECT_EQ(context->counters->casting_errors.load(), 2 * RecordPreparer::kChunkRecords);
}

// Chunks allocated while preparing `count` messages (built beforehand, so
// only Prepare is watched); the messages are released on return.
long ChunksAllocatedPreparing(RecordPreparer* preparer, size_t count) {
  std::vector<QueuedMessage> messages;
  for (size_t i = 0; i < count; ++i) {
    messages.push_back(testing::MakeQueued(std::to_string(i)));
  }
  std::vector<QueuedMessage*> pointers;
  for (QueuedMessage& m : messages) pointers.push_back(&m);
  g_watched_allocations = 0;
  g_watched_size = kChunkSize;
  preparer->Prepare(pointers.data(), pointers.size());
  g_watched_size = 0;
  return g_watched_allocations.load();
}

constexpr size_t kInFlight = 4096;
constexpr long kChunksInFlight = kInFlight / RecordPreparer::kChunkRecords;

TEST(RecordPreparerTest, ChunksForEveryMessageInFlightAreReused) {
  auto context = std::make_shared<DestinationContext>();
  context->log_sink = [](const LogRecord&) {};
  RecordPreparer preparer(IntPair(), context);
  preparer.ExpectInFlight(kInFlight);
  // All held at once, then all released...
  EXPECT_EQ(ChunksAllocatedPreparing(&preparer, kInFlight), kChunksInFlight);
  // ...so the next as many need no new chunk.
  EXPECT_EQ(ChunksAllocatedPreparing(&preparer, kInFlight), 0);
  EXPECT_EQ(ChunksAllocatedPreparing(&preparer, kInFlight), 0);
}

TEST(RecordPreparerTest, WithoutExpectInFlightAtMostSixteenFreeChunksAreKept) {
  auto context = std::make_shared<DestinationContext>();
  context->log_sink = [](const LogRecord&) {};
  RecordPreparer preparer(IntPair(), context);
  EXPECT_EQ(ChunksAllocatedPreparing(&preparer, kInFlight), kChunksInFlight);
  // Reused: the 16 free chunks, and the one the preparer was still filling
  // (it goes back to the list when the next one is taken).
  const long allocated = ChunksAllocatedPreparing(&preparer, kInFlight);
  EXPECT_GE(allocated, kChunksInFlight - 17);
  EXPECT_LT(allocated, kChunksInFlight);  // but some were kept
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
