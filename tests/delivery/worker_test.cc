// The worker state machine against a scripted FakeDriver: one test per
// behaviour (syslog-ng-behaviour.md §2.3-2.6, §3.2), in simulated time.
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libpydest/delivery/worker.h"
#include "tests/delivery/harness.h"

namespace pydest::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(WorkerTest, OpenRunsAtStartupWithoutTraffic) {
  Harness h;
  h.AddDriver({});
  h.Start();
  ASSERT_TRUE(h.clock().WaitIdle(1));
  EXPECT_EQ(h.driver().Sequence(), "open is_opened");
  ASSERT_TRUE(h.ShutdownNow().ok());
  EXPECT_EQ(h.driver().Sequence(), "open is_opened flush is_opened close");
}

TEST(WorkerTest, CallOrderIsOpenedBeforeEverySendFlushAfterDrainRound) {
  Harness h;
  h.AddDriver({});
  ASSERT_TRUE(h.RunToShutdown({"m1", "m2", "m3"}));
  EXPECT_EQ(h.driver().Sequence(),
            "open is_opened is_opened send(m1) is_opened send(m2) is_opened "
            "send(m3) flush flush is_opened close");
  EXPECT_THAT(h.outcomes(), ElementsAre(Pair("m1", Outcome::kDelivered),
                                        Pair("m2", Outcome::kDelivered),
                                        Pair("m3", Outcome::kDelivered)));
  for (const FakeCall& c : h.driver().calls()) {
    EXPECT_NE(c.thread, std::this_thread::get_id()) << c.call;
  }
}

TEST(WorkerTest, ClassWithoutIsOpenedGetsNoIsOpenedCallsAndAlwaysClose) {
  Harness h;
  FakeDriver::Script s;
  s.has_is_opened = false;
  h.AddDriver(s);
  ASSERT_TRUE(h.RunToShutdown({"m1", "m2", "m3"}));
  EXPECT_EQ(h.driver().Sequence(),
            "open send(m1) send(m2) send(m3) flush flush close");
}

TEST(WorkerTest, SendReturningFalseRetriesThenDrops) {
  Harness h;
  h.AddDriver(SendAlways(DeliveryResult::kError));
  ASSERT_TRUE(h.RunToShutdown({"m1"}));
  EXPECT_EQ(h.driver().Sequence(),
            "open is_opened "
            "is_opened send(m1) is_opened close open is_opened "
            "is_opened send(m1) is_opened close open is_opened "
            "is_opened send(m1) flush flush is_opened close");
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("m1", Outcome::kDroppedRetriesExhausted)));
  EXPECT_EQ(h.CountLogs(
                "Error occurred while trying to send a message, trying again"),
            2);
  EXPECT_EQ(h.CountLogs("Multiple failures while sending message(s) to "
                        "destination, message(s) dropped"),
            1);
  const DestinationStats s = h.delivery().stats();
  EXPECT_EQ(s.retries, 2u);
  EXPECT_EQ(s.reopens, 2u);
  EXPECT_EQ(s.suspended_ms, 2000u);  // time-reopen 1 s, twice
  EXPECT_EQ(s.dropped_retries_exhausted, 1u);
}

TEST(WorkerTest, ErrorLogCarriesSyslogNgTags) {
  Harness h;
  h.AddDriver(SendAlways(DeliveryResult::kError));
  h.Build();
  h.Send("m1");
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(1));
  ASSERT_TRUE(h.ShutdownNow().ok());
  const std::vector<LogRecord> logs = h.logs();
  auto it = std::find_if(logs.begin(), logs.end(), [](const LogRecord& r) {
    return r.level == LogRecord::Level::kError;
  });
  ASSERT_NE(it, logs.end());
  EXPECT_THAT(it->tags,
              ElementsAre(Pair("driver", "d_py#0"), Pair("worker_index", "0"),
                          Pair("retries", "1"), Pair("time_reopen", "1"),
                          Pair("batch_size", "1")));
}

