// DestinationStats as a host reports it: counters the Python side keeps
// (stats_written_bytes_add) reach stats() and ToJson().
#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "pydest/host.h"

namespace pydest {
namespace {

TEST(HostStats, WrittenBytesReportedByTheDestinationReachStats) {
  DestinationOptions options;
  options.class_name = "byte_counter.ByteCounter";
  options.python_path = {PYDEST_TEST_CLASSES_DIR};
  options.log_sink = [](const LogRecord&) {};
  auto host = PyDestinationHost::Create(options);
  ASSERT_TRUE(host.ok()) << host.status();
  for (const char* text : {"abc", "hello"}) {
    ASSERT_TRUE((*host)->Send(MessageBuilder().SetText(text).Build()).ok());
  }
  ASSERT_TRUE((*host)->Shutdown(absl::Now() + absl::Seconds(30)).ok());
  const DestinationStats stats = (*host)->stats();
  EXPECT_EQ(stats.delivered, 2u);
  EXPECT_EQ(stats.written_bytes, 8u);
  EXPECT_EQ(nlohmann::json::parse(stats.ToJson())["written_bytes"], 8);
}

}  // namespace
}  // namespace pydest
