// Loading and initialising a destination class (syslog-ng-behaviour.md §2.2).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include "libpydest/python/python_destination.h"
#include "tests/python/python_test_util.h"

namespace pydest::internal {
namespace {

using ::testing::HasSubstr;
using testing::EvalRepr;
using testing::LogCapture;
using testing::ProbeOptions;
using testing::ResetProbe;

absl::StatusOr<std::unique_ptr<PythonDestination>> Load(
    const DestinationOptions& o) {
  return PythonDestination::CreateWithValuePairs(o, nullptr);
}

TEST(ClassLoading, MissingModuleNamesModuleAndSearchPath) {
  LogCapture log;
  DestinationOptions o = ProbeOptions("X", &log);
  o.class_name = "no_such_module_xyz.Dest";
  auto d = Load(o);
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(), HasSubstr("'no_such_module_xyz'"));
  EXPECT_THAT(d.status().message(), HasSubstr("sys.path searched"));
  EXPECT_THAT(d.status().message(), HasSubstr(PYDEST_TEST_CLASSES_DIR));
  EXPECT_THAT(d.status().message(), HasSubstr("ModuleNotFoundError"));
  EXPECT_THAT(d.status().message(), HasSubstr("Traceback"));
}

TEST(ClassLoading, MissingClassNamesClass) {
  LogCapture log;
  auto d = Load(ProbeOptions("NoSuchClass", &log));
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(),
              HasSubstr("module 'probe' has no attribute 'NoSuchClass'"));
}

TEST(ClassLoading, EmptyClassIsAnError) {
  DestinationOptions o = ProbeOptions("X", nullptr);
  o.class_name = "";
  EXPECT_FALSE(Load(o).ok());
}

TEST(ClassLoading, InitReturningFalseFails) {
  LogCapture log;
  auto d = Load(ProbeOptions("InitFalse", &log));
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(),
              HasSubstr("Error initializing Python driver object, init() "
                        "returned FALSE; driver='d_py#0', "
                        "class='probe.InitFalse'"));
}

TEST(ClassLoading, InitReturningNoneFails) {
  auto d = Load(ProbeOptions("InitNone", nullptr));
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(), HasSubstr("init() returned FALSE"));
}

TEST(ClassLoading, InitRaisingFailsNamingTheExceptionWithItsTracebackOnce) {
  LogCapture log;
  auto d = Load(ProbeOptions("InitRaise", &log));
  ASSERT_FALSE(d.ok());
  const std::string msg(d.status().message());
  EXPECT_THAT(msg, HasSubstr("Error initializing Python driver object, "
                             "init() raised ValueError: init raised on "
                             "purpose; driver='d_py#0', "
                             "class='probe.InitRaise'"));
  EXPECT_THAT(msg, ::testing::Not(HasSubstr("returned FALSE")));
  EXPECT_EQ(msg.find("Traceback"), msg.rfind("Traceback"));
  EXPECT_NE(msg.find("Traceback"), std::string::npos);
  // Not logged as well: the Status is the one report.
  EXPECT_EQ(log.Find("Exception while calling a Python function"), nullptr);
}

TEST(ClassLoading, NulInClassNameIsShownEscapedInTheError) {
  DestinationOptions o = ProbeOptions("X", nullptr);
  o.class_name = std::string("probe\0evil.Recorder", 19);
  auto d = Load(o);
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(),
              HasSubstr("'probe\\x00evil.Recorder': the name contains a "
                        "NUL byte"));
}

TEST(ClassLoading, InitWithoutOptionsArgumentIsCalledWithoutArguments) {
  ResetProbe();
  auto d = Load(ProbeOptions("PlainRecorder", nullptr));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(EvalRepr("events"), "[('plain-init', None)]");
}

TEST(ClassLoading, MissingSendIsAnInitError) {
  auto d = Load(ProbeOptions("NoSend", nullptr));
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(), HasSubstr("does not have a send() method"));
}

TEST(ClassLoading, ConstructorRaisingFails) {
  auto d = Load(ProbeOptions("CtorRaise", nullptr));
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(),
              HasSubstr("Error instantiating Python driver class"));
  EXPECT_THAT(d.status().message(), HasSubstr("constructor raised on purpose"));
}

