// Messages through the host into Python: what each send() result does
// (syslog-ng-behaviour.md §3.1), many threads sending at once, and
// TrySendBatch keeping order.
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "pydest/host.h"
#include "pydest/outcome_report.h"
#include "tests/host/host_test_util.h"

namespace pydest {
namespace {

class SendResultTest : public testing::TestWithParam<const char*> {};

// send() raising, returning False/None/a string/a float/an out-of-range
// int, SystemExit and KeyboardInterrupt: all are ERROR, so the
// message is retried and dropped, and the process lives on.
TEST_P(SendResultTest, ErrorResultsRetryThenDrop) {
  HostRun run("BehaveDest", {{"send_ret", GetParam()}});
  run.options.time_reopen = absl::Milliseconds(10);
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"m1", "m2"});
  ASSERT_TRUE(run.WaitOutcomes(2));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  run.ExpectOneOutcomeEach({"m1", "m2"}, Outcome::kDroppedRetriesExhausted);
  int sends = 0;
  for (const auto& c : run.Calls()) sends += c["call"] == "send";
  EXPECT_EQ(sends, 6);  // retries(3) per message
  EXPECT_EQ(run.host().stats().dropped_retries_exhausted, 2u);
}

INSTANTIATE_TEST_SUITE_P(Results, SendResultTest,
                         testing::Values("false", "none", "str", "float", "7",
                                         "-1", "1", "raise", "exit",
                                         "keyboard"),
                         [](const auto& info) {
                           std::string n = info.param;
                           return n == "-1" ? std::string("minus1")
                                            : "ret_" + n;
                         });

TEST(HostTest, SendReturningDropConstantDropsMessage) {
  HostRun run("BehaveDest", {{"send_ret", "0"}});
  run.options.time_reopen = absl::Milliseconds(10);
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"m1"});
  ASSERT_TRUE(run.WaitOutcomes(1));
  run.ExpectOneOutcomeEach({"m1"}, Outcome::kDroppedByDestination);
}

// The host's context goes with each message through Python and back to
// on_outcome_report, on every path in: Send, TrySend, TrySendBatch.
TEST(HostTest, OutcomeReportsCarryTheContextHandedOver) {
  HostRun run("BehaveDest", {});
  absl::Mutex mu;
  std::map<std::string, OutcomeReport> reports;
  run.options.on_outcome_report = [&](const Message& m,
                                      const OutcomeReport& r) {
    absl::MutexLock lock(&mu);
    reports[std::string(m.text())] = r;
  };
  ASSERT_TRUE(run.Create().ok());
  ASSERT_TRUE(run.host().Send(TextMessage("s"), 1).ok());
  ASSERT_TRUE(run.host().TrySend(TextMessage("t"), 2));
  const std::vector<Message> batch = {TextMessage("b1"), TextMessage("b2")};
  const std::vector<uint64_t> contexts = {3, 4};
  ASSERT_EQ(run.host().TrySendBatch(batch, contexts), 2u);
  ASSERT_TRUE(run.host().Send(TextMessage("none")).ok());
  ASSERT_TRUE(run.WaitOutcomes(5));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  absl::MutexLock lock(&mu);
  const std::map<std::string, uint64_t> expected = {
      {"s", 1}, {"t", 2}, {"b1", 3}, {"b2", 4}, {"none", 0}};
  ASSERT_EQ(reports.size(), expected.size());
  for (const auto& [text, context] : expected) {
    EXPECT_EQ(reports[text].context, context) << text;
    EXPECT_EQ(reports[text].outcome, Outcome::kDelivered) << text;
    EXPECT_FALSE(reports[text].retryable) << text;
  }
}

TEST(HostTest, TenHostThreadsSendConcurrently) {
  HostRun run("BehaveDest", {});
  run.options.workers = 2;
  ASSERT_TRUE(run.Create().ok());
  constexpr int kThreads = 10, kPerThread = 100;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&run, t] {
      for (int i = 0; i < kPerThread; ++i) {
        EXPECT_TRUE(run.host()
                        .Send(TextMessage(absl::StrCat("t", t, "-", i)))
                        .ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_TRUE(run.host().Flush(In(absl::Seconds(60))).ok());
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(10))).ok());
  auto all = run.outcomes();
  ASSERT_EQ(all.size(), size_t{kThreads * kPerThread});
  for (auto& [text, list] : all) {
    ASSERT_EQ(list.size(), 1u) << text;
    EXPECT_EQ(list[0], Outcome::kDelivered) << text;
  }
  const DestinationStats s = run.host().stats();
  EXPECT_EQ(s.delivered, uint64_t{kThreads * kPerThread});
  EXPECT_EQ(s.processed, s.queued);
}

TEST(HostTest, TrySendBatchReachesPythonInOrderWithOneOutcomeEach) {
  HostRun run("BehaveDest", {});
  ASSERT_TRUE(run.Create().ok());
  std::vector<std::string> texts;
  std::vector<Message> batch;
  for (int i = 0; i < 300; ++i) {  // more than one 256-message slice
    texts.push_back(absl::StrCat("m", i));
    batch.push_back(TextMessage(texts.back()));
  }
  ASSERT_EQ(run.host().TrySendBatch(batch), batch.size());
  ASSERT_TRUE(run.host().Flush(In(absl::Seconds(60))).ok());
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(10))).ok());
  run.ExpectOneOutcomeEach(texts, Outcome::kDelivered);
  EXPECT_EQ(run.outcomes().size(), texts.size());
  std::vector<std::string> sent;
  for (const auto& c : run.Calls()) {
    if (c["call"] == "send") sent.push_back(c["msg"].get<std::string>());
  }
  EXPECT_EQ(sent, texts);
}

}  // namespace
}  // namespace pydest
