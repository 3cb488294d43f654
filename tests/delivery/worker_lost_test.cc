// kWorkerLost (isolation(process): the worker process died in a call) in
// the state machine, with scripted drivers: a failed try of the message in
// flight, the others offered again, and a message that dies on every one
// of retries() tries dropped alone as kDroppedPoison.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/delivery/harness.h"

namespace pydest::internal {
namespace {

using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(WorkerLostTest, ADeathInSendIsAFailedTryAndTheMessageGoesAgain) {
  Harness h;
  h.options.retries = 3;
  FakeDriver::Script script;
  script.send = [](const std::string& text, int n) {
    // m2 kills its worker the first time only.
    return text == "m2" && n == 2 ? DeliveryResult::kWorkerLost
                                  : DeliveryResult::kSuccess;
  };
  h.AddDriver(script);
  ASSERT_TRUE(h.RunToShutdown({"m1", "m2", "m3"}));
  EXPECT_THAT(h.outcomes(),
              UnorderedElementsAre(Pair("m1", Outcome::kDelivered),
                                   Pair("m2", Outcome::kDelivered),
                                   Pair("m3", Outcome::kDelivered)));
  EXPECT_EQ(h.CountLogs("The worker process died while sending; trying again"), 1);
  EXPECT_EQ(h.delivery().stats().retries, 1u);
}

TEST(WorkerLostTest, APoisonMessageIsDroppedAloneAndQueuedOnesGoAgain) {
  Harness h;
  h.options.retries = 3;
  h.options.batch_lines = 10;
  FakeDriver::Script script;
  script.send = [](const std::string& text, int) {
    if (text == "c") return DeliveryResult::kWorkerLost;
    return DeliveryResult::kQueued;
  };
  h.AddDriver(script);
  ASSERT_TRUE(h.RunToShutdown({"a", "b", "c", "d"}));
  // a and b were QUEUED in the worker that died: offered again each time,
  // delivered by the flush once c is gone.
  EXPECT_THAT(h.outcomes(),
              UnorderedElementsAre(Pair("a", Outcome::kDelivered),
                                   Pair("b", Outcome::kDelivered),
                                   Pair("c", Outcome::kDroppedPoison),
                                   Pair("d", Outcome::kDelivered)));
  EXPECT_EQ(h.CountLogs(
                "The worker process died in send() of the same message on "
                "every try; dropping it as a poison message"), 1);
  int sends_of_c = 0;
  for (const FakeCall& call : h.driver().calls()) {
    if (call.call == "send(c)") ++sends_of_c;
  }
  EXPECT_EQ(sends_of_c, 3);
}

TEST(WorkerLostTest, DeathsOfDifferentMessagesAreNotPoison) {
  Harness h;
  h.options.retries = 2;
  FakeDriver::Script script;
  // Each message kills its worker once: no message reaches two deaths.
  script.send = [](const std::string& text, int n) {
    (void)text;
    return n % 2 == 1 ? DeliveryResult::kWorkerLost : DeliveryResult::kSuccess;
  };
  h.AddDriver(script);
  ASSERT_TRUE(h.RunToShutdown({"x1", "x2", "x3"}));
  EXPECT_THAT(h.outcomes(),
              UnorderedElementsAre(Pair("x1", Outcome::kDelivered),
                                   Pair("x2", Outcome::kDelivered),
                                   Pair("x3", Outcome::kDelivered)));
}

TEST(WorkerLostTest, ADeathInFlushRetriesThePendingBatchAsAnError) {
  Harness h;
  h.options.retries = 2;
  h.options.batch_lines = 2;
  FakeDriver::Script script;
  script.send = [](const std::string&, int) { return DeliveryResult::kQueued; };
  script.flush = [](int) { return DeliveryResult::kWorkerLost; };
  h.AddDriver(script);
  ASSERT_TRUE(h.RunToShutdown({"q1", "q2"}));
  EXPECT_THAT(h.outcomes(),
              UnorderedElementsAre(
                  Pair("q1", Outcome::kDroppedRetriesExhausted),
                  Pair("q2", Outcome::kDroppedRetriesExhausted)));
  EXPECT_EQ(h.CountLogs("The worker process died while flushing; trying again"), 1);
  EXPECT_EQ(h.CountLogs(
                "The worker process died on every try, message(s) dropped"), 1);
}

}  // namespace
}  // namespace pydest::internal
