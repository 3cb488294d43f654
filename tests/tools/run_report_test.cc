#include "tools/pydest/run_report.h"

#include <csignal>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace pydest::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

RunReport Delivered(uint64_t n) {
  RunReport r;
  r.input.inputs = {"in.log"};
  r.input.parse.parsed = n;
  DestinationReport d;
  d.name = "d_python";
  d.class_name = "m.C";
  d.stats.queued = n;
  d.stats.processed = n;
  d.stats.delivered = n;
  r.destinations.push_back(d);
  return r;
}

TEST(RunReportTest, AllDeliveredExitsZero) {
  EXPECT_EQ(RunExitStatus(Delivered(5)), kExitAllDelivered);
}

TEST(RunReportTest, AnyDropExitsOne) {
  RunReport r = Delivered(5);
  r.destinations[0].stats.delivered = 4;
  r.destinations[0].stats.dropped_shutdown = 1;
  EXPECT_EQ(RunExitStatus(r), kExitSomeDropped);
}

TEST(RunReportTest, MessagesWithoutAnOutcomeExitOne) {
  RunReport r = Delivered(5);
  r.destinations[0].stats.processed = 3;
  r.destinations[0].stats.delivered = 3;
  EXPECT_EQ(RunExitStatus(r), kExitSomeDropped);
  EXPECT_THAT(FormatTable(r), HasSubstr("2 messages have no outcome"));
}

TEST(RunReportTest, TableHasOneRowPerDestinationAndNamesDropReasons) {
  RunReport r = Delivered(5);
  DestinationStats& s = r.destinations[0].stats;
  s.delivered = 2;
  s.dropped_by_destination = 1;
  s.dropped_retries_exhausted = 2;
  std::string table = FormatTable(r);
  EXPECT_THAT(table, HasSubstr("5 messages from 1 input"));
  EXPECT_THAT(table, HasSubstr("d_python"));
  EXPECT_THAT(table, HasSubstr("1 by the destination (DROP), 2 after retries"));
  EXPECT_THAT(table, Not(HasSubstr("stopped reading")));
}

TEST(RunReportTest, TableSaysWhichSignalStoppedTheReading) {
  RunReport r = Delivered(1);
  r.stop_signal = SIGTERM;
  EXPECT_THAT(FormatTable(r), HasSubstr("stopped reading on SIGTERM"));
}

TEST(RunReportTest, JsonHoldsInputAndEveryDestinationCounter) {
  RunReport r = Delivered(3);
  r.input.parse.parse_errors = 1;
  r.input.empty_lines = 2;
  r.destinations[0].stats.dropped_not_accepted = 1;
  r.stop_signal = SIGINT;
  nlohmann::json j = nlohmann::json::parse(FormatJson(r));
  EXPECT_EQ(j["input"]["lines"], 3);
  EXPECT_EQ(j["input"]["parse_errors"], 1);
  EXPECT_EQ(j["input"]["empty_lines"], 2);
  const nlohmann::json& d = j["destinations"]["d_python"];
  EXPECT_EQ(d["class"], "m.C");
  EXPECT_EQ(d["delivered"], 3);
  EXPECT_EQ(d["dropped_not_accepted"], 1);
  EXPECT_EQ(d["dropped"], 1);
  EXPECT_TRUE(d.contains("queue_capacity"));
  EXPECT_EQ(j["stop_signal"], "SIGINT");
  EXPECT_EQ(j["reloads"], 0);
  EXPECT_EQ(j["exit_status"], 1);
}

TEST(RunReportTest, ReloadsAreCountedInTheTableAndTheJson) {
  RunReport r = Delivered(2);
  EXPECT_THAT(FormatTable(r), Not(HasSubstr("reloaded")));
  r.reloads = 2;
  EXPECT_THAT(FormatTable(r), HasSubstr("reloaded the configuration 2 times"));
  EXPECT_EQ(nlohmann::json::parse(FormatJson(r))["reloads"], 2);
}

}  // namespace
}  // namespace pydest::cli
