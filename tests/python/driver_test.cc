// PythonDriver: send()/flush() results, open/is_opened/close and exceptions
// (syslog-ng-behaviour.md §3.1, §2.3, §2.4, §8).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "libpydest/python/python_destination.h"
#include "tests/python/python_test_util.h"

namespace pydest::internal {
namespace {

using ::testing::HasSubstr;
using testing::EvalRepr;
using testing::LogCapture;
using testing::MakeQueued;
using testing::SendPrepared;
using testing::ProbeOptions;
using testing::ResetProbe;

std::unique_ptr<PythonDestination> LoadResultDest(const std::string& ret,
                                                  LogCapture* log,
                                                  ConfigVersion version = {}) {
  DestinationOptions o = ProbeOptions("ResultDest", log);
  o.version = version;
  o.options = {{"ret", {OptionValue::Kind::kString, ret, {}}}};
  auto d = PythonDestination::CreateWithValuePairs(o, nullptr);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *std::move(d) : nullptr;
}

struct ResultCase {
  std::string ret;
  DeliveryResult expected;
  std::string log_text;  // "" = no error record expected
};

class SendResultTable : public ::testing::TestWithParam<ResultCase> {};

TEST_P(SendResultTable, SendReturnValueMapsToResult) {
  const ResultCase& c = GetParam();
  LogCapture log;
  auto d = LoadResultDest(c.ret, &log);
  ASSERT_NE(d, nullptr);
  QueuedMessage m = MakeQueued("hello");
  EXPECT_EQ(SendPrepared(*d, m), c.expected) << c.ret;
  if (c.log_text.empty()) {
    EXPECT_TRUE(log.records().empty()) << log.records()[0].text;
  } else {
    EXPECT_NE(log.Find(c.log_text), nullptr) << c.ret;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Spec31, SendResultTable,
    ::testing::Values(
        ResultCase{"True", DeliveryResult::kSuccess, ""},
        ResultCase{"False", DeliveryResult::kError, ""},
        ResultCase{"0", DeliveryResult::kDrop, ""},
        ResultCase{"1", DeliveryResult::kError, ""},
        ResultCase{"2", DeliveryResult::kExplicitAckMgmt, ""},
        ResultCase{"3", DeliveryResult::kSuccess, ""},
        ResultCase{"4", DeliveryResult::kQueued, ""},
        ResultCase{"5", DeliveryResult::kNotConnected, ""},
        ResultCase{"6", DeliveryResult::kRetry, ""},
        ResultCase{"7", DeliveryResult::kError, "out of range"},
        ResultCase{"-1", DeliveryResult::kError, "out of range"},
        ResultCase{"big", DeliveryResult::kError, "out of range"},
        ResultCase{"enum_success", DeliveryResult::kSuccess, ""},
        ResultCase{"enum_queued", DeliveryResult::kQueued, ""},
        ResultCase{"None", DeliveryResult::kError,
                   "Error converting the result of send()"},
        ResultCase{"1.0", DeliveryResult::kError,
                   "Error converting the result of send()"},
        ResultCase{"x", DeliveryResult::kError,
                   "Error converting the result of send()"},
        ResultCase{"raise", DeliveryResult::kError,
                   "Exception while calling a Python function"},
        ResultCase{"exit", DeliveryResult::kError,
                   "Exception while calling a Python function"},
        ResultCase{"keyboard", DeliveryResult::kError,
                   "Exception while calling a Python function"}));

TEST(Driver, NoneResultUses338WordingUnderVersion3) {
  LogCapture log;
  auto d = LoadResultDest("None", &log, {3, 38});
  QueuedMessage m = MakeQueued("hello");
  EXPECT_EQ(SendPrepared(*d, m), DeliveryResult::kError);
  auto rec = log.Find("Error converting PyObject to int. Retrying message later");
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->tags[0].second,
            "TypeError: 'NoneType' object cannot be interpreted as an integer");
}

TEST(Driver, ExceptionRecordHasSyslogNgTagsAndTraceback) {
  LogCapture log;
  auto d = LoadResultDest("raise", &log);
  QueuedMessage m = MakeQueued("hello");
  SendPrepared(*d, m);
  auto rec = log.Find("Exception while calling a Python function");
  ASSERT_NE(rec, nullptr);
  using Tag = std::pair<std::string, std::string>;
  EXPECT_THAT(rec->tags,
              ::testing::ElementsAre(
                  Tag("caller", "d_py#0"), Tag("class", "probe.ResultDest"),
                  Tag("function", "send"),
                  Tag("exception", "RuntimeError: send raised on purpose")));
  EXPECT_THAT(rec->traceback, HasSubstr("Traceback (most recent call last)"));
  EXPECT_THAT(rec->traceback, HasSubstr("probe.py"));
  EXPECT_EQ(d->counters().python_exceptions.load(), 1u);
}

TEST(Driver, SystemExitFromSendDoesNotEndTheProcess) {
  LogCapture log;
  auto d = LoadResultDest("exit", &log);
  QueuedMessage m = MakeQueued("hello");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(SendPrepared(*d, m), DeliveryResult::kError);
  }
  auto rec = log.Find("Exception while calling a Python function");
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->tags[3].second, "SystemExit: 3");
  EXPECT_EQ(EvalRepr("1 + 1"), "2");  // the interpreter is still alive
}

TEST(Driver, KeyboardInterruptFromSendIsAnError) {
  LogCapture log;
  auto d = LoadResultDest("keyboard", &log);
  QueuedMessage m = MakeQueued("hello");
  EXPECT_EQ(SendPrepared(*d, m), DeliveryResult::kError);
  auto rec = log.Find("Exception while calling a Python function");
  ASSERT_NE(rec, nullptr);
  EXPECT_THAT(rec->tags[3].second, HasSubstr("KeyboardInterrupt"));
}

