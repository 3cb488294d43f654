// Delivery::TrySendBatch (MessageQueue::TryPushBatch under it): a run of
// messages handed over under one queue lock behaves as TrySend of each in
// order, stopping at the first one not accepted — under every
// log-fifo-size overflow policy, after shutdown began, and across the
// 256-message slices the call works in.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/delivery/harness.h"

namespace pydest::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

std::vector<Message> Messages(const std::string& prefix, int first, int n) {
  std::vector<Message> out;
  for (int i = first; i < first + n; ++i) {
    out.push_back(TextMessage(absl::StrCat(prefix, i)));
  }
  return out;
}

// The texts the driver was sent, in order.
std::vector<std::string> Sends(const FakeDriver& driver) {
  std::vector<std::string> out;
  for (const FakeCall& c : driver.calls()) {
    if (c.call.rfind("send(", 0) == 0) {
      out.push_back(c.call.substr(5, c.call.size() - 6));
    }
  }
  return out;
}

TEST(TrySendBatchTest, EmptyBatchReturnsZero) {
  Harness h;
  h.AddDriver({});
  h.Start();
  EXPECT_EQ(h.delivery().TrySendBatch({}), 0u);
  ASSERT_TRUE(h.ShutdownNow().ok());
  EXPECT_THAT(h.outcomes(), IsEmpty());
}

TEST(TrySendBatchTest, BlockTakesUpToCapacityAndLeavesTheRestToTheCaller) {
  Harness h;
  h.options.log_fifo_size = 300;  // past one 256-message slice
  FakeDriver& driver = h.AddDriver({});
  h.Build();  // not started: nothing leaves the queue
  const std::vector<Message> batch = Messages("m", 0, 400);
  const size_t taken = h.delivery().TrySendBatch(batch);
  EXPECT_EQ(taken, 300u);
  // The 100 not taken are still the caller's: no outcome for them (nor for
  // the queued ones yet).
  EXPECT_THAT(h.outcomes(), IsEmpty());
  EXPECT_EQ(h.delivery().stats().queue_depth, 300u);
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(300));
  // The worker made room: the rest goes in (retried, as pydest does, until
  // the queue has room for all of it).
  absl::Span<const Message> rest = absl::MakeConstSpan(batch).subspan(taken);
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (!rest.empty() && absl::Now() < deadline) {
    rest.remove_prefix(h.delivery().TrySendBatch(rest));
  }
  ASSERT_TRUE(rest.empty());
  ASSERT_TRUE(h.WaitOutcomes(400));
  ASSERT_TRUE(h.ShutdownNow().ok());
  const auto outcomes = h.outcomes();
  ASSERT_EQ(outcomes.size(), 400u);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    EXPECT_THAT(outcomes[i], Pair(absl::StrCat("m", i), Outcome::kDelivered));
  }
  const std::vector<std::string> sends = Sends(driver);
  ASSERT_EQ(sends.size(), 400u);
  for (size_t i = 0; i < sends.size(); ++i) {
    EXPECT_EQ(sends[i], absl::StrCat("m", i));
  }
}

TEST(TrySendBatchTest, BlockIntoAFullQueueTakesNothing) {
  Harness h;
  h.options.log_fifo_size = 2;
  h.AddDriver({});
  h.Build();
  h.Send("q0");
  h.Send("q1");
  EXPECT_EQ(h.delivery().TrySendBatch(Messages("m", 0, 3)), 0u);
  EXPECT_THAT(h.outcomes(), IsEmpty());
  EXPECT_EQ(h.delivery().stats().queue_depth, 2u);
}

