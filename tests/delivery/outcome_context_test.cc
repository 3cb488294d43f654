// The host's context and the retryable flag (include/pydest/outcome_report.h)
// reach on_outcome_report with every outcome, whichever thread settles it:
// a worker (delivered, DROP, retries exhausted), the sending thread (queue
// overflow, not accepted) and the shutting-down one (shutdown).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/outcome.h"
#include "pydest/outcome_report.h"
#include "tests/delivery/harness.h"

namespace pydest::internal {
namespace {

// What on_outcome_report received, by message text.
class Reports {
 public:
  void Attach(DestinationOptions& options) {
    options.on_outcome_report = [this](const Message& m,
                                       const OutcomeReport& r) {
      absl::MutexLock lock(&mu_);
      EXPECT_TRUE(by_text_.emplace(std::string(m.text()), r).second)
          << "second report for " << m.text();
      changed_.SignalAll();
    };
  }
  // The harness waits for on_outcome, which runs just before
  // on_outcome_report: wait for the reports themselves.
  bool WaitFor(size_t n) {
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    absl::MutexLock lock(&mu_);
    while (by_text_.size() < n) {
      if (changed_.WaitWithDeadline(&mu_, deadline)) break;
    }
    return by_text_.size() >= n;
  }
  OutcomeReport Of(const std::string& text) {
    absl::MutexLock lock(&mu_);
    auto it = by_text_.find(text);
    EXPECT_NE(it, by_text_.end()) << "no report for " << text;
    return it == by_text_.end() ? OutcomeReport{} : it->second;
  }
  size_t size() {
    absl::MutexLock lock(&mu_);
    return by_text_.size();
  }

 private:
  absl::Mutex mu_;
  absl::CondVar changed_;
  std::map<std::string, OutcomeReport> by_text_ ABSL_GUARDED_BY(mu_);
};

void ExpectReport(const OutcomeReport& r, Outcome outcome, uint64_t context,
                  bool retryable) {
  EXPECT_EQ(r.outcome, outcome) << OutcomeName(r.outcome);
  EXPECT_EQ(r.context, context);
  EXPECT_EQ(r.retryable, retryable);
}

TEST(OutcomeContextTest, WorkerOutcomesCarryTheirContext) {
  Harness h;
  Reports reports;
  reports.Attach(h.options);
  h.options.retries = 1;
  FakeDriver::Script s;
  s.send = [](const std::string& text, int) {
    if (text == "drop") return DeliveryResult::kDrop;
    if (text == "fail") return DeliveryResult::kError;
    return DeliveryResult::kSuccess;
  };
  h.AddDriver(s);
  h.Build();
  ASSERT_TRUE(h.delivery().Send(TextMessage("ok"), 11).ok());
  ASSERT_TRUE(h.delivery().TrySend(TextMessage("drop"), 12));
  ASSERT_TRUE(h.delivery().Send(TextMessage("fail"), UINT64_MAX).ok());
  h.Start();
  ASSERT_TRUE(reports.WaitFor(3));
  ExpectReport(reports.Of("ok"), Outcome::kDelivered, 11, false);
  ExpectReport(reports.Of("drop"), Outcome::kDroppedByDestination, 12, false);
  ExpectReport(reports.Of("fail"), Outcome::kDroppedRetriesExhausted,
               UINT64_MAX, true);
  // on_outcome, set by the harness, still ran for each.
  EXPECT_EQ(h.outcomes().size(), 3u);
}

TEST(OutcomeContextTest, OverflowAndShutdownOutcomesCarryTheirContext) {
  Harness h;
  Reports reports;
  reports.Attach(h.options);
  h.options.log_fifo_size = 2;
  h.options.overflow = OverflowPolicy::kDropOldest;
  h.AddDriver({});
  h.Build();  // not started: the queue only fills
  ASSERT_TRUE(h.delivery().Send(TextMessage("a"), 1).ok());
  ASSERT_TRUE(h.delivery().Send(TextMessage("b"), 2).ok());
  // c pushes a out.
  ASSERT_TRUE(h.delivery().Send(TextMessage("c"), 3).ok());
  ExpectReport(reports.Of("a"), Outcome::kDroppedQueueOverflow, 1, true);
  ASSERT_TRUE(h.ShutdownNow().ok());
  ExpectReport(reports.Of("b"), Outcome::kDroppedShutdown, 2, true);
  ExpectReport(reports.Of("c"), Outcome::kDroppedShutdown, 3, true);
  // After shutdown began: refused, with its context.
  EXPECT_FALSE(h.delivery().Send(TextMessage("late"), 4).ok());
  ExpectReport(reports.Of("late"), Outcome::kDroppedNotAccepted, 4, true);
  EXPECT_EQ(reports.size(), 4u);
}

TEST(OutcomeContextTest, TrySendBatchPairsContextsWithMessages) {
  Harness h;
  Reports reports;
  reports.Attach(h.options);
  h.options.log_fifo_size = 1;
  h.options.overflow = OverflowPolicy::kDropNewest;
  h.AddDriver({});
  h.Build();
  const std::vector<Message> batch = {TextMessage("x"), TextMessage("y"),
                                      TextMessage("z")};
  const std::vector<uint64_t> contexts = {100, 200};
  ASSERT_EQ(h.delivery().TrySendBatch(batch, contexts), 3u);
  // y and z found the queue full; z is past the contexts given: 0.
  ExpectReport(reports.Of("y"), Outcome::kDroppedQueueOverflow, 200, true);
  ExpectReport(reports.Of("z"), Outcome::kDroppedQueueOverflow, 0, true);
  h.Start();
  ASSERT_TRUE(reports.WaitFor(3));
  ExpectReport(reports.Of("x"), Outcome::kDelivered, 100, false);
}

TEST(OutcomeContextTest, OnlyCircumstantialDropsAreRetryable) {
  EXPECT_FALSE(IsRetryable(Outcome::kDelivered));
  EXPECT_FALSE(IsRetryable(Outcome::kDroppedByDestination));
  EXPECT_FALSE(IsRetryable(Outcome::kDroppedOnError));
  EXPECT_TRUE(IsRetryable(Outcome::kDroppedRetriesExhausted));
  EXPECT_TRUE(IsRetryable(Outcome::kDroppedQueueOverflow));
  EXPECT_TRUE(IsRetryable(Outcome::kDroppedShutdown));
  EXPECT_TRUE(IsRetryable(Outcome::kDroppedNotAccepted));
  static_assert(IsRetryable(Outcome::kDroppedShutdown), "usable at compile time");
}

}  // namespace
}  // namespace pydest::internal