TEST(ClassLoading, ClassConstantsAreInjectedAsPlainInts) {
  auto d = Load(ProbeOptions("Recorder", nullptr));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(EvalRepr("(Recorder.DROP, Recorder.ERROR, Recorder.SUCCESS, "
                     "Recorder.QUEUED, Recorder.NOT_CONNECTED, Recorder.RETRY, "
                     "Recorder.MAX)"),
            "(0, 1, 3, 4, 5, 6, 7)");
  EXPECT_EQ(EvalRepr("type(Recorder.SUCCESS).__name__"), "'int'");
  EXPECT_EQ(EvalRepr("int(Recorder.seqnum)"), "0");
  EXPECT_EQ(EvalRepr("Recorder.template_options.frac_digits"), "0");
}

TEST(ClassLoading, OptionsAreStringsUnderVersion3) {
  ResetProbe();
  DestinationOptions o = ProbeOptions("Recorder", nullptr);
  o.version = {3, 38};
  o.options = {{"n", {OptionValue::Kind::kInteger, "5", {}}},
               {"flag", {OptionValue::Kind::kBoolean, "yes", {}}},
               {"dash_key", {OptionValue::Kind::kString, "v", {}}}};
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(EvalRepr("events[0]"),
            "('init', {'n': '5', 'flag': 'yes', 'dash_key': 'v'})");
}

TEST(ClassLoading, OptionsAreTypedFromVersion42) {
  ResetProbe();
  DestinationOptions o = ProbeOptions("Recorder", nullptr);
  o.version = {4, 2};
  o.options = {{"n", {OptionValue::Kind::kInteger, "5", {}}},
               {"f", {OptionValue::Kind::kDouble, "1.5", {}}},
               {"flag", {OptionValue::Kind::kBoolean, "yes", {}}},
               {"l", {OptionValue::Kind::kList, "", {"a", "b"}}},
               {"s", {OptionValue::Kind::kString, "v", {}}}};
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(EvalRepr("events[0]"),
            "('init', {'n': 5, 'f': 1.5, 'flag': True, 'l': ['a', 'b'], "
            "'s': 'v'})");
}

TEST(ClassLoading, TemplateOptionBecomesLogTemplateFromVersion42) {
  ResetProbe();
  DestinationOptions o = ProbeOptions("Recorder", nullptr);
  o.version = {4, 2};
  o.options = {{"t", {OptionValue::Kind::kTemplate, "${HOST}", {}}}};
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(EvalRepr("events[0]"), "('init', {'t': LogTemplate('${HOST}')})");
}

TEST(ClassLoading, BadTemplateOptionFailsInit) {
  DestinationOptions o = ProbeOptions("Recorder", nullptr);
  o.version = {4, 2};
  o.options = {{"t", {OptionValue::Kind::kTemplate, "${HOST", {}}}};
  auto d = Load(o);
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(), HasSubstr("LogTemplateException"));
}

TEST(ClassLoading, PersistNameDefaultsToPythonOfClass) {
  ResetProbe();
  auto d = Load(ProbeOptions("Recorder", nullptr));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ((*d)->persist_name(), "python(probe.Recorder)");
  EXPECT_EQ(EvalRepr("events[1]"),
            "('persist_name', 'python(probe.Recorder)')");
}

TEST(ClassLoading, PersistNameOptionIsPrefixed) {
  DestinationOptions o = ProbeOptions("Recorder", nullptr);
  o.persist_name = "p1";
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ((*d)->persist_name(), "python.p1");
}

TEST(ClassLoading, GeneratePersistNameResultIsPrefixed) {
  DestinationOptions o = ProbeOptions("GenPersist", nullptr);
  o.options = {{"k", {OptionValue::Kind::kString, "v", {}}}};
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ((*d)->persist_name(), "python.gen-v");
  EXPECT_EQ(EvalRepr("GenPersist.persist_name"), "'python.gen-v'");
}