TEST(WorkerTest, ErrorCounterResetsOnSuccess) {
  Harness h;
  FakeDriver::Script s;
  // m1 fails once, m2 fails twice: without the reset on SUCCESS, m2's second
  // failure would be the third in a row and drop it.
  s.send = [](const std::string& text, int n) {
    if (text == "m1" && n == 1) return DeliveryResult::kError;
    if (text == "m2" && (n == 3 || n == 4)) {
      return DeliveryResult::kError;
    }
    return DeliveryResult::kSuccess;
  };
  h.AddDriver(s);
  h.Build();
  h.Send("m1");
  h.Send("m2");
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(2));
  EXPECT_THAT(h.outcomes(), ElementsAre(Pair("m1", Outcome::kDelivered),
                                        Pair("m2", Outcome::kDelivered)));
}

TEST(WorkerTest, RetriesOneDropsAtFirstErrorWithoutReconnect) {
  Harness h;
  h.options.retries = 1;
  h.AddDriver(SendAlways(DeliveryResult::kError));
  ASSERT_TRUE(h.RunToShutdown({"m1", "m2"}));
  EXPECT_EQ(h.driver().Sequence(),
            "open is_opened is_opened send(m1) is_opened send(m2) flush flush "
            "is_opened close");
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("m1", Outcome::kDroppedRetriesExhausted),
                          Pair("m2", Outcome::kDroppedRetriesExhausted)));
}

TEST(WorkerTest, DropResultDropsWholeBatchAndReopens) {
  Harness h;
  FakeDriver::Script s;
  s.send = [](const std::string& text, int) {
    return text == "m2" ? DeliveryResult::kDrop
                              : DeliveryResult::kQueued;
  };
  h.AddDriver(s);
  h.options.batch_lines = 10;
  h.options.batch_timeout = absl::Milliseconds(1000);
  ASSERT_TRUE(h.RunToShutdown({"m1", "m2"}));
  EXPECT_EQ(h.driver().Sequence(),
            "open is_opened is_opened send(m1) is_opened send(m2) is_opened "
            "close open is_opened flush is_opened close");
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("m1", Outcome::kDroppedByDestination),
                          Pair("m2", Outcome::kDroppedByDestination)));
  EXPECT_EQ(h.CountLogs(
                "Message(s) dropped while sending message to destination"),
            1);
  EXPECT_EQ(h.delivery().stats().reopens, 1u);
}

TEST(WorkerTest, NotConnectedRewindsAndReconnects) {
  Harness h;
  FakeDriver::Script s;
  s.send = [](const std::string&, int n) {
    return n <= 2 ? DeliveryResult::kNotConnected
                        : DeliveryResult::kSuccess;
  };
  h.AddDriver(s);
  ASSERT_TRUE(h.RunToShutdown({"m1"}));
  EXPECT_EQ(h.driver().Sequence(),
            "open is_opened "
            "is_opened send(m1) is_opened close open is_opened "
            "is_opened send(m1) is_opened close open is_opened "
            "is_opened send(m1) flush flush is_opened close");
  EXPECT_THAT(h.outcomes(), ElementsAre(Pair("m1", Outcome::kDelivered)));
  EXPECT_EQ(h.CountLogs("Server disconnected while preparing messages for "
                        "sending, trying again"),
            2);
  EXPECT_EQ(h.logs()[0].level, LogRecord::Level::kInfo);
}

TEST(WorkerTest, IsOpenedFalseBeforeSendReopensAndNotConnectedWhenOpenFails) {
  Harness h;
  FakeDriver::Script s;
  // is_opened(): 1 = after the start-up open, 2 = before send(m1) -> false;
  // then open() fails once (NOT_CONNECTED without send()), and works after.
  s.is_opened = [](int n) { return n != 2; };
  s.open = [](int n) { return n != 2; };
  h.AddDriver(s);
  ASSERT_TRUE(h.RunToShutdown({"m1"}));
  EXPECT_EQ(h.driver().Sequence(),
            "open is_opened is_opened open is_opened close open is_opened "
            "is_opened send(m1) flush flush is_opened close");
  EXPECT_THAT(h.outcomes(), ElementsAre(Pair("m1", Outcome::kDelivered)));
}

