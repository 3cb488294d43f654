// A destination's counters summed over its generations (reloads), with
// what one generation hands on counted once.
#include "tools/pydest/generation_stats.h"

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace pydest::cli {
namespace {

// Every counter a different non-zero value (field i gets base + i).
DestinationStats Distinct(uint64_t base) {
  DestinationStats s;
  uint64_t* counters[] = {
      &s.queued, &s.processed, &s.delivered, &s.dropped_by_destination,
      &s.dropped_retries_exhausted, &s.dropped_on_error,
      &s.dropped_queue_overflow, &s.dropped_shutdown,
      &s.dropped_not_accepted, &s.dropped_poison, &s.retries, &s.reopens,
      &s.worker_restarts, &s.suspended_ms, &s.python_exceptions, &s.batches,
      &s.casting_errors, &s.queue_depth, &s.queue_capacity,
      &s.late_completions, &s.written_bytes, &s.kept_in_disk_buffer,
      &s.disk_buffer_recovered, &s.disk_buffer_possible_duplicates,
      &s.disk_buffer_damaged, &s.disk_buffer_bytes, &s.dead_lettered,
      &s.dead_letter_failed};
  uint64_t i = 0;
  for (uint64_t* c : counters) *c = base + i++;
  for (size_t b = 0; b < LatencyHistogram::kBucketCount; ++b) {
    s.send_latency.counts[b] = base + b;
    s.queue_time.counts[b] = 2 * base + b;
  }
  s.send_latency.count = base;
  s.send_latency.sum_seconds = 0.5;
  s.queue_time.count = base + 1;
  s.queue_time.sum_seconds = 0.25;
  return s;
}

TEST(GenerationStatsTest, OneGenerationAddedToNothingIsItself) {
  DestinationStats total;
  AddGeneration(Distinct(100), &total);
  EXPECT_EQ(total.ToJson(), Distinct(100).ToJson());
}

TEST(GenerationStatsTest, CountersAndHistogramsAddGaugesAreTheLaterOnes) {
  DestinationStats total = Distinct(100);
  AddGeneration(Distinct(1000), &total);
  const nlohmann::json sum = nlohmann::json::parse(total.ToJson());
  const nlohmann::json a = nlohmann::json::parse(Distinct(100).ToJson());
  const nlohmann::json b = nlohmann::json::parse(Distinct(1000).ToJson());
  for (const auto& [key, value] : sum.items()) {
    if (!value.is_number_integer()) continue;
    if (key == "queue_capacity" || key == "disk_buffer_bytes") {
      EXPECT_EQ(value, b[key]) << key;
    } else {
      EXPECT_EQ(value, a[key].get<uint64_t>() + b[key].get<uint64_t>())
          << key;
    }
  }
  EXPECT_EQ(total.send_latency.count, 1100u);
  EXPECT_EQ(total.send_latency.counts[3], 1106u);
  EXPECT_DOUBLE_EQ(total.send_latency.sum_seconds, 1.0);
  EXPECT_EQ(total.queue_time.counts[0], 2200u);
}

TEST(GenerationStatsTest, CarriedOverMessagesCountOnceAsTheNextGenerations) {
  // 10 accepted; 6 delivered, 4 dropped at the reload's shutdown and
  // accepted by the next generation, which delivers them and 5 more.
  DestinationStats old_gen;
  old_gen.queued = old_gen.processed = 10;
  old_gen.delivered = 6;
  old_gen.dropped_shutdown = 4;
  DestinationStats new_gen;
  new_gen.queued = new_gen.processed = new_gen.delivered = 9;
  HandOn(4, 0, &old_gen);
  AddGeneration(new_gen, &old_gen);
  EXPECT_EQ(old_gen.queued, 15u);
  EXPECT_EQ(old_gen.processed, 15u);
  EXPECT_EQ(old_gen.delivered, 15u);
  EXPECT_EQ(old_gen.dropped(), 0u);
}

TEST(GenerationStatsTest, MessagesLeftInTheDiskBufferCountOnce) {
  DestinationStats old_gen;
  old_gen.queued = old_gen.processed = 10;
  old_gen.delivered = 3;
  old_gen.kept_in_disk_buffer = 7;
  DestinationStats new_gen;
  new_gen.queued = new_gen.processed = new_gen.delivered = 7 + 2;
  new_gen.disk_buffer_recovered = 7;
  HandOn(0, 7, &old_gen);
  RecoveredFromPredecessor(7, &new_gen);
  AddGeneration(new_gen, &old_gen);
  EXPECT_EQ(old_gen.queued, 12u);
  EXPECT_EQ(old_gen.processed, 12u);
  EXPECT_EQ(old_gen.delivered, 12u);
  EXPECT_EQ(old_gen.kept_in_disk_buffer, 0u);
  EXPECT_EQ(old_gen.disk_buffer_recovered, 0u);
}

TEST(GenerationStatsTest, HandingOnMoreThanCountedStopsAtZero) {
  DestinationStats s;
  s.queued = s.processed = s.dropped_shutdown = 2;
  HandOn(5, 1, &s);
  EXPECT_EQ(s.queued, 0u);
  EXPECT_EQ(s.processed, 0u);
  EXPECT_EQ(s.dropped_shutdown, 0u);
}

}  // namespace
}  // namespace pydest::cli