TEST(ClassLoading, GeneratePersistNameRaisingFallsBackToDefault) {
  LogCapture log;
  DestinationOptions o = ProbeOptions("GenPersist", &log);
  o.options = {{"k", {OptionValue::Kind::kString, "raise", {}}}};
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ((*d)->persist_name(), "python(probe.GenPersist)");
  EXPECT_NE(log.Find("Failed while generating persist name, using default"),
            nullptr);
}

TEST(ClassLoading, WorkersCreateOneInitialisedInstanceEach) {
  ResetProbe();
  DestinationOptions o = ProbeOptions("Recorder", nullptr);
  o.workers = 3;
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ((*d)->worker_count(), 3);
  EXPECT_EQ(EvalRepr("sum(1 for e in events if e[0] == 'init')"), "3");
  EXPECT_NE((*d)->driver(0), (*d)->driver(2));
}

TEST(ClassLoading, DeinitIsCalledOncePerInstance) {
  ResetProbe();
  DestinationOptions o = ProbeOptions("Recorder", nullptr);
  o.workers = 2;
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
  (*d)->Deinit();
  (*d)->Deinit();
  d->reset();
  EXPECT_EQ(EvalRepr("sum(1 for e in events if e[0] == 'deinit')"), "2");
}

TEST(ClassLoading, ClassWithoutDotIsLookedUpInGlobalCode) {
  DestinationOptions o = ProbeOptions("X", nullptr);
  o.class_name = "Inline";
  o.global_code =
      "class Inline:\n"
      "    def send(self, msg):\n"
      "        return True\n";
  o.global_code_filename = "test.conf{python-global-code:1}";
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
}

TEST(ClassLoading, GlobalCodeErrorIsReported) {
  DestinationOptions o = ProbeOptions("X", nullptr);
  o.class_name = "Inline2";
  o.global_code = "raise RuntimeError('bad block')\n";
  auto d = Load(o);
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(),
              HasSubstr("Error evaluating global Python block"));
  EXPECT_THAT(d.status().message(), HasSubstr("bad block"));
  // The block's own line, served to the traceback through linecache.
  EXPECT_THAT(d.status().message(),
              HasSubstr("    raise RuntimeError('bad block')"));
}

TEST(ClassLoading, PlainClassUnderVersion4WarnsButLoads) {
  LogCapture log;
  DestinationOptions o = ProbeOptions("NoOptionalMethods", &log);
  o.version = {4, 0};
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_NE(log.Find("not a subclass of syslogng.LogDestination"), nullptr);
}

TEST(ClassLoading, PlainClassUnderVersion3DoesNotWarn) {
  LogCapture log;
  DestinationOptions o = ProbeOptions("NoOptionalMethods", &log);
  o.version = {3, 38};
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(log.Find("not a subclass"), nullptr);
}

TEST(ClassLoading, LoaderImportFailureIsLoggedNotFatal) {
  LogCapture log;
  DestinationOptions o = ProbeOptions("Recorder", &log);
  o.loaders = {"json", "no_such_loader_xyz"};
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
  auto rec = log.Find("Error loading Python module");
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->tags[0].second, "no_such_loader_xyz");
}

TEST(ClassLoading, SysArgvIsPydest) {
  ASSERT_TRUE(Load(ProbeOptions("Recorder", nullptr)).ok());
  EXPECT_EQ(EvalRepr("__import__('sys').argv"), "['pydest']");
}

TEST(ClassLoading, PythonNeverTakesSigintFromTheHost) {
  ASSERT_TRUE(Load(ProbeOptions("Recorder", nullptr)).ok());
  // Importing `signal` would install CPython's handler in a plain embed.
  EXPECT_EQ(EvalRepr("__import__('importlib').import_module('signal').SIGINT"),
            "<Signals.SIGINT: 2>");
  struct sigaction current;
  ASSERT_EQ(sigaction(SIGINT, nullptr, &current), 0);
  EXPECT_EQ(current.sa_handler, SIG_DFL);
}

TEST(ClassLoading, SyslogngPackageIsTheEmbeddedOne) {
  ASSERT_TRUE(Load(ProbeOptions("Recorder", nullptr)).ok());
  EXPECT_EQ(EvalRepr("__import__('syslogng').EMBEDDED"), "True");
}

}  // namespace
}  // namespace pydest::internal
