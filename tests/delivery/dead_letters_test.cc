// Dead letters (include/pydest/dead_letter_spec.h): every drop, whichever
// thread settles it, reaches the destination's DeadLetterSink exactly once
// and before the host's outcome callbacks; deliveries and messages kept in
// a disk buffer never do; what the sink refuses is counted.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "libpydest/delivery/dead_letter_sink.h"
#include "pydest/outcome.h"
#include "tests/delivery/harness.h"

namespace pydest::internal {
namespace {

// Takes (or refuses) every dead letter and remembers it by text.
class RecordingSink : public DeadLetterSink {
 public:
  explicit RecordingSink(bool accept = true) : accept_(accept) {}

  size_t Keep(const QueuedMessage* messages, size_t n, Outcome outcome,
              absl::Time /*when*/) override {
    absl::MutexLock lock(&mu_);
    for (size_t i = 0; i < n; ++i) {
      EXPECT_TRUE(
          by_text_.emplace(std::string(messages[i].message.text()), outcome)
              .second)
          << "second dead letter for " << messages[i].message.text();
      contexts_[std::string(messages[i].message.text())] =
          messages[i].context;
    }
    return accept_ ? n : 0;
  }
  absl::Status Flush(absl::Time) override { return absl::OkStatus(); }
  absl::Status Shutdown(absl::Time) override { return absl::OkStatus(); }

  bool Has(const std::string& text) {
    absl::MutexLock lock(&mu_);
    return by_text_.count(text) > 0;
  }
  std::map<std::string, Outcome> by_text() {
    absl::MutexLock lock(&mu_);
    return by_text_;
  }
  uint64_t context(const std::string& text) {
    absl::MutexLock lock(&mu_);
    return contexts_[text];
  }

 private:
  const bool accept_;
  absl::Mutex mu_;
  std::map<std::string, Outcome> by_text_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, uint64_t> contexts_ ABSL_GUARDED_BY(mu_);
};

TEST(DeadLettersTest, EveryKindOfDropReachesTheSinkOnce) {
  Harness h;
  auto sink = std::make_shared<RecordingSink>();
  h.options.retries = 1;
  h.options.log_fifo_size = 3;
  h.options.overflow = OverflowPolicy::kDropOldest;
  FakeDriver::Script s;
  s.send = [](const std::string& text, int) {
    if (text == "drop") return DeliveryResult::kDrop;
    if (text == "fail") return DeliveryResult::kError;
    return DeliveryResult::kSuccess;
  };
  h.AddDriver(s);
  h.Build();
  h.delivery().SetDeadLetters(sink);
  // Not started yet: "first" is pushed out of the 3-message queue.
  ASSERT_TRUE(h.delivery().Send(TextMessage("first"), 7).ok());
  ASSERT_TRUE(h.delivery().Send(TextMessage("ok"), 8).ok());
  ASSERT_TRUE(h.delivery().Send(TextMessage("drop")).ok());
  ASSERT_TRUE(h.delivery().Send(TextMessage("fail")).ok());
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(4));
  ASSERT_TRUE(h.ShutdownNow().ok());
  EXPECT_FALSE(h.delivery().Send(TextMessage("late"), 9).ok());

  const std::map<std::string, Outcome> expected = {
      {"first", Outcome::kDroppedQueueOverflow},
      {"drop", Outcome::kDroppedByDestination},
      {"fail", Outcome::kDroppedRetriesExhausted},
      {"late", Outcome::kDroppedNotAccepted}};
  EXPECT_EQ(sink->by_text(), expected);
  EXPECT_FALSE(sink->Has("ok"));
  EXPECT_EQ(sink->context("first"), 7u);
  EXPECT_EQ(sink->context("late"), 9u);
  const DestinationStats stats = h.delivery().stats();
  EXPECT_EQ(stats.dead_lettered, 4u);
  EXPECT_EQ(stats.dead_letter_failed, 0u);
  EXPECT_EQ(stats.dropped(), 4u);
}

TEST(DeadLettersTest, WhatIsQueuedAtTheShutdownDeadlineIsDeadLettered) {
  Harness h;
  auto sink = std::make_shared<RecordingSink>();
  h.AddDriver({});
  h.Build();  // never started: everything is still queued at shutdown
  h.delivery().SetDeadLetters(sink);
  for (const char* text : {"a", "b", "c"}) h.Send(text);
  ASSERT_TRUE(h.ShutdownNow().ok());
  const std::map<std::string, Outcome> expected = {
      {"a", Outcome::kDroppedShutdown},
      {"b", Outcome::kDroppedShutdown},
      {"c", Outcome::kDroppedShutdown}};
  EXPECT_EQ(sink->by_text(), expected);
  EXPECT_EQ(h.delivery().stats().dead_lettered, 3u);
}

TEST(DeadLettersTest, TheSinkHasTheMessageBeforeTheHostSeesTheOutcome) {
  Harness h;
  auto sink = std::make_shared<RecordingSink>();
  bool seen_first = true;
  h.options.on_outcome = [&](const Message& m, Outcome) {
    if (!sink->Has(std::string(m.text()))) seen_first = false;
  };
  FakeDriver::Script s;
  s.send = [](const std::string&, int) { return DeliveryResult::kDrop; };
  h.AddDriver(s);
  h.Build();
  h.delivery().SetDeadLetters(sink);
  for (int i = 0; i < 50; ++i) h.Send("m" + std::to_string(i));
  h.Start();
  ASSERT_TRUE(h.delivery().Flush(absl::Now() + absl::Seconds(20)).ok());
  // Flush returned: every drop was taken, and was taken first.
  EXPECT_EQ(sink->by_text().size(), 50u);
  EXPECT_TRUE(seen_first);
}

TEST(DeadLettersTest, ARefusingSinkCountsEveryDropAsFailed) {
  Harness h;
  auto sink = std::make_shared<RecordingSink>(/*accept=*/false);
  FakeDriver::Script s;
  s.send = [](const std::string& text, int) {
    return text == "keep" ? DeliveryResult::kSuccess : DeliveryResult::kDrop;
  };
  h.AddDriver(s);
  h.Build();
  h.delivery().SetDeadLetters(sink);
  for (const char* text : {"x", "keep", "y"}) h.Send(text);
  h.Start();
  ASSERT_TRUE(h.WaitOutcomes(3));
  const DestinationStats stats = h.delivery().stats();
  EXPECT_EQ(stats.dead_lettered, 0u);
  EXPECT_EQ(stats.dead_letter_failed, 2u);
  EXPECT_EQ(stats.delivered, 1u);
  // The outcome is still the drop itself, reported once.
  EXPECT_EQ(h.OutcomeByText().at("x"), Outcome::kDroppedByDestination);
}

}  // namespace
}  // namespace pydest::internal
