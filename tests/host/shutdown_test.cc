// Shutdown under the host: it returns by its deadline whatever the class
// does (open() failing forever, send() blocking, a non-daemon thread left
// running), and a message sent after it gets an outcome all the same.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/host.h"
#include "tests/host/host_test_util.h"

namespace pydest {
namespace {

using ::testing::HasSubstr;

TEST(HostTest, OpenFalseForeverShutdownReturnsByDeadline) {
  HostRun run("BehaveDest", {{"open_ret", "false"}});
  run.options.time_reopen = absl::Milliseconds(50);
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"m1"});
  const absl::Time deadline = In(absl::Milliseconds(500));
  EXPECT_TRUE(run.host().Shutdown(deadline).ok());
  EXPECT_LE(absl::Now(), deadline + absl::Milliseconds(200));
  run.ExpectOneOutcomeEach({"m1"}, Outcome::kDroppedShutdown);
}

TEST(HostTest, SendBlockingLongShutdownDeadlineHonoured) {
  HostRun run("BehaveDest", {{"send_ret", "sleep"}, {"sleep", "20"}});
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"m1", "m2"});
  // Let the worker get into send().
  for (int i = 0; i < 200; ++i) {
    bool in_send = false;
    for (const auto& c : run.Calls()) in_send |= c["call"] == "send";
    if (in_send) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  const absl::Time deadline = In(absl::Milliseconds(300));
  const absl::Status st = run.host().Shutdown(deadline);
  if (run.options.isolation == Isolation::kProcess) {
    // The worker process is killed halfway through the close reserve: its
    // thread finishes, nothing is abandoned.
    EXPECT_TRUE(st.ok()) << st;
    EXPECT_EQ(run.CountLogs("still busy at the shutdown deadline"), 1);
  } else {
    EXPECT_EQ(st.code(), absl::StatusCode::kDeadlineExceeded) << st;
    EXPECT_THAT(std::string(st.message()), HasSubstr("send"));
  }
  EXPECT_LE(absl::Now(), deadline + absl::Seconds(1));
  run.ExpectOneOutcomeEach({"m1", "m2"}, Outcome::kDroppedShutdown);
}

TEST(HostTest, ClassStartingNonDaemonThreadDoesNotHangShutdown) {
  HostRun run("BehaveDest", {{"init_ret", "thread"}});
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"m1"});
  ASSERT_TRUE(run.host().Flush(In(absl::Seconds(30))).ok());
  EXPECT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  run.ExpectOneOutcomeEach({"m1"}, Outcome::kDelivered);
}

TEST(HostTest, SendAfterShutdownIsNotAccepted) {
  HostRun run("BehaveDest", {});
  ASSERT_TRUE(run.Create().ok());
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  EXPECT_EQ(run.host().Send(TextMessage("late")).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(run.host().TrySend(TextMessage("later")));
  run.ExpectOneOutcomeEach({"late"}, Outcome::kDroppedNotAccepted);
  // A second Shutdown returns the first one's status.
  EXPECT_TRUE(run.host().Shutdown(In(absl::Seconds(1))).ok());
}

}  // namespace
}  // namespace pydest
