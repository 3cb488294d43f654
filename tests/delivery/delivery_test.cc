// The Delivery engine around the state machine: the bounded queue and its
// overflow policies, Flush, shutdown with its deadlines, and the
// exactly-one-outcome guarantee under concurrent senders.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/delivery/harness.h"

namespace pydest::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(DeliveryTest, ShutdownReportsQueuedAsDropped) {
  Harness h;
  FakeDriver::Script s;
  s.open = [](int) { return false; };
  h.AddDriver(s);
  h.clock().SetHorizon(absl::UnixEpoch() + absl::Seconds(3.5));
  h.Build();
  h.Send("m1");
  h.Send("m2");
  h.Start();
  ASSERT_TRUE(h.clock().WaitIdle(1));
  ASSERT_TRUE(h.ShutdownNow().ok());
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("m1", Outcome::kDroppedShutdown),
                          Pair("m2", Outcome::kDroppedShutdown)));
  // open() at 0, 1, 2, 3 s; then the final flush and the close step (no
  // close(): is_opened() says it is not open).
  EXPECT_EQ(h.driver().Sequence(), "open open open open flush is_opened");
  const DestinationStats st = h.delivery().stats();
  EXPECT_EQ(st.dropped_shutdown, 2u);
  EXPECT_EQ(st.queue_depth, 0u);
}

TEST(DeliveryTest, ShutdownDrainsQueueBeforeDrainDeadline) {
  Harness h;
  FakeDriver::Script s;
  s.open = [](int n) { return n > 2; };  // up at 2 s
  h.AddDriver(s);
  h.clock().SetHorizon(absl::UnixEpoch());
  h.Build();
  h.Send("m1");
  h.Start();
  ASSERT_TRUE(h.clock().WaitIdle(1));
  h.clock().SetHorizon(absl::InfiniteFuture());
  const absl::Time now = h.clock().Now();
  // Still suspended, but the reopen at 2 s comes before the drain deadline.
  ASSERT_TRUE(
      h.delivery().Shutdown(now + absl::Seconds(5), now + absl::Seconds(6))
          .ok());
  EXPECT_THAT(h.outcomes(), ElementsAre(Pair("m1", Outcome::kDelivered)));
}

TEST(DeliveryTest, OpenFalseForeverShutdownReturnsByDeadline) {
  Harness h(Clock::Real());
  h.options.time_reopen = absl::Milliseconds(20);
  FakeDriver::Script s;
  s.open = [](int) { return false; };
  h.AddDriver(s);
  h.Start();
  h.Send("m1");
  const absl::Time now = absl::Now();
  const absl::Status st = h.delivery().Shutdown(now + absl::Milliseconds(100),
                                                now + absl::Seconds(30));
  EXPECT_TRUE(st.ok()) << st;
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("m1", Outcome::kDroppedShutdown)));
}

