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

}  // namespace
}  // namespace pydest
