// DestinationStats::ToJson (include/pydest/stats.h): every counter by its
// field name, and the dropped() sum.
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

}  // namespace
}  // namespace pydest