TEST(DeliveryTest, SendHangsShutdownAbandonsWorker) {
  Harness h(Clock::Real());
  FakeDriver::Script s;
  s.hang_on = "m1";
  FakeDriver& driver = h.AddDriver(s);
  h.Start();
  h.Send("m1");
  h.Send("m2");
  // Wait until the worker is inside send(m1).
  while (driver.Sequence().find("send(m1)") == std::string::npos) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  const absl::Time now = absl::Now();
  const absl::Status st = h.delivery().Shutdown(
      now + absl::Milliseconds(50), now + absl::Milliseconds(100));
  EXPECT_EQ(st.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(st.message(), HasSubstr("in send()"));
  EXPECT_THAT(h.OutcomeByText(),
              ElementsAre(Pair("m1", Outcome::kDroppedShutdown),
                          Pair("m2", Outcome::kDroppedShutdown)));
  EXPECT_EQ(h.CountLogs("Worker did not stop by the shutdown deadline and "
                        "was abandoned"),
            1);
  // The send returns later: the abandoned worker reports nothing more.
  driver.Release();
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(h.outcomes().size(), 2u);
}

TEST(DeliveryTest, SendReturningAfterAbandonmentCountsALateCompletion) {
  Harness h(Clock::Real());
  FakeDriver::Script s;
  s.hang_on = "m1";
  FakeDriver& driver = h.AddDriver(s);
  h.Start();
  h.Send("m1");
  while (driver.Sequence().find("send(m1)") == std::string::npos) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  const absl::Time now = absl::Now();
  EXPECT_EQ(h.delivery()
                .Shutdown(now + absl::Milliseconds(50),
                          now + absl::Milliseconds(100))
                .code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(h.delivery().stats().dropped_shutdown, 1u);
  EXPECT_EQ(h.delivery().stats().late_completions, 0u);
  // send(m1) returns after m1 was reported dropped: it may have been
  // delivered after all.
  driver.Release();
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (h.delivery().stats().late_completions == 0 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_EQ(h.delivery().stats().late_completions, 1u);
  EXPECT_EQ(h.outcomes().size(), 1u);
}

TEST(DeliveryTest, ShutdownTwiceReturnsFirstStatus) {
  Harness h;
  h.AddDriver({});
  h.Start();
  ASSERT_TRUE(h.ShutdownNow().ok());
  ASSERT_TRUE(h.ShutdownNow().ok());
}

TEST(DeliveryTest, SendAfterShutdownIsNotAccepted) {
  Harness h;
  h.AddDriver({});
  h.Start();
  ASSERT_TRUE(h.ShutdownNow().ok());
  const absl::Status st = h.delivery().Send(TextMessage("late"));
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(h.delivery().TrySend(TextMessage("later")));
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("late", Outcome::kDroppedNotAccepted)));
  EXPECT_EQ(h.delivery().stats().dropped_not_accepted, 1u);
}

TEST(DeliveryTest, OverflowDropNewestDropsTheNewMessage) {
  Harness h;
  h.options.log_fifo_size = 2;
  h.options.overflow = OverflowPolicy::kDropNewest;
  h.AddDriver({});
  h.Build();  // not started: nothing leaves the queue
  h.Send("m1");
  h.Send("m2");
  h.Send("m3");
  EXPECT_TRUE(h.delivery().TrySend(TextMessage("m4")));
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("m3", Outcome::kDroppedQueueOverflow),
                          Pair("m4", Outcome::kDroppedQueueOverflow)));
  const DestinationStats st = h.delivery().stats();
  EXPECT_EQ(st.queued, 2u);
  EXPECT_EQ(st.queue_depth, 2u);
  EXPECT_EQ(st.queue_capacity, 2u);
  EXPECT_EQ(st.dropped_queue_overflow, 2u);
}

TEST(DeliveryTest, OverflowDropOldestEvictsTheOldestMessage) {
  Harness h;
  h.options.log_fifo_size = 2;
  h.options.overflow = OverflowPolicy::kDropOldest;
  h.AddDriver({});
  h.Build();
  h.Send("m1");
  h.Send("m2");
  h.Send("m3");
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("m1", Outcome::kDroppedQueueOverflow)));
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(3));
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("m1", Outcome::kDroppedQueueOverflow),
                          Pair("m2", Outcome::kDelivered),
                          Pair("m3", Outcome::kDelivered)));
}

TEST(DeliveryTest, OverflowBlockRefusesTrySendAndBlocksSendUntilRoom) {
  Harness h;
  h.options.log_fifo_size = 1;
  h.AddDriver({});
  h.Build();
  EXPECT_TRUE(h.delivery().TrySend(TextMessage("m1")));
  EXPECT_FALSE(h.delivery().TrySend(TextMessage("refused")));
  std::atomic<bool> sent{false};
  std::thread producer([&] {
    EXPECT_TRUE(h.delivery().Send(TextMessage("m2")).ok());
    sent = true;
  });
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_FALSE(sent.load());  // blocked: the queue is full, nobody pops
  h.Start();
  producer.join();
  ASSERT_TRUE(h.WaitOutcomes(2));
  EXPECT_THAT(h.OutcomeByText(),
              ElementsAre(Pair("m1", Outcome::kDelivered),
                          Pair("m2", Outcome::kDelivered)));
}

