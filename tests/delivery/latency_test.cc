// The latency histograms of DestinationStats: which bucket a duration falls
// in, and what the workers record — every send() call in send_latency, each
// message's wait until its first send() in queue_time. Durations come from
// a FakeClock that a driver's send() moves forward: no real timing.
#include <string>

#include "gtest/gtest.h"
#include "libpydest/delivery/latency_recorder.h"
#include "pydest/latency_histogram.h"
#include "tests/delivery/harness.h"

namespace pydest::internal {
namespace {

constexpr int64_t kMicros = 1000;
constexpr int64_t kMillis = 1000 * kMicros;
constexpr int64_t kSeconds = 1000 * kMillis;
// Indexes into LatencyHistogram::kUpperBoundsSeconds.
constexpr size_t k10us = 0;
constexpr size_t k25us = 1;
constexpr size_t k5ms = 8;
constexpr size_t k10ms = 9;
constexpr size_t k10s = 18;
constexpr size_t kInf = LatencyHistogram::kBoundCount;

TEST(LatencyRecorderTest, ABoundBelongsToItsOwnBucket) {
  EXPECT_EQ(LatencyBucketOf(0), k10us);
  EXPECT_EQ(LatencyBucketOf(10 * kMicros), k10us);
  EXPECT_EQ(LatencyBucketOf(10 * kMicros + 1), k25us);
  EXPECT_EQ(LatencyBucketOf(25 * kMicros), k25us);
  EXPECT_EQ(LatencyBucketOf(10 * kSeconds), k10s);
}

TEST(LatencyRecorderTest, LongerThanTheLastBoundCountsInTheInfBucket) {
  EXPECT_EQ(LatencyBucketOf(10 * kSeconds + 1), kInf);
  EXPECT_EQ(LatencyBucketOf(3600 * kSeconds), kInf);
}

TEST(LatencyRecorderTest, SnapshotHasPerBucketCountsTheirTotalAndTheSum) {
  LatencyRecorder r;
  r.Record(4 * kMillis);
  r.Record(5 * kMillis);
  r.Record(20 * kSeconds);
  r.Record(-3);  // two threads' clocks a little apart: zero
  const LatencyHistogram h = r.Snapshot();
  EXPECT_EQ(h.counts[k10us], 1u);
  EXPECT_EQ(h.counts[k5ms], 2u);
  EXPECT_EQ(h.counts[kInf], 1u);
  EXPECT_EQ(h.count, 4u);
  EXPECT_DOUBLE_EQ(h.sum_seconds, 20.009);
  EXPECT_EQ(h.CumulativeCount(k5ms), 3u);
  EXPECT_EQ(h.CumulativeCount(kInf), 4u);
}

TEST(LatencyRecorderTest, ATallyAddsItsCountsOnceAndIsEmptied) {
  LatencyRecorder r;
  LatencyTally t;
  t.Record(1 * kMillis);
  t.Record(30 * kMicros);
  r.Add(&t);
  EXPECT_TRUE(t.empty());
  r.Add(&t);  // nothing more
  const LatencyHistogram h = r.Snapshot();
  EXPECT_EQ(h.count, 2u);
  EXPECT_EQ(h.counts[6], 1u);  // <= 1 ms
  EXPECT_EQ(h.counts[2], 1u);  // <= 50 us
  EXPECT_DOUBLE_EQ(h.sum_seconds, 0.00103);
}

TEST(LatencyRecorderTest, BoundsAscendFromTenMicrosecondsToTenSeconds) {
  const auto& b = LatencyHistogram::kUpperBoundsSeconds;
  EXPECT_DOUBLE_EQ(b.front(), 10e-6);
  EXPECT_DOUBLE_EQ(b.back(), 10.0);
  for (size_t i = 1; i < b.size(); ++i) EXPECT_LT(b[i - 1], b[i]);
}

// send() takes 3 ms of simulated time.
FakeDriver::Script SendTakes3ms(FakeClock* clock,
                                DeliveryResult first_result =
                                    DeliveryResult::kSuccess) {
  FakeDriver::Script s;
  s.send = [clock, first_result](const std::string&, int n) {
    clock->Advance(absl::Milliseconds(3));
    return n == 1 ? first_result : DeliveryResult::kSuccess;
  };
  return s;
}

TEST(LatencyTest, SendLatencyRecordsEverySendCall) {
  // With is_opened() (checked before each send(), not timed) and without
  // (one send() starts where the previous one ended).
  for (bool has_is_opened : {true, false}) {
    Harness h;
    FakeDriver::Script s = SendTakes3ms(&h.clock());
    s.has_is_opened = has_is_opened;
    h.AddDriver(s);
    ASSERT_TRUE(h.RunToShutdown({"m1", "m2", "m3"}));
    const LatencyHistogram lat = h.delivery().stats().send_latency;
    EXPECT_EQ(lat.count, 3u);
    EXPECT_EQ(lat.counts[k5ms], 3u);  // 2.5 ms < 3 ms <= 5 ms
    EXPECT_DOUBLE_EQ(lat.sum_seconds, 0.009);
  }
}

TEST(LatencyTest, FlushBetweenTwoSendsIsNotInTheirLatency) {
  Harness h;
  h.options.batch_lines = 1;  // QUEUED: flush() after every message
  FakeDriver::Script s = SendTakes3ms(&h.clock());
  s.has_is_opened = false;
  s.send = [&h](const std::string&, int) {
    h.clock().Advance(absl::Milliseconds(3));
    return DeliveryResult::kQueued;
  };
  s.flush = [&h](int) {
    h.clock().Advance(absl::Milliseconds(100));
    return DeliveryResult::kSuccess;
  };
  h.AddDriver(s);
  ASSERT_TRUE(h.RunToShutdown({"m1", "m2"}));
  const LatencyHistogram lat = h.delivery().stats().send_latency;
  EXPECT_EQ(lat.count, 2u);
  EXPECT_EQ(lat.counts[k5ms], 2u);
}

TEST(LatencyTest, QueueTimeIncludesTheWaitBehindEarlierMessagesOfTheBatch) {
  Harness h;
  h.AddDriver(SendTakes3ms(&h.clock()));
  // All three are accepted at the same instant; the worker takes them in
  // one batch and sends them one after the other.
  ASSERT_TRUE(h.RunToShutdown({"m1", "m2", "m3"}));
  const LatencyHistogram q = h.delivery().stats().queue_time;
  EXPECT_EQ(q.count, 3u);
  EXPECT_EQ(q.counts[k10us], 1u);  // m1: 0
  EXPECT_EQ(q.counts[k5ms], 1u);   // m2: 3 ms
  EXPECT_EQ(q.counts[k10ms], 1u);  // m3: 6 ms
  EXPECT_DOUBLE_EQ(q.sum_seconds, 0.009);
}

TEST(LatencyTest, ARetriedMessageHasOneQueueTimeAndTwoSendLatencies) {
  Harness h;
  // ERROR below retries(): close, suspend time-reopen, reopen, send again.
  h.AddDriver(SendTakes3ms(&h.clock(), DeliveryResult::kError));
  ASSERT_TRUE(h.RunToShutdown({"m1"}));
  const DestinationStats st = h.delivery().stats();
  ASSERT_EQ(st.delivered, 1u);
  EXPECT_EQ(st.send_latency.count, 2u);
  EXPECT_EQ(st.queue_time.count, 1u);
  EXPECT_EQ(st.queue_time.counts[k10us], 1u);  // its first send() at once
}

TEST(LatencyTest, AMessageDroppedBeforeAnySendHasNoQueueTime) {
  Harness h;
  FakeDriver::Script s;
  s.open = [](int) { return false; };
  h.AddDriver(s);
  h.clock().SetHorizon(absl::UnixEpoch() + absl::Seconds(2.5));
  h.Build();
  h.Send("m1");
  h.Start();
  ASSERT_TRUE(h.clock().WaitIdle(1));
  ASSERT_TRUE(h.ShutdownNow().ok());
  const DestinationStats st = h.delivery().stats();
  ASSERT_EQ(st.dropped_shutdown, 1u);
  EXPECT_EQ(st.queue_time.count, 0u);
  EXPECT_EQ(st.send_latency.count, 0u);
}

}  // namespace
}  // namespace pydest::internal
