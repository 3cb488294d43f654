// The prepare stage: a Preparer runs on its own thread over every message
// before a worker takes it (MessageQueue staging, PrepareStage), without
// changing order, outcomes, overflow or shutdown.
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libpydest/delivery/message_queue.h"
#include "libpydest/delivery/preparer.h"
#include "tests/delivery/harness.h"

namespace pydest::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

struct TextPrepared : PreparedMessage {
  std::string upper;
};

// Marks every message; optionally blocks inside Prepare until released.
class FakePreparer : public Preparer {
 public:
  void Prepare(QueuedMessage* const* messages, size_t count) override {
    if (!entered_.HasBeenNotified()) entered_.Notify();
    if (block_) release_.WaitForNotification();
    for (size_t i = 0; i < count; ++i) {
      auto p = std::make_shared<TextPrepared>();
      p->upper = std::string(messages[i]->message.text());
      p->refused = p->upper == refuse_;
      messages[i]->prepared = std::move(p);
    }
    prepared_.fetch_add(count);
  }
  void Block() { block_ = true; }
  // Messages with this text are refused (on-error(drop-message)).
  void Refuse(std::string text) { refuse_ = std::move(text); }
  void Release() { release_.Notify(); }
  // Waits until Prepare was first called.
  bool WaitEntered() {
    return entered_.WaitForNotificationWithTimeout(absl::Seconds(20));
  }
  size_t prepared() const { return prepared_.load(); }

 private:
  std::atomic<bool> block_{false};
  absl::Notification entered_;
  absl::Notification release_;
  std::atomic<size_t> prepared_{0};
  std::string refuse_;
};

std::vector<std::string> Texts(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(absl::StrCat("m", i));
  return out;
}

TEST(PrepareTest, EveryMessageReachesTheDriverPreparedAndInOrder) {
  Harness h;
  h.AddDriver({});
  auto preparer = std::make_shared<FakePreparer>();
  h.preparer = preparer;
  const std::vector<std::string> texts = Texts(500);
  ASSERT_TRUE(h.RunToShutdown(texts));
  EXPECT_EQ(preparer->prepared(), 500u);
  std::vector<std::string> sends;
  for (const FakeCall& c : h.driver().calls()) {
    if (c.call.rfind("send(", 0) == 0) sends.push_back(c.call);
  }
  ASSERT_EQ(sends.size(), 500u);
  for (size_t i = 0; i < sends.size(); ++i) {
    EXPECT_EQ(sends[i], absl::StrCat("send(m", i, " prepared)"));
  }
  const auto outcomes = h.outcomes();
  ASSERT_EQ(outcomes.size(), 500u);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    EXPECT_THAT(outcomes[i], Pair(absl::StrCat("m", i), Outcome::kDelivered));
  }
}

TEST(PrepareTest, ABatchGoesThroughThePrepareStageInOrder) {
  Harness h;
  h.AddDriver({});
  auto preparer = std::make_shared<FakePreparer>();
  h.preparer = preparer;
  h.Start();
  std::vector<Message> batch;
  for (const std::string& t : Texts(300)) batch.push_back(TextMessage(t));
  ASSERT_EQ(h.delivery().TrySendBatch(batch), 300u);
  ASSERT_TRUE(h.WaitOutcomes(300));
  ASSERT_TRUE(h.ShutdownNow().ok());
  EXPECT_EQ(preparer->prepared(), 300u);
  std::vector<std::string> sends;
  for (const FakeCall& c : h.driver().calls()) {
    if (c.call.rfind("send(", 0) == 0) sends.push_back(c.call);
  }
  ASSERT_EQ(sends.size(), 300u);
  for (size_t i = 0; i < sends.size(); ++i) {
    EXPECT_EQ(sends[i], absl::StrCat("send(m", i, " prepared)"));
  }
  EXPECT_EQ(h.OutcomeByText().size(), 300u);
}

TEST(PrepareTest, ARefusedMessageIsDroppedOnErrorAndNeverSent) {
  Harness h;
  h.AddDriver({});
  auto preparer = std::make_shared<FakePreparer>();
  preparer->Refuse("bad");
  h.preparer = preparer;
  ASSERT_TRUE(h.RunToShutdown({"m1", "bad", "m2"}));
  EXPECT_THAT(h.driver().Sequence(),
              HasSubstr("send(m1 prepared) is_opened send(m2 prepared) flush"));
  EXPECT_THAT(h.OutcomeByText(),
              UnorderedElementsAre(Pair("m1", Outcome::kDelivered),
                                   Pair("bad", Outcome::kDroppedOnError),
                                   Pair("m2", Outcome::kDelivered)));
  // libpydest drops just that message: no close, suspend or reopen.
  EXPECT_EQ(h.delivery().stats().reopens, 0u);
  EXPECT_EQ(h.delivery().stats().dropped_on_error, 1u);
  EXPECT_EQ(h.delivery().stats().delivered, 2u);
}

TEST(PrepareTest, TwoWorkersShareThePreparedMessagesExactlyOnce) {
  Harness h;
  h.AddDriver({});
  h.AddDriver({});
  h.preparer = std::make_shared<FakePreparer>();
  h.Start();
  for (const std::string& t : Texts(300)) h.Send(t);
  ASSERT_TRUE(h.WaitOutcomes(300));
  ASSERT_TRUE(h.ShutdownNow().ok());
  const auto by_text = h.OutcomeByText();
  EXPECT_EQ(by_text.size(), 300u);
  for (const auto& [text, outcome] : by_text) {
    EXPECT_EQ(outcome, Outcome::kDelivered) << text;
  }
}