TEST(DeliveryTest, ShutdownReleasesBlockedSender) {
  Harness h;
  h.options.log_fifo_size = 1;
  h.AddDriver({});
  h.Build();
  h.Send("m1");
  absl::Status blocked_status;
  std::thread producer(
      [&] { blocked_status = h.delivery().Send(TextMessage("m2")); });
  absl::SleepFor(absl::Milliseconds(20));
  ASSERT_TRUE(h.ShutdownNow().ok());
  producer.join();
  EXPECT_EQ(blocked_status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(h.OutcomeByText(),
              ElementsAre(Pair("m1", Outcome::kDroppedShutdown),
                          Pair("m2", Outcome::kDroppedNotAccepted)));
}

TEST(DeliveryTest, FlushFlushesPendingQueuedBatchNow) {
  Harness h;
  h.options.batch_lines = 100;
  h.options.batch_timeout = absl::Hours(1);
  FakeDriver::Script s;
  s.send = [](const std::string&, int) {
    DeliveryResult r = DeliveryResult::kSuccess;
    r = DeliveryResult::kQueued;
    return r;
  };
  h.AddDriver(s);
  h.clock().SetHorizon(absl::UnixEpoch());  // the batch timer never fires
  h.Build();
  h.Send("m1");
  h.Send("m2");
  h.Start();
  ASSERT_TRUE(h.clock().WaitIdle(1));
  EXPECT_TRUE(h.outcomes().empty());
  ASSERT_TRUE(h.delivery().Flush(h.clock().Now() + absl::Seconds(1)).ok());
  EXPECT_EQ(h.delivery().stats().delivered, 2u);
}

TEST(DeliveryTest, FlushDeadlinePassesWhileDestinationIsDown) {
  Harness h(Clock::Real());
  h.options.time_reopen = absl::Seconds(60);
  FakeDriver::Script s;
  s.open = [](int) { return false; };
  h.AddDriver(s);
  h.Start();
  h.Send("m1");
  EXPECT_EQ(h.delivery().Flush(absl::Now() + absl::Milliseconds(30)).code(),
            absl::StatusCode::kDeadlineExceeded);
}

TEST(DeliveryTest, ThrottleLimitsSendsPerSecond) {
  Harness h;
  h.options.throttle = 2;
  h.AddDriver({});
  h.Build();
  for (const char* m : {"m1", "m2", "m3", "m4", "m5", "m6"}) h.Send(m);
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(6));
  // Two at once (a second's worth), then one every 0.5 s.
  EXPECT_EQ(h.clock().Now(), absl::UnixEpoch() + absl::Seconds(2));
  EXPECT_EQ(h.delivery().stats().delivered, 6u);
}

TEST(DeliveryTest, ThrottledMessagesLeftAtShutdownAreDropped) {
  Harness h;
  h.options.throttle = 1;
  h.AddDriver({});
  h.clock().SetHorizon(absl::UnixEpoch());  // time stands still
  h.Build();
  for (const char* m : {"m1", "m2", "m3"}) h.Send(m);
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(1));
  ASSERT_TRUE(h.clock().WaitIdle(1));
  ASSERT_TRUE(h.ShutdownNow().ok());
  auto outcomes = h.OutcomeByText();
  EXPECT_EQ(outcomes["m1"], Outcome::kDelivered);
  EXPECT_EQ(outcomes["m2"], Outcome::kDroppedShutdown);
  EXPECT_EQ(outcomes["m3"], Outcome::kDroppedShutdown);
}

TEST(DeliveryTest, TenThreadsSendConcurrently) {
  Harness h;
  h.options.log_fifo_size = 64;  // small: producers block and contend
  FakeDriver::Script s;
  // A mix of results, so every path reports outcomes concurrently.
  s.send = [](const std::string& text, int n) {
    DeliveryResult r = DeliveryResult::kSuccess;
    if (text.back() == '7') r = DeliveryResult::kDrop;
    if (n % 11 == 0) r = DeliveryResult::kError;
    return r;
  };
  h.AddDriver(s);
  h.AddDriver(s);
  h.AddDriver(s);
  h.Start();
  constexpr int kThreads = 10, kPerThread = 300;
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&h, t] {
      for (int i = 0; i < kPerThread; ++i) {
        ASSERT_TRUE(
            h.delivery().Send(TextMessage(absl::StrCat("t", t, "-", i))).ok());
      }
    });
  }
  for (std::thread& p : producers) p.join();
  ASSERT_TRUE(h.WaitOutcomes(kThreads * kPerThread, absl::Seconds(60)));
  ASSERT_TRUE(h.ShutdownNow().ok());
  EXPECT_EQ(h.OutcomeByText().size(), size_t{kThreads * kPerThread});
  const DestinationStats st = h.delivery().stats();
  EXPECT_EQ(st.processed, uint64_t{kThreads * kPerThread});
  EXPECT_EQ(st.queued, uint64_t{kThreads * kPerThread});
  EXPECT_EQ(st.delivered + st.dropped(), st.processed);
}

}  // namespace
}  // namespace pydest::internal