TEST(Driver, FlushReturningNoneIsAnError) {
  LogCapture log;
  auto d = LoadResultDest("None", &log);
  EXPECT_EQ(d->driver(0)->Flush(), DeliveryResult::kError);
}

TEST(Driver, FlushResultIsMappedLikeSend) {
  LogCapture log;
  auto d = LoadResultDest("4", &log);
  EXPECT_EQ(d->driver(0)->Flush(), DeliveryResult::kQueued);
}

TEST(Driver, MissingOptionalMethodsAreFine) {
  auto d = PythonDestination::CreateWithValuePairs(
      ProbeOptions("NoOptionalMethods", nullptr), nullptr);
  ASSERT_TRUE(d.ok()) << d.status();
  Driver* drv = (*d)->driver(0);
  EXPECT_TRUE(drv->Open());
  EXPECT_TRUE(drv->IsOpened());
  EXPECT_FALSE(drv->HasIsOpened());
  EXPECT_EQ(drv->Flush(), DeliveryResult::kSuccess);
  drv->Close();
}

TEST(Driver, OpenReturningNoneSucceedsAndWarnsOnce) {
  LogCapture log;
  auto d = PythonDestination::CreateWithValuePairs(
      ProbeOptions("OpenNone", &log), nullptr);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE((*d)->driver(0)->Open());
  EXPECT_TRUE((*d)->driver(0)->Open());
  EXPECT_EQ(log.Count("Since syslog-ng 3.25, the return value of open method"),
            1);
}

TEST(Driver, OpenReturningFalseFails) {
  auto d = PythonDestination::CreateWithValuePairs(
      ProbeOptions("OpenFalse", nullptr), nullptr);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE((*d)->driver(0)->Open());
}

TEST(Driver, OpenSucceedsOnlyWhenIsOpenedAgrees) {
  auto d = PythonDestination::CreateWithValuePairs(
      ProbeOptions("IsOpenedFalse", nullptr), nullptr);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE((*d)->driver(0)->HasIsOpened());
  EXPECT_FALSE((*d)->driver(0)->IsOpened());
  EXPECT_FALSE((*d)->driver(0)->Open());
}

TEST(Driver, OpenAndCloseReachTheInstance) {
  ResetProbe();
  auto d = PythonDestination::CreateWithValuePairs(
      ProbeOptions("Recorder", nullptr), nullptr);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE((*d)->driver(0)->Open());
  (*d)->driver(0)->Close();
  EXPECT_EQ(EvalRepr("[e[0] for e in events[2:]]"), "['open', 'close']");
}

TEST(Driver, SeqnumAttributeFollowsTheMessageBeingSent) {
  ResetProbe();
  auto d = PythonDestination::CreateWithValuePairs(
      ProbeOptions("Recorder", nullptr), nullptr);
  ASSERT_TRUE(d.ok());
  QueuedMessage m = MakeQueued("x", 77);
  SendPrepared(**d, m);
  EXPECT_EQ(EvalRepr("int(Recorder.seqnum)"), "77");
}

TEST(Driver, BatchCallsReachSendInOrder) {
  ResetProbe();
  auto d = PythonDestination::CreateWithValuePairs(
      ProbeOptions("Recorder", nullptr), nullptr);
  ASSERT_TRUE(d.ok());
  QueuedMessage a = MakeQueued("a"), b = MakeQueued("b");
  Driver* drv = (*d)->driver(0);
  drv->BeginBatch();
  EXPECT_EQ(drv->Send(a), DeliveryResult::kSuccess);
  EXPECT_EQ(drv->Send(b), DeliveryResult::kSuccess);
  EXPECT_EQ(drv->Flush(), DeliveryResult::kSuccess);
  drv->EndBatch();
  EXPECT_EQ(EvalRepr("[m['MESSAGE'] for m in received]"), "[b'a', b'b']");
}

}  // namespace
}  // namespace pydest::internal

namespace pydest::internal {
namespace {

// examples/seed/betterpythonexample.py, the tutorial's class, unchanged:
// a 3.7-era init(self) and a dict from value-pairs (it writes
// /tmp/example.txt, as the tutorial says).
TEST(Tutorial, TextDestinationRunsUnchanged) {
  // The pydest end-to-end test runs the same class: take its lock.
  int lock_fd = open("/tmp/pydest-seed-example.lock", O_CREAT | O_RDWR, 0666);
  ASSERT_GE(lock_fd, 0);
  ASSERT_EQ(flock(lock_fd, LOCK_EX), 0);
  auto vp = std::make_shared<testing::FakeValuePairs>();
  vp->AddBytes("HOST", "tutorialhost");
  vp->AddBytes("MESSAGE", "tutorial message");
  DestinationOptions o = testing::ProbeOptions("X", nullptr);
  o.class_name = "betterpythonexample.TextDestination";
  o.python_path = {PYDEST_SEED_DIR};
  o.version = {3, 7};
  auto d = PythonDestination::CreateWithValuePairs(o, vp);
  ASSERT_TRUE(d.ok()) << d.status();
  Driver* drv = (*d)->driver(0);
  ASSERT_TRUE(drv->Open());
  QueuedMessage m = testing::MakeQueued("x");
  EXPECT_EQ(testing::SendPrepared(**d, m), DeliveryResult::kSuccess);
  drv->Close();
  (*d)->Deinit();
  std::ifstream in("/tmp/example.txt");
  std::stringstream buf;
  buf << in.rdbuf();
  EXPECT_THAT(buf.str(), HasSubstr("MESSAGE b'tutorial message'\n"));
  EXPECT_THAT(buf.str(), HasSubstr("deinit\n"));
  close(lock_fd);
}

}  // namespace
}  // namespace pydest::internal
