// QUEUED batching (syslog-ng-behaviour.md §2.3, §3.3) against a scripted
// FakeDriver: batch-lines(), batch-timeout(), flush() results deciding the
// whole batch.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/delivery/harness.h"

namespace pydest::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(BatchingTest, QueuedBatchFlushedAtBatchLines) {
  Harness h;
  h.options.batch_lines = 2;
  h.options.batch_timeout = absl::Milliseconds(500);
  h.AddDriver(SendAlways(DeliveryResult::kQueued));
  ASSERT_TRUE(h.RunToShutdown({"m1", "m2", "m3", "m4"}));
  EXPECT_EQ(h.driver().Sequence(),
            "open is_opened is_opened send(m1) is_opened send(m2) flush "
            "is_opened send(m3) is_opened send(m4) flush flush is_opened "
            "close");
  EXPECT_EQ(h.delivery().stats().delivered, 4u);
  EXPECT_EQ(h.delivery().stats().batches, 2u);
}

TEST(BatchingTest, QueuedBatchFlushedAtBatchTimeout) {
  Harness h;
  h.options.batch_lines = 10;
  h.options.batch_timeout = absl::Milliseconds(500);
  h.AddDriver(SendAlways(DeliveryResult::kQueued));
  h.Build();
  for (const char* m : {"m1", "m2", "m3"}) h.Send(m);
  h.Start();
  // No flush at the end of the round (batch-timeout not reached): the timer
  // flushes 500 ms after the batch began.
  ASSERT_TRUE(h.WaitOutcomes(3));
  EXPECT_EQ(h.driver().Sequence(),
            "open is_opened is_opened send(m1) is_opened send(m2) is_opened "
            "send(m3) flush");
  EXPECT_EQ(h.clock().Now(), absl::UnixEpoch() + absl::Milliseconds(500));
}

// batch-idle-timeout() (AxoSyslog): no new message for that long flushes
// the pending batch, without batch-timeout() or before it.
TEST(BatchingTest, QueuedBatchFlushedAtBatchIdleTimeout) {
  Harness h;
  h.options.batch_lines = 10;
  h.options.batch_timeout = absl::ZeroDuration();  // accepted: no batch-timeout
  h.options.batch_idle_timeout = absl::Milliseconds(200);
  h.AddDriver(SendAlways(DeliveryResult::kQueued));
  h.Build();
  for (const char* m : {"m1", "m2", "m3"}) h.Send(m);
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(3));
  EXPECT_EQ(h.driver().Sequence(),
            "open is_opened is_opened send(m1) is_opened send(m2) is_opened "
            "send(m3) flush");
  EXPECT_EQ(h.clock().Now(), absl::UnixEpoch() + absl::Milliseconds(200));
}

TEST(BatchingTest, IdleTimeoutShorterThanBatchTimeoutFlushesFirst) {
  Harness h;
  h.options.batch_lines = 10;
  h.options.batch_timeout = absl::Milliseconds(500);
  h.options.batch_idle_timeout = absl::Milliseconds(200);
  h.AddDriver(SendAlways(DeliveryResult::kQueued));
  h.Build();
  for (const char* m : {"m1", "m2"}) h.Send(m);
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(2));
  EXPECT_EQ(h.clock().Now(), absl::UnixEpoch() + absl::Milliseconds(200));
  EXPECT_EQ(h.delivery().stats().batches, 1u);
}

TEST(BatchingTest, QueuedWithoutBatchLinesFlushesAfterEverySend) {
  Harness h;  // batch-lines unset: batch_size >= -1 always holds
  h.AddDriver(SendAlways(DeliveryResult::kQueued));
  ASSERT_TRUE(h.RunToShutdown({"m1", "m2"}));
  EXPECT_EQ(h.driver().Sequence(),
            "open is_opened is_opened send(m1) flush is_opened send(m2) flush "
            "flush flush is_opened close");
}

TEST(BatchingTest, SuccessAfterQueuedAcknowledgesWholeBatch) {
  Harness h;
  h.options.batch_lines = 10;
  h.options.batch_timeout = absl::Milliseconds(1000);
  FakeDriver::Script s;
  s.send = [](const std::string& text, int) {
    return text == "m3" ? DeliveryResult::kSuccess
                              : DeliveryResult::kQueued;
  };
  h.AddDriver(s);
  h.Build();
  for (const char* m : {"m1", "m2", "m3"}) h.Send(m);
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(3));
  ASSERT_TRUE(h.clock().WaitIdle(1));
  EXPECT_EQ(h.delivery().stats().delivered, 3u);
  EXPECT_EQ(h.delivery().stats().batches, 0u);  // no flush() settled them
  EXPECT_EQ(h.driver().Sequence(),
            "open is_opened is_opened send(m1) is_opened send(m2) is_opened "
            "send(m3) flush");
}

TEST(BatchingTest, FlushFalseResendsBatch) {
  Harness h;
  h.options.batch_lines = 2;
  h.options.batch_timeout = absl::Milliseconds(500);
  FakeDriver::Script s = SendAlways(DeliveryResult::kQueued);
  s.flush = [](int n) {
    return n == 1 ? DeliveryResult::kError : DeliveryResult::kSuccess;
  };
  h.AddDriver(s);
  ASSERT_TRUE(h.RunToShutdown({"m1", "m2"}));
  EXPECT_EQ(h.driver().Sequence(),
            "open is_opened is_opened send(m1) is_opened send(m2) flush "
            "is_opened close open is_opened is_opened send(m1) is_opened "
            "send(m2) flush flush is_opened close");
  EXPECT_EQ(h.delivery().stats().delivered, 2u);
  EXPECT_EQ(h.delivery().stats().retries, 2u);
}

TEST(BatchingTest, FlushErrorRetriesExhaustedDropsWholeBatch) {
  Harness h;
  h.options.batch_lines = 2;
  h.options.batch_timeout = absl::Milliseconds(500);
  FakeDriver::Script s = SendAlways(DeliveryResult::kQueued);
  s.flush = [](int) { return DeliveryResult::kError; };
  h.AddDriver(s);
  h.Build();
  h.Send("m1");
  h.Send("m2");
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(2));
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("m1", Outcome::kDroppedRetriesExhausted),
                          Pair("m2", Outcome::kDroppedRetriesExhausted)));
  bool found = false;
  for (const LogRecord& r : h.logs()) {
    if (r.text.find("Multiple failures") == 0) {
      EXPECT_THAT(r.tags, testing::Contains(Pair("batch_size", "2")));
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace pydest::internal
