// DestinationStats::ToJson (include/pydest/stats.h): every counter by its
// field name, the dropped() sum, and the two latency histograms after them.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "pydest/stats.h"

namespace pydest {
namespace {

TEST(StatsJsonTest, HasEveryCounterByItsFieldName) {
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

TEST(StatsJsonTest, KeepsTheCounterKeysInOrderAndAddsTheHistogramsLast) {
  const auto j = nlohmann::ordered_json::parse(DestinationStats().ToJson());
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  const std::vector<std::string> expected = {
      "queued", "processed", "delivered", "dropped", "dropped_by_destination",
      "dropped_retries_exhausted", "dropped_on_error",
      "dropped_queue_overflow", "dropped_shutdown", "dropped_not_accepted",
      "dropped_poison", "retries", "reopens", "worker_restarts",
      "suspended_ms", "python_exceptions", "batches",
      "casting_errors", "queue_depth", "queue_capacity", "late_completions",
      "written_bytes", "kept_in_disk_buffer", "disk_buffer_recovered",
      "disk_buffer_possible_duplicates", "disk_buffer_damaged",
      "disk_buffer_bytes", "dead_lettered", "dead_letter_failed", "send_latency",
      "queue_time"};
  EXPECT_EQ(keys, expected);
}

TEST(StatsJsonTest, HistogramHasCountSumBoundsAndPerBucketCounts) {
  DestinationStats s;
  s.send_latency.counts[0] = 2;
  s.send_latency.counts[LatencyHistogram::kBoundCount] = 1;
  s.send_latency.count = 3;
  s.send_latency.sum_seconds = 12.5;
  const auto h = nlohmann::json::parse(s.ToJson())["send_latency"];
  EXPECT_EQ(h["count"], 3);
  EXPECT_EQ(h["sum_seconds"], 12.5);
  ASSERT_EQ(h["upper_bounds_seconds"].size(), LatencyHistogram::kBoundCount);
  EXPECT_EQ(h["upper_bounds_seconds"][0], 10e-6);
  EXPECT_EQ(h["upper_bounds_seconds"][LatencyHistogram::kBoundCount - 1], 10.0);
  ASSERT_EQ(h["counts"].size(), LatencyHistogram::kBucketCount);
  EXPECT_EQ(h["counts"][0], 2);  // not cumulative
  EXPECT_EQ(h["counts"][1], 0);
  EXPECT_EQ(h["counts"][LatencyHistogram::kBoundCount], 1);
}

}  // namespace
}  // namespace pydest
