// The parts of the host interface that need no Python: the default
// TrySendBatch, OutcomeName and DestinationStats::ToJson.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "pydest/host.h"
#include "tests/host/host_test_util.h"

namespace pydest {
namespace {

// A host that implements only TrySend: accepts the first `room` messages.
class TrySendOnlyHost : public PyDestinationHost {
 public:
  explicit TrySendOnlyHost(size_t room) : room_(room) {}
  absl::Status Send(Message) override { return absl::UnimplementedError(""); }
  bool TrySend(Message message) override {
    tried.emplace_back(message.text());
    if (room_ == 0) return false;
    --room_;
    return true;
  }
  absl::Status Flush(absl::Time) override { return absl::OkStatus(); }
  absl::Status Shutdown(absl::Time) override { return absl::OkStatus(); }
  DestinationStats stats() const override { return {}; }

  std::vector<std::string> tried;

 private:
  size_t room_;
};

TEST(HostTest, DefaultTrySendBatchStopsAtTheFirstRefusal) {
  TrySendOnlyHost host(/*room=*/2);
  const std::vector<Message> batch = {TextMessage("a"), TextMessage("b"),
                                      TextMessage("c"), TextMessage("d")};
  EXPECT_EQ(host.TrySendBatch(batch), 2u);
  // c was refused; d was never offered.
  EXPECT_THAT(host.tried, testing::ElementsAre("a", "b", "c"));
  EXPECT_EQ(host.TrySendBatch({}), 0u);
  EXPECT_EQ(TrySendOnlyHost(10).TrySendBatch(batch), 4u);
}

TEST(HostTest, StatsToJsonHasEveryCounter) {
  DestinationStats s;
  s.queued = 5;
  s.delivered = 3;
  s.dropped_shutdown = 2;
  s.processed = 5;
  const auto j = nlohmann::json::parse(s.ToJson());
  for (const char* key :
       {"queued", "processed", "delivered", "dropped", "dropped_by_destination",
        "dropped_retries_exhausted", "dropped_on_error",
        "dropped_queue_overflow", "dropped_shutdown", "dropped_not_accepted",
        "retries", "reopens", "suspended_ms", "python_exceptions", "batches",
        "casting_errors", "queue_depth", "queue_capacity",
        "late_completions", "written_bytes"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["delivered"], 3);
  EXPECT_EQ(j["dropped"], 2);
}

TEST(HostTest, OutcomeNameNamesEveryOutcome) {
  EXPECT_STREQ(OutcomeName(Outcome::kDelivered), "delivered");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedByDestination),
               "dropped_by_destination");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedRetriesExhausted),
               "dropped_retries_exhausted");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedOnError), "dropped_on_error");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedQueueOverflow),
               "dropped_queue_overflow");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedShutdown), "dropped_shutdown");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedNotAccepted),
               "dropped_not_accepted");
}

}  // namespace
}  // namespace pydest