TEST(WorkerTest, RetryEveryThirdBecomesNotConnected) {
  Harness h;
  FakeDriver::Script s;
  s.send = [](const std::string&, int n) {
    return n <= 3 ? DeliveryResult::kRetry : DeliveryResult::kSuccess;
  };
  h.AddDriver(s);
  ASSERT_TRUE(h.RunToShutdown({"m1"}));
  EXPECT_EQ(h.driver().Sequence(),
            "open is_opened "
            "is_opened send(m1) flush is_opened send(m1) flush "
            "is_opened send(m1) is_opened close open is_opened "
            "is_opened send(m1) flush flush is_opened close");
  EXPECT_THAT(h.outcomes(), ElementsAre(Pair("m1", Outcome::kDelivered)));
}

TEST(WorkerTest, RetryCounterIsNotResetBySuccess) {
  Harness h;
  FakeDriver::Script s;
  // RETRY, SUCCESS (m1), RETRY, RETRY (m2): the fourth call is the third
  // RETRY and becomes NOT_CONNECTED (close + reopen).
  s.send = [](const std::string&, int n) {
    return n == 2 || n >= 5 ? DeliveryResult::kSuccess
                                  : DeliveryResult::kRetry;
  };
  h.AddDriver(s);
  ASSERT_TRUE(h.RunToShutdown({"m1", "m2"}));
  EXPECT_EQ(h.driver().Sequence(),
            "open is_opened "
            "is_opened send(m1) flush is_opened send(m1) is_opened send(m2) "
            "flush is_opened send(m2) is_opened close open is_opened "
            "is_opened send(m2) flush flush is_opened close");
}

TEST(WorkerTest, ExponentialBackoffGrowsSuspensionUpToCap) {
  Harness h;
  h.options.backoff.kind = ReopenBackoff::Kind::kExponential;
  h.options.backoff.multiplier = 2;
  h.options.backoff.max_interval = absl::Seconds(5);
  h.options.backoff.jitter = 0;
  FakeDriver::Script s;
  s.open = [](int n) { return n > 5; };  // 5 failed opens
  h.AddDriver(s);
  h.Build();
  h.Send("m1");
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(1));
  // 1 + 2 + 4 + 5 + 5 seconds.
  EXPECT_EQ(h.delivery().stats().suspended_ms, 17000u);
  EXPECT_EQ(h.delivery().stats().reopens, 5u);
}

TEST(WorkerTest, ExplicitTimeReopenIsHonoured) {
  Harness h;
  h.options.time_reopen = absl::Seconds(7);
  FakeDriver::Script s;
  s.open = [](int n) { return n > 1; };
  h.AddDriver(s);
  h.Build();
  h.Send("m1");
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(1));
  EXPECT_EQ(h.delivery().stats().suspended_ms, 7000u);
  EXPECT_GE(h.clock().Now(), absl::UnixEpoch() + absl::Seconds(7));
}

TEST(WorkerTest, MaxAttemptsDropsAfterNotConnectedLoops) {
  Harness h;
  h.options.backoff.max_attempts = 3;
  h.AddDriver(SendAlways(DeliveryResult::kNotConnected));
  h.Build();
  h.Send("m1");
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(1));
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("m1", Outcome::kDroppedRetriesExhausted)));
  int sends = 0;
  for (const FakeCall& c : h.driver().calls()) sends += c.call == "send(m1)";
  EXPECT_EQ(sends, 3);
}

TEST(WorkerTest, MaxAttemptsAlsoCapsRetryLoops) {
  Harness h;
  h.options.backoff.max_attempts = 2;
  h.AddDriver(SendAlways(DeliveryResult::kRetry));
  h.Build();
  h.Send("m1");
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(1));
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("m1", Outcome::kDroppedRetriesExhausted)));
  int sends = 0;
  for (const FakeCall& c : h.driver().calls()) sends += c.call == "send(m1)";
  EXPECT_EQ(sends, 2 * kRetryLimit);
}

TEST(WorkerTest, EachWorkerOpensItsOwnDriverOnItsOwnThread) {
  Harness h;
  h.AddDriver({});
  h.AddDriver({});
  h.Start();
  ASSERT_TRUE(h.clock().WaitIdle(2));
  ASSERT_TRUE(h.ShutdownNow().ok());
  EXPECT_EQ(h.driver(0).Sequence(), "open is_opened flush is_opened close");
  EXPECT_EQ(h.driver(1).Sequence(), "open is_opened flush is_opened close");
  EXPECT_NE(h.driver(0).calls()[0].thread, h.driver(1).calls()[0].thread);
}

}  // namespace
}  // namespace pydest::internal
