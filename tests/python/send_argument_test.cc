// What send() receives: a dict built from the value-pairs Record, or a
// read-only LogMessage (syslog-ng-behaviour.md §4.1, §4.2, §7.2).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "libpydest/python/python_destination.h"
#include "nlohmann/json.hpp"
#include "tests/python/python_test_util.h"

namespace pydest::internal {
namespace {

using ::testing::HasSubstr;
using testing::EvalRepr;
using testing::FakeValuePairs;
using testing::LogCapture;
using testing::MakeQueued;
using testing::SendPrepared;
using testing::ProbeOptions;
using testing::ResetProbe;

std::unique_ptr<PythonDestination> Load(
    DestinationOptions o, std::shared_ptr<const ValuePairs> vp = nullptr) {
  auto d = PythonDestination::CreateWithValuePairs(o, std::move(vp));
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *std::move(d) : nullptr;
}

std::shared_ptr<FakeValuePairs> TypedRecord() {
  auto vp = std::make_shared<FakeValuePairs>();
  vp->AddBytes("HOST", "myhost");
  vp->AddBytes("MESSAGE", "caf\xc3\xa9 \xff");
  vp->AddInt("i", -42);
  vp->AddDouble("d", 1.5);
  vp->AddBool("b", true);
  vp->AddDateTime("t", 1700000000123000);
  vp->AddList("l", {"a", "b,c"});
  vp->AddNull("n");
  return vp;
}

TEST(SendArgument, DictHasRecordKeysInOrderWithTheirTypes) {
  ResetProbe();
  auto d = Load(ProbeOptions("Recorder", nullptr), TypedRecord());
  QueuedMessage m = MakeQueued("x");
  ASSERT_EQ(SendPrepared(*d, m), DeliveryResult::kSuccess);
  EXPECT_EQ(EvalRepr("list(received[0].keys())"),
            "['HOST', 'MESSAGE', 'i', 'd', 'b', 't', 'l', 'n']");
  EXPECT_EQ(EvalRepr("received[0]['HOST']"), "b'myhost'");
  EXPECT_EQ(EvalRepr("received[0]['MESSAGE']"), "b'caf\\xc3\\xa9 \\xff'");
  EXPECT_EQ(EvalRepr("received[0]['i']"), "-42");
  EXPECT_EQ(EvalRepr("received[0]['d']"), "1.5");
  EXPECT_EQ(EvalRepr("received[0]['b']"), "True");
  EXPECT_EQ(EvalRepr("received[0]['l']"), "[b'a', b'b,c']");
  EXPECT_EQ(EvalRepr("received[0]['n']"), "None");
  EXPECT_EQ(EvalRepr("type(received[0]['t']).__name__"), "'datetime'");
  EXPECT_EQ(EvalRepr("received[0]['t'].tzinfo"), "None");
  EXPECT_EQ(
      EvalRepr("received[0]['t'] == __import__('datetime').datetime."
               "fromtimestamp(1700000000.123)"),
      "True");
}

TEST(SendArgument, StringsAsStrGivesStrWithSurrogateEscape) {
  ResetProbe();
  DestinationOptions o = ProbeOptions("Recorder", nullptr);
  o.strings_as_str = true;
  auto d = Load(o, TypedRecord());
  QueuedMessage m = MakeQueued("x");
  SendPrepared(*d, m);
  EXPECT_EQ(EvalRepr("received[0]['MESSAGE']"), "'café \\udcff'");
  EXPECT_EQ(EvalRepr("received[0]['l']"), "['a', 'b,c']");
}

TEST(SendArgument, KeyObjectsAreSharedAcrossMessages) {
  ResetProbe();
  auto d = Load(ProbeOptions("Recorder", nullptr), TypedRecord());
  QueuedMessage a = MakeQueued("a"), b = MakeQueued("b");
  SendPrepared(*d, a);
  SendPrepared(*d, b);
  EXPECT_EQ(EvalRepr("list(received[0])[0] is list(received[1])[0]"), "True");
}

TEST(SendArgument, DropMessageByOnErrorSkipsSend) {
  ResetProbe();
  auto vp = TypedRecord();
  vp->set_drop_message(true);
  auto d = Load(ProbeOptions("Recorder", nullptr), vp);
  QueuedMessage m = MakeQueued("x");
  QueuedMessage* one = &m;
  d->preparer()->Prepare(&one, 1);
  // The prepare stage settles it; the driver never sees it.
  EXPECT_TRUE(m.prepared->refused);
  EXPECT_EQ(SendPrepared(*d, m), DeliveryResult::kError);
  EXPECT_EQ(EvalRepr("len(received)"), "0");
}

TEST(SendArgument, BatchEvaluatesEachMessageOnce) {
  ResetProbe();
  auto vp = TypedRecord();
  auto d = Load(ProbeOptions("Recorder", nullptr), vp);
  QueuedMessage a = MakeQueued("a"), b = MakeQueued("b");
  d->driver(0)->BeginBatch();
  SendPrepared(*d, a);
  SendPrepared(*d, b);
  d->driver(0)->EndBatch();
  EXPECT_EQ(vp->evaluations(), 2);
  EXPECT_EQ(EvalRepr("len(received)"), "2");
}

TEST(SendArgument, DestinationMutatingItsDictDoesNotAffectTheNext) {
  ResetProbe();
  auto d = Load(ProbeOptions("Mutator", nullptr), TypedRecord());
  QueuedMessage a = MakeQueued("a"), b = MakeQueued("b");
  EXPECT_EQ(SendPrepared(*d, a), DeliveryResult::kSuccess);
  EXPECT_EQ(SendPrepared(*d, b), DeliveryResult::kSuccess);
  EXPECT_EQ(EvalRepr("received[0]"), "{}");
}

// --- LogMessage mode (no value-pairs) ---

TEST(LogMessage, WithoutValuePairsSendGetsALogMessage) {
  ResetProbe();
  auto d = Load(ProbeOptions("Recorder", nullptr));
  QueuedMessage m = MakeQueued("hello");
  SendPrepared(*d, m);
  EXPECT_EQ(EvalRepr("type(received[0]).__name__"), "'LogMessage'");
  EXPECT_EQ(EvalRepr("received[0]['MESSAGE']"), "b'hello'");
  EXPECT_EQ(EvalRepr("received[0][b'MSG']"), "b'hello'");
  EXPECT_EQ(EvalRepr("received[0]['HOST']"), "b'myhost'");
  EXPECT_EQ(EvalRepr("received[0]['custom.key']"), "b'custom-value'");
  EXPECT_EQ(EvalRepr("received[0]['PROGRAM']"), "b'prog'");
}

TEST(LogMessage, IsReadOnlyInSend) {
  ResetProbe();
  auto d = Load(ProbeOptions("Mutator", nullptr));
  QueuedMessage m = MakeQueued("hello");
  EXPECT_EQ(SendPrepared(*d, m), DeliveryResult::kSuccess);
  EXPECT_EQ(EvalRepr("events[0][0]"), "'setitem'");
  EXPECT_THAT(EvalRepr("events[0][1]"), HasSubstr("read only"));
  EXPECT_EQ(EvalRepr("events[1][0]"), "'set_pri'");
  EXPECT_EQ(EvalRepr("received[0]['MESSAGE']"), "b'hello'");
}

TEST(LogMessage, KeysAreBytesNamesOfPairsThenMacros) {
  ResetProbe();
  auto d = Load(ProbeOptions("Recorder", nullptr));
  QueuedMessage m = MakeQueued("hello");
  SendPrepared(*d, m);
  EXPECT_EQ(EvalRepr("all(type(k) is bytes for k in received[0].keys())"),
            "True");
  EXPECT_EQ(EvalRepr("b'custom.key' in received[0].keys()"), "True");
  EXPECT_EQ(EvalRepr("b'ISODATE' in received[0].keys()"), "True");
}

TEST(LogMessage, KeysContainEveryMacroNameSyslogNgListed) {
  const char* dir = std::getenv("PYDEST_GOLDEN_DIR");
  std::ifstream in(std::string(dir ? dir : "") + "/no-value-pairs.json");
  if (!in) GTEST_SKIP() << "no golden data";
  std::stringstream buf;
  buf << in.rdbuf();
  auto doc = nlohmann::json::parse(buf.str());
  auto golden_keys = doc["results"][0]["keys_ret"][1];
  ResetProbe();
  auto d = Load(ProbeOptions("Recorder", nullptr));
  QueuedMessage m = MakeQueued("hello");
  SendPrepared(*d, m);
  std::string ours = EvalRepr("set(received[0].keys())");
  int checked = 0;
  for (const auto& k : golden_keys) {
    std::string name = k.get<std::string>();  // "b'NAME'"
    std::string bare = name.substr(2, name.size() - 3);
    if (bare == "custom.field" || bare == ".dot.hidden" ||
        bare == "LEGACY_MSGHDR" || bare == "SOURCE" || bare == "FILE_NAME" ||
        bare == "HOST_FROM") {
      continue;  // name-value pairs of the golden message, not macros
    }
    EXPECT_THAT(ours, HasSubstr(name)) << bare;
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

TEST(LogMessage, UnsetNameIsEmptyBytesUnderVersion3) {
  ResetProbe();
  DestinationOptions o = ProbeOptions("Recorder", nullptr);
  o.version = {3, 38};
  auto d = Load(o);
  QueuedMessage m = MakeQueued("hello");
  SendPrepared(*d, m);
  EXPECT_EQ(EvalRepr("received[0]['nonexistent']"), "b''");
  EXPECT_EQ(EvalRepr("received[0]['FACILITY_NUM']"), "b'4'");
}

TEST(LogMessage, UnsetNameRaisesKeyErrorUnderVersion4) {
  ResetProbe();
  DestinationOptions o = ProbeOptions("Recorder", nullptr);
  o.version = {4, 2};
  auto d = Load(o);
  QueuedMessage m = MakeQueued("hello");
  SendPrepared(*d, m);
  EXPECT_THAT(EvalRepr("received[0]['nonexistent']"),
              HasSubstr("KeyError"));
  EXPECT_EQ(EvalRepr("received[0].get('nonexistent', 5)"), "5");
  EXPECT_EQ(EvalRepr("received[0]['FACILITY_NUM']"), "4");
  EXPECT_EQ(EvalRepr("received[0]['TAGS']"), "[b't1', b't2']");
  EXPECT_EQ(EvalRepr("received[0]['UNIXTIME'] == __import__('datetime')."
                     "datetime.fromtimestamp(1700000000)"),
            "True");
}

TEST(LogMessage, StampMacrosWork) {
  ResetProbe();
  auto d = Load(ProbeOptions("Recorder", nullptr));
  QueuedMessage m = MakeQueued("hello");
  SendPrepared(*d, m);
  EXPECT_EQ(EvalRepr("type(received[0]['R_STAMP']).__name__"), "'bytes'");
  EXPECT_EQ(EvalRepr("type(received[0]['S_STAMP']).__name__"), "'bytes'");
  EXPECT_EQ(EvalRepr("type(received[0]['C_STAMP']).__name__"), "'bytes'");
}

TEST(LogMessage, TypedGetters) {
  ResetProbe();
  auto d = Load(ProbeOptions("Recorder", nullptr));
  QueuedMessage m = MakeQueued("h\xc3\xa9llo");
  SendPrepared(*d, m);
  EXPECT_EQ(EvalRepr("received[0].get_pri()"), "34");
  EXPECT_EQ(EvalRepr("received[0].get_as_str('MESSAGE')"), "'héllo'");
  EXPECT_EQ(EvalRepr("received[0].get_as_str('nope', 'dflt')"), "'dflt'");
  EXPECT_THAT(EvalRepr("received[0].get_as_str('nope', 5)"),
              HasSubstr("TypeError"));
  // 1700000000 is 22:13:20 UTC; the stamp carries +01:00.
  EXPECT_EQ(EvalRepr("received[0].get_timestamp()"),
            "datetime.datetime(2023, 11, 14, 23, 13, 20, 123456)");
}

TEST(LogMessage, OutlivesSendAndTheQueuedMessage) {
  ResetProbe();
  auto d = Load(ProbeOptions("Recorder", nullptr));
  {
    QueuedMessage m = MakeQueued("kept");
    SendPrepared(*d, m);
  }
  d.reset();
  EXPECT_EQ(EvalRepr("received[0]['MESSAGE']"), "b'kept'");
}

TEST(LogMessage, CanBeBuiltAndChangedFromPython) {
  ASSERT_NE(Load(ProbeOptions("Recorder", nullptr)), nullptr);
  EXPECT_EQ(EvalRepr("(lambda m: (m.__setitem__('A', 'b'), m['A'], "
                     "m['MESSAGE']))(__import__('syslogng').LogMessage('t'))"),
            "(None, b'b', b't')");
}

// --- Logger, Persist, LogTemplate ---

TEST(Bindings, LoggerRoutesToTheDestinationsLogSink) {
  LogCapture log;
  auto d = Load(ProbeOptions("LoggingDest", &log));
  QueuedMessage m = MakeQueued("abc");
  SendPrepared(*d, m);
  auto init = log.Find("hello from init");
  ASSERT_NE(init, nullptr);
  EXPECT_EQ(init->level, LogRecord::Level::kWarning);
  auto sent = log.Find("send got abc");
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(sent->level, LogRecord::Level::kError);
  EXPECT_NE(log.Find("info line"), nullptr);
}

TEST(Bindings, PythonLoggingReachesTheLogSink) {
  LogCapture log;
  auto d = Load(ProbeOptions("LoggingBridgeDest", &log));
  QueuedMessage m = MakeQueued("abc");
  EXPECT_EQ(SendPrepared(*d, m), DeliveryResult::kSuccess);
  auto rec = log.Find("python-mydest: bridged abc");
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->level, LogRecord::Level::kWarning);
  auto debug = log.Find("python-mydest: debug line");
  ASSERT_NE(debug, nullptr);
  EXPECT_EQ(debug->level, LogRecord::Level::kDebug);
}

TEST(Bindings, StatsWrittenBytesAddCounts) {
  auto d = Load(ProbeOptions("Counter", nullptr));
  QueuedMessage m = MakeQueued("abc");
  SendPrepared(*d, m);
  SendPrepared(*d, m);
  EXPECT_EQ(d->counters().written_bytes.load(), 20u);
}

TEST(Bindings, PersistSurvivesANewDestination) {
  DestinationOptions o = ProbeOptions("PersistDest", nullptr);
  o.persist_name = "counter";
  QueuedMessage m = MakeQueued("m1");
  {
    auto d = Load(o);
    SendPrepared(*d, m);
    SendPrepared(*d, m);
  }
  auto d = Load(o);
  SendPrepared(*d, m);
  std::ifstream in(o.state_dir + "/python.counter.persist.json");
  ASSERT_TRUE(in);
  std::stringstream buf;
  buf << in.rdbuf();
  auto doc = nlohmann::json::parse(buf.str());
  EXPECT_EQ(doc["count"]["value"], 3);
  EXPECT_EQ(doc["count"]["type"], "int");
  EXPECT_EQ(doc["last"]["type"], "bytes");
  EXPECT_EQ(doc["name"]["value"], "x");
}

TEST(Bindings, PersistRejectsOtherValueTypes) {
  ASSERT_NE(Load(ProbeOptions("Recorder", nullptr)), nullptr);
  EXPECT_THAT(EvalRepr("__import__('syslogng').Persist('t1').__setitem__("
                       "'k', 1.5)"),
              HasSubstr("TypeError"));
  EXPECT_THAT(EvalRepr("__import__('syslogng').Persist('a##b')"),
              HasSubstr("ValueError"));
  EXPECT_THAT(EvalRepr("__import__('syslogng').Persist('t1')['missing']"),
              HasSubstr("KeyError"));
}

TEST(Bindings, LogTemplateFormatsAMessage) {
  ResetProbe();
  auto d = Load(ProbeOptions("TemplateDest", nullptr));
  QueuedMessage m = MakeQueued("text");
  SendPrepared(*d, m);
  EXPECT_EQ(EvalRepr("received[0]"), "'myhost text'");
}

TEST(Bindings, LogTemplateErrorRaisesLogTemplateException) {
  ASSERT_NE(Load(ProbeOptions("Recorder", nullptr)), nullptr);
  EXPECT_THAT(EvalRepr("__import__('syslogng').LogTemplate('${HOST')"),
              HasSubstr("LogTemplateException"));
}

}  // namespace
}  // namespace pydest::internal