TEST(PrepareTest, QueueCapacityCountsMessagesBeingPrepared) {
  Harness h;
  h.AddDriver({});
  auto preparer = std::make_shared<FakePreparer>();
  preparer->Block();
  h.preparer = preparer;
  h.options.log_fifo_size = 3;
  h.options.overflow = OverflowPolicy::kDropNewest;
  h.Start();
  h.Send("a");  // taken by the prepare thread, which then blocks
  ASSERT_TRUE(preparer->WaitEntered());  // the queue still counts "a"
  h.Send("b");
  h.Send("c");
  h.Send("d");  // over capacity: dropped
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Pair("d", Outcome::kDroppedQueueOverflow)));
  preparer->Release();
  ASSERT_TRUE(h.WaitOutcomes(4));
  EXPECT_THAT(h.OutcomeByText(),
              ElementsAre(Pair("a", Outcome::kDelivered),
                          Pair("b", Outcome::kDelivered),
                          Pair("c", Outcome::kDelivered),
                          Pair("d", Outcome::kDroppedQueueOverflow)));
}

TEST(PrepareTest, ShutdownGivesUpOnAStuckPreparerAndReportsItsMessages) {
  Harness h;
  h.AddDriver({});
  auto preparer = std::make_shared<FakePreparer>();
  preparer->Block();
  h.preparer = preparer;
  h.Start();
  h.Send("held");
  ASSERT_TRUE(preparer->WaitEntered());
  h.Send("queued");
  const absl::Time now = h.clock().Now();
  const absl::Status st =
      h.delivery().Shutdown(now, now + absl::Milliseconds(100));
  EXPECT_TRUE(absl::IsDeadlineExceeded(st)) << st;
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("the prepare thread (1 message(s) dropped)"));
  EXPECT_THAT(h.OutcomeByText(),
              ElementsAre(Pair("held", Outcome::kDroppedShutdown),
                          Pair("queued", Outcome::kDroppedShutdown)));
  preparer->Release();  // the detached thread ends without reporting again
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(h.outcomes().size(), 2u);
}

// MessageQueue staging on its own.
class StagedQueueTest : public ::testing::Test {
 protected:
  QueuedMessage Take() {
    std::vector<QueuedMessage> got;
    EXPECT_TRUE(queue_.TakeToPrepare(1, &got));
    return std::move(got.at(0));
  }
  Message Text(const std::string& t) { return TextMessage(t); }

  FakeClock clock_;
  DestinationCounters counters_;
  OutcomeTracker tracker_{nullptr, 1, &clock_, &counters_};
  MessageQueue queue_{/*capacity=*/3, OverflowPolicy::kDropOldest, &tracker_,
                      &clock_, /*window=*/1};
};

TEST_F(StagedQueueTest, WorkersSeeOnlyPreparedMessages) {
  Message m = Text("a");
  ASSERT_EQ(queue_.Push(m, false, nullptr),
            MessageQueue::PushResult::kAccepted);
  std::vector<QueuedMessage> out;
  EXPECT_EQ(queue_.TryPopBatch(10, &out), 0u);
  EXPECT_FALSE(queue_.drained());
  std::vector<QueuedMessage> chunk;
  chunk.push_back(Take());
  EXPECT_FALSE(queue_.drained());  // being prepared still counts
  queue_.PutPrepared(chunk.size(), &chunk);
  EXPECT_TRUE(chunk.empty());
  ASSERT_EQ(queue_.TryPopBatch(10, &out), 1u);
  EXPECT_EQ(out[0].message.text(), "a");
  EXPECT_TRUE(queue_.drained());
}

TEST_F(StagedQueueTest, DropOldestEvictsAQueuedMessageNotOneBeingPrepared) {
  for (const char* t : {"a", "b", "c"}) {
    Message m = Text(t);
    ASSERT_EQ(queue_.Push(m, false, nullptr),
              MessageQueue::PushResult::kAccepted);
  }
  QueuedMessage a = Take();  // "a" is being prepared
  std::optional<QueuedMessage> evicted;
  Message d = Text("d");
  EXPECT_EQ(queue_.Push(d, false, &evicted),
            MessageQueue::PushResult::kAcceptedEvictedOldest);
  ASSERT_TRUE(evicted.has_value());
  EXPECT_EQ(evicted->message.text(), "b");
  EXPECT_EQ(queue_.size(), 3u);  // a (preparing), c, d
}

TEST_F(StagedQueueTest, PrepareThreadStaysWithinTheWindowUntilClose) {
  for (const char* t : {"a", "b"}) {
    Message m = Text(t);
    queue_.Push(m, false, nullptr);
  }
  std::vector<QueuedMessage> chunk;
  chunk.push_back(Take());
  queue_.PutPrepared(chunk.size(), &chunk);  // the window (1) is full now
  std::atomic<bool> took{false};
  std::thread preparer([&] {
    std::vector<QueuedMessage> got;
    took = queue_.TakeToPrepare(8, &got) && got.size() == 1;
  });
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_FALSE(took.load());  // waits for room
  queue_.Close(absl::InfiniteFuture());  // closing: prepare regardless
  preparer.join();
  EXPECT_TRUE(took.load());
}

TEST_F(StagedQueueTest, TakeToPrepareEndsWhenClosedAndEmpty) {
  queue_.Close(absl::InfiniteFuture());
  std::vector<QueuedMessage> got;
  EXPECT_FALSE(queue_.TakeToPrepare(8, &got));
}

}  // namespace
}  // namespace pydest::internal
