// Messages through the host into Python: what each send() result does
// (syslog-ng-behaviour.md §3.1), many threads sending at once, and
// TrySendBatch keeping order.
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "pydest/host.h"
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
