// The process belongs to the host (include/pydest/process.h): what a
// destination's signal.signal, os.fork and os._exit may and may not do.
#include <signal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "libpydest/python/python_destination.h"
#include "pydest/process.h"
#include "tests/python/python_test_util.h"

namespace pydest::internal {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;
using testing::EvalRepr;
using testing::LogCapture;
using testing::ProbeOptions;
using testing::ResetProbe;

absl::StatusOr<std::unique_ptr<PythonDestination>> Load(
    const DestinationOptions& o) {
  return PythonDestination::CreateWithValuePairs(o, nullptr);
}

TEST(ProcessGuard, SignalSignalIsRecordedForGetsignalButNotApplied) {
  ResetProbe();
  LogCapture log;
  struct sigaction before;
  ASSERT_EQ(sigaction(SIGTERM, nullptr, &before), 0);
  auto d = Load(ProbeOptions("TakesSigterm", &log));
  ASSERT_TRUE(d.ok()) << d.status();
  struct sigaction after;
  ASSERT_EQ(sigaction(SIGTERM, nullptr, &after), 0);
  EXPECT_EQ(after.sa_handler, before.sa_handler);
  EXPECT_EQ(EvalRepr("events"),
            "[('previous', <Handlers.SIG_DFL: 0>), ('getsignal', True)]");
  auto rec = log.Find("signal.signal() from a destination");
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->level, LogRecord::Level::kWarning);
  EXPECT_THAT(rec->tags, Contains(Pair("signal", "SIGTERM")));
  EXPECT_THAT(rec->tags, Contains(Pair("driver", "d_py#0")));
  EXPECT_THAT(rec->tags, Contains(Pair("function", "init")));
}

TEST(ProcessGuard, PthreadSigmaskCannotUnblockWhatTheThreadBlocked) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  sigset_t old;
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &set, &old), 0);
  EXPECT_TRUE(testing::Exec(
      "import signal\n"
      "signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR2])\n"
      "signal.pthread_sigmask(signal.SIG_SETMASK, [])\n"));
  sigset_t now;
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, nullptr, &now), 0);
  EXPECT_EQ(sigismember(&now, SIGUSR2), 1);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

TEST(ProcessGuard, FaulthandlerIsEnabled) {
  EXPECT_EQ(EvalRepr("__import__('faulthandler').is_enabled()"), "True");
}

TEST(ProcessGuard, ForkedChildEndsWhenSendReturnsIntoTheHost) {
  ResetProbe();
  auto d = Load(ProbeOptions("ForksInSend", nullptr));
  ASSERT_TRUE(d.ok()) << d.status();
  QueuedMessage m = testing::MakeQueued("x");
  // Only the parent comes back here; the child ended in ~DestinationCall.
  EXPECT_EQ(testing::SendPrepared(**d, m), DeliveryResult::kSuccess);
  EXPECT_EQ(EvalRepr("events"),
            absl::StrCat("[('child', ", kForkedChildExitStatus, ")]"));
}

TEST(ProcessGuard, SubprocessInSendWorks) {
  ResetProbe();
  auto d = Load(ProbeOptions("SubprocessInSend", nullptr));
  ASSERT_TRUE(d.ok()) << d.status();
  QueuedMessage m = testing::MakeQueued("x");
  EXPECT_EQ(testing::SendPrepared(**d, m), DeliveryResult::kSuccess);
  EXPECT_EQ(EvalRepr("events"), "[('echo', b'hi\\n')]");
}

// Death tests re-run this binary (threadsafe style), so the child is a
// fresh process, not a fork of one with Python in it.
void ExitInSend() {
  auto d = Load(ProbeOptions("ExitsInSend", nullptr));
  if (!d.ok()) std::_Exit(99);
  QueuedMessage m = testing::MakeQueued("x");
  testing::SendPrepared(**d, m);
  std::_Exit(98);  // not reached: os._exit ends the process
}

TEST(ProcessGuardDeathTest, OsExitLogsWhoAndEndsWithItsOwnCode) {
  ::testing::GTEST_FLAG(death_test_style) = "threadsafe";
  EXPECT_EXIT(ExitInSend(), ::testing::ExitedWithCode(3),
              "os._exit\\(\\).*driver='d_py#0'.*function='send'.*"
              "exit_code='3'.*lost='0'");
}

TEST(ProcessGuardDeathTest, OsExitEndsWithTheStatusTheProgramChose) {
  ::testing::GTEST_FLAG(death_test_style) = "threadsafe";
  EXPECT_EXIT(
      {
        SetDestinationExitStatus(4);
        ExitInSend();
      },
      ::testing::ExitedWithCode(4), "exit_code='3'");
}

}  // namespace
}  // namespace pydest::internal