TEST(TrySendBatchTest, DropNewestAcceptsAllAndDropsThosePastCapacityOnce) {
  Harness h;
  h.options.log_fifo_size = 3;
  h.options.overflow = OverflowPolicy::kDropNewest;
  h.AddDriver({});
  h.Build();
  h.Send("q0");
  // Room for two of the four.
  EXPECT_EQ(h.delivery().TrySendBatch(Messages("m", 0, 4)), 4u);
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("m2", Outcome::kDroppedQueueOverflow),
                          Pair("m3", Outcome::kDroppedQueueOverflow)));
  // Into the now full queue: every one counted, every one dropped.
  EXPECT_EQ(h.delivery().TrySendBatch(Messages("n", 0, 3)), 3u);
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(8));
  ASSERT_TRUE(h.ShutdownNow().ok());
  EXPECT_THAT(h.OutcomeByText(),
              ElementsAre(Pair("m0", Outcome::kDelivered),
                          Pair("m1", Outcome::kDelivered),
                          Pair("m2", Outcome::kDroppedQueueOverflow),
                          Pair("m3", Outcome::kDroppedQueueOverflow),
                          Pair("n0", Outcome::kDroppedQueueOverflow),
                          Pair("n1", Outcome::kDroppedQueueOverflow),
                          Pair("n2", Outcome::kDroppedQueueOverflow),
                          Pair("q0", Outcome::kDelivered)));
  const DestinationStats st = h.delivery().stats();
  EXPECT_EQ(st.dropped_queue_overflow, 5u);
  EXPECT_EQ(st.delivered, 3u);
}

TEST(TrySendBatchTest, DropOldestEvictsTheOldestQueuedAndAcceptsTheBatch) {
  Harness h;
  h.options.log_fifo_size = 3;
  h.options.overflow = OverflowPolicy::kDropOldest;
  FakeDriver& driver = h.AddDriver({});
  h.Build();
  h.Send("q0");
  h.Send("q1");
  EXPECT_EQ(h.delivery().TrySendBatch(Messages("m", 0, 3)), 3u);
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("q0", Outcome::kDroppedQueueOverflow),
                          Pair("q1", Outcome::kDroppedQueueOverflow)));
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(5));
  ASSERT_TRUE(h.ShutdownNow().ok());
  EXPECT_THAT(h.OutcomeByText(),
              ElementsAre(Pair("m0", Outcome::kDelivered),
                          Pair("m1", Outcome::kDelivered),
                          Pair("m2", Outcome::kDelivered),
                          Pair("q0", Outcome::kDroppedQueueOverflow),
                          Pair("q1", Outcome::kDroppedQueueOverflow)));
  EXPECT_THAT(Sends(driver), ElementsAre("m0", "m1", "m2"));
}

TEST(TrySendBatchTest, DropOldestBatchLargerThanTheQueueKeepsItsNewest) {
  Harness h;
  h.options.log_fifo_size = 2;
  h.options.overflow = OverflowPolicy::kDropOldest;
  FakeDriver& driver = h.AddDriver({});
  h.Build();
  EXPECT_EQ(h.delivery().TrySendBatch(Messages("m", 0, 5)), 5u);
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("m0", Outcome::kDroppedQueueOverflow),
                          Pair("m1", Outcome::kDroppedQueueOverflow),
                          Pair("m2", Outcome::kDroppedQueueOverflow)));
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(5));
  ASSERT_TRUE(h.ShutdownNow().ok());
  EXPECT_EQ(h.OutcomeByText().size(), 5u);
  EXPECT_THAT(Sends(driver), ElementsAre("m3", "m4"));
}

TEST(TrySendBatchTest, AfterShutdownBeganNothingIsAcceptedNorReported) {
  Harness h;
  h.AddDriver({});
  h.Start();
  ASSERT_TRUE(h.ShutdownNow().ok());
  EXPECT_EQ(h.delivery().TrySendBatch(Messages("late", 0, 3)), 0u);
  EXPECT_THAT(h.outcomes(), IsEmpty());
  const DestinationStats st = h.delivery().stats();
  EXPECT_EQ(st.processed, 0u);
  EXPECT_EQ(st.dropped_not_accepted, 0u);
}

TEST(TrySendBatchTest, ManySlicesAreDeliveredInOrderExactlyOnce) {
  Harness h;
  FakeDriver& driver = h.AddDriver({});
  h.Start();
  const std::vector<Message> batch = Messages("m", 0, 700);
  EXPECT_EQ(h.delivery().TrySendBatch(batch), 700u);
  ASSERT_TRUE(h.WaitOutcomes(700));
  ASSERT_TRUE(h.ShutdownNow().ok());
  EXPECT_EQ(h.OutcomeByText().size(), 700u);
  const std::vector<std::string> sends = Sends(driver);
  ASSERT_EQ(sends.size(), 700u);
  for (size_t i = 0; i < sends.size(); ++i) {
    EXPECT_EQ(sends[i], absl::StrCat("m", i));
  }
}

}  // namespace
}  // namespace pydest::internal
