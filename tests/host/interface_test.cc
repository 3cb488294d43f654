// The part of the host interface that needs no Python: the default
// TrySendBatch. (OutcomeName and DestinationStats::ToJson are tested with
// the delivery layer that defines them.)
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/host.h"
#include "tests/host/host_test_util.h"

namespace pydest {
namespace {

// A host that implements only TrySend: accepts the first `room` messages.
class TrySendOnlyHost : public PyDestinationHost {
 public:
  explicit TrySendOnlyHost(size_t room) : room_(room) {}
  using PyDestinationHost::TrySend;
  absl::Status Send(Message, uint64_t) override {
    return absl::UnimplementedError("");
  }
  bool TrySend(Message message, uint64_t context) override {
    tried.emplace_back(message.text());
    contexts.push_back(context);
    if (room_ == 0) return false;
    --room_;
    return true;
  }
  absl::Status Flush(absl::Time) override { return absl::OkStatus(); }
  absl::Status Shutdown(absl::Time) override { return absl::OkStatus(); }
  DestinationStats stats() const override { return {}; }

  std::vector<std::string> tried;
  std::vector<uint64_t> contexts;

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

TEST(HostTest, DefaultTrySendBatchPassesEachMessagesContext) {
  TrySendOnlyHost host(/*room=*/10);
  const std::vector<Message> batch = {TextMessage("a"), TextMessage("b"),
                                      TextMessage("c")};
  const std::vector<uint64_t> contexts = {7, 8};
  EXPECT_EQ(host.TrySendBatch(batch, contexts), 3u);
  // Past the end of the contexts, 0.
  EXPECT_THAT(host.contexts, testing::ElementsAre(7, 8, 0));
  EXPECT_TRUE(host.TrySend(TextMessage("d")));
  EXPECT_EQ(host.contexts.back(), 0u);
}

}  // namespace
}  // namespace pydest
