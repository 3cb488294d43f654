// A destination's start under the host: a module that does not import, or
// an init() that fails, fails Create; an open() that fails is retried.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/host.h"
#include "tests/host/host_test_util.h"

namespace pydest {
namespace {

using ::testing::HasSubstr;

TEST(HostTest, ModuleThatDoesNotImportFailsCreate) {
  HostRun run("X", {});
  run.options.class_name = "pydest_no_such_module.Dest";
  const absl::Status st = run.Create();
  EXPECT_FALSE(st.ok());
  EXPECT_THAT(std::string(st.message()), HasSubstr("pydest_no_such_module"));
}

TEST(HostTest, InitReturningFalseFailsCreateWithoutWorkers) {
  HostRun run("BehaveDest", {{"init_ret", "false"}});
  const absl::Status st = run.Create();
  EXPECT_FALSE(st.ok());
  EXPECT_THAT(std::string(st.message()), HasSubstr("init()"));
  // As the init-false probe: __init__ and init, nothing on a worker.
  std::string calls;
  for (const auto& c : run.Calls()) calls += c["call"].get<std::string>() + " ";
  EXPECT_EQ(calls, "__init__ init ");
}

TEST(HostTest, InitRaisingFailsCreateWithTraceback) {
  HostRun run("BehaveDest", {{"init_ret", "raise"}});
  const absl::Status st = run.Create();
  EXPECT_FALSE(st.ok());
  EXPECT_THAT(std::string(st.message()), HasSubstr("init raised on purpose"));
}

TEST(HostTest, OpenRaisingIsRetriedLikeFalse) {
  HostRun run("BehaveDest", {{"open_ret", "raise"}});
  run.options.time_reopen = absl::Milliseconds(20);
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"m1"});
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_TRUE(run.host().Shutdown(In(absl::Seconds(2))).ok());
  run.ExpectOneOutcomeEach({"m1"}, Outcome::kDroppedShutdown);
  EXPECT_GE(run.CountLogs("Exception while calling a Python function"), 2);
  EXPECT_GE(run.host().stats().python_exceptions, 2u);
}

}  // namespace
}  // namespace pydest
