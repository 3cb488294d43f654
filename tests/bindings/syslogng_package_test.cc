// The syslogng package of syslog-ng 4.x and AxoSyslog inside a host
// (issue 12): every public name, a module defining a parser beside its
// destination, syslogng.modules.<name> from a destination's python-path,
// register_config_generator, get_installation_path_for, target(axosyslog),
// generate_persist_name, and keys() under concurrent name creation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "bindings/module/config_generators.h"
#include "libpydest/pyrt/gil.h"
#include "libpydest/pyrt/interpreter.h"
#include "libpydest/pyrt/py_ref.h"
#include "libpydest/python/python_destination.h"
#include "tests/python/python_test_util.h"

namespace pydest::internal {
namespace {

using ::testing::HasSubstr;
using testing::EvalRepr;
using testing::Exec;
using testing::LogCapture;
using testing::MakeQueued;
using testing::SendPrepared;
using testing::ProbeOptions;

absl::StatusOr<std::unique_ptr<PythonDestination>> Load(
    const DestinationOptions& o) {
  return PythonDestination::CreateWithValuePairs(o, nullptr);
}

DestinationOptions Compat(const std::string& cls, LogCapture* log) {
  DestinationOptions o = ProbeOptions(cls, log);
  o.class_name = "compat4x." + cls;
  return o;
}

std::string MakeTempDir() {
  char dir[] = "/tmp/pydest-syslogng-modules-XXXXXX";
  return mkdtemp(dir) != nullptr ? dir : "";
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

TEST(SyslogngPackage, EveryPublicNameOfThe4xPackageAndItsCModuleImports) {
  ASSERT_TRUE(Load(Compat("ListDestination", nullptr)).ok());
  EXPECT_EQ(EvalRepr("__import__('compat4x').missing_names(True)"), "[]");
  EXPECT_EQ(EvalRepr("__import__('syslogng').EMBEDDED"), "True");
}

TEST(SyslogngPackage, ModuleWithParserAndDestinationLoadsAndDelivers) {
  LogCapture log;
  auto d = Load(Compat("ListDestination", &log));
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_TRUE(Exec("import compat4x\ncompat4x.received.clear()\n"));
  QueuedMessage m = MakeQueued("hello");
  EXPECT_EQ(SendPrepared(**d, m), DeliveryResult::kSuccess);
  EXPECT_EQ(EvalRepr("compat4x.received"), "[b'hello']");
  // The parser class is a real subclass, and its parse() works on a
  // LogMessage made in Python.
  EXPECT_EQ(EvalRepr("(lambda m: (compat4x.UpperParser().parse(m), "
                     "m['MESSAGE']))(compat4x.LogMessage('abc'))"),
            "(True, b'ABC')");
  // `from typing import Dict` ran: the except ImportError branch did not.
  EXPECT_EQ(EvalRepr("compat4x.Dict is not None and "
                     "compat4x.LogParser is not object"),
            "True");
}

TEST(SyslogngPackage, SourceSideClassesSubclassAndHostOnlyMethodsRaise) {
  ASSERT_TRUE(Load(Compat("ListDestination", nullptr)).ok());
  EXPECT_EQ(EvalRepr("compat4x.HttpSource().started"), "True");
  EXPECT_EQ(EvalRepr("compat4x.PollFetcher().fetch()[0] == "
                     "compat4x.LogFetcher.FETCH_NO_DATA"),
            "True");
  ASSERT_TRUE(Exec(R"py(
import compat4x
try:
    compat4x.HttpSource().run()
    run_error = None
except NotImplementedError as e:
    run_error = str(e)
)py"));
  EXPECT_THAT(EvalRepr("run_error"),
              HasSubstr("LogSource.post_message() is only available inside "
                        "syslog-ng: libpydest runs python() destinations"));
  ASSERT_TRUE(Exec(R"py(
errors = []
for call in (lambda: compat4x.LogMessage("x").set_bookmark(None),
             lambda: compat4x.LogMessage("x").set_source_ipaddress("::1", 5),
             lambda: compat4x.LogMessage.parse("<13>x", None)):
    try:
        call()
    except NotImplementedError as e:
        errors.append(str(e).split(":")[0])
)py"));
  EXPECT_EQ(EvalRepr("errors"),
            "['LogMessage.set_bookmark() is only available inside syslog-ng', "
            "'LogMessage.set_source_ipaddress() is only available inside "
            "syslog-ng', 'LogMessage.parse() is only available inside "
            "syslog-ng']");
  EXPECT_EQ(EvalRepr("[int(getattr(compat4x.LogFetcher, n)) for n in "
                     "('FETCH_ERROR', 'FETCH_NOT_CONNECTED', 'FETCH_SUCCESS',"
                     " 'FETCH_TRY_AGAIN', 'FETCH_NO_DATA')]"),
            "[0, 1, 2, 3, 4]");
}

TEST(SyslogngPackage, SyslogngModulesResolvesFromTheDestinationsPythonPath) {
  const std::string tmp = MakeTempDir();
  ASSERT_FALSE(tmp.empty());
  mkdir((tmp + "/syslogng").c_str(), 0755);
  mkdir((tmp + "/syslogng/modules").c_str(), 0755);
  mkdir((tmp + "/syslogng/modules/example").c_str(), 0755);
  WriteFile(tmp + "/syslogng/modules/example/__init__.py", R"py(
from syslogng import LogDestination
from .helper import PREFIX

delivered = []

class ExampleDestination(LogDestination):
    def send(self, msg):
        delivered.append(PREFIX + msg["MESSAGE"])
        return self.SUCCESS
)py");
  WriteFile(tmp + "/syslogng/modules/example/helper.py", "PREFIX = b'ex:'\n");
  // syslogng.modules is imported before this path exists on sys.path.
  ASSERT_TRUE(Exec("import syslogng.modules\n"));
  LogCapture log;
  DestinationOptions o = ProbeOptions("X", &log);
  o.class_name = "syslogng.modules.example.ExampleDestination";
  o.python_path = {tmp};
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
  QueuedMessage m = MakeQueued("hi");
  EXPECT_EQ(SendPrepared(**d, m), DeliveryResult::kSuccess);
  EXPECT_EQ(EvalRepr("__import__('syslogng.modules.example').modules."
                     "example.delivered"),
            "[b'ex:hi']");
  EXPECT_EQ(EvalRepr("'" + tmp + "/syslogng/modules' in "
                     "__import__('syslogng.modules').modules.__path__"),
            "True");
}

TEST(SyslogngPackage, RegisterConfigGeneratorRecordsForTheConfigLayer) {
  ASSERT_TRUE(Load(Compat("ListDestination", nullptr)).ok());
  {
    GilGuard gil;
    ClearConfigGenerators(gil.held());
  }
  ASSERT_TRUE(Exec(R"py(
import syslogng
def gen(args):
    return 'python(class("compat4x.ListDestination"))'
syslogng.register_config_generator(context="destination", name="mydest",
                                   config_generator=gen)
syslogng.register_config_generator("source", "mysrc", lambda args: "")
try:
    syslogng.register_config_generator("nowhere", "x", gen)
    context_error = None
except ValueError as e:
    context_error = str(e)
)py"));
  EXPECT_THAT(EvalRepr("context_error"),
              HasSubstr("unknown context value nowhere"));
  GilGuard gil;
  std::vector<ConfigGenerator> all = ConfigGenerators(gil.held());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].context, "destination");
  EXPECT_EQ(all[0].name, "mydest");
  EXPECT_EQ(all[1].context, "source");
  Ref args(PyDict_New());
  Ref text(PyObject_CallOneArg(all[0].generator, args.get()));
  ASSERT_TRUE(text);
  EXPECT_STREQ(PyUnicode_AsUTF8(text.get()),
               "python(class(\"compat4x.ListDestination\"))");
  for (ConfigGenerator& g : all) Py_DECREF(g.generator);
  Ref found(FindConfigGenerator(gil.held(), "destination", "mydest"));
  EXPECT_TRUE(found);
  EXPECT_FALSE(Ref(FindConfigGenerator(gil.held(), "destination", "nope")));
  ClearConfigGenerators(gil.held());
  EXPECT_TRUE(ConfigGenerators(gil.held()).empty());
}

TEST(SyslogngPackage, GetInstallationPathForAnswersWithLibpydestsPaths) {
  LogCapture log;
  DestinationOptions o = Compat("ListDestination", &log);
  ASSERT_TRUE(Load(o).ok());
  const std::string pkgdatadir =
      std::string(PYDEST_INSTALL_DATADIR) + "/libpydest";
  EXPECT_EQ(EvalRepr("__import__('syslogng').get_installation_path_for("
                     "'${prefix}/x ${datadir} ${moduledir}/python ${nope}')"),
            "'" + std::string(PYDEST_INSTALL_PREFIX) + "/x " +
                PYDEST_INSTALL_DATADIR + " " + pkgdatadir + "/python ${nope}'");
  // ${localstatedir} is the state_dir of the destination whose code asks.
  ASSERT_TRUE(Exec(R"py(
import compat4x, syslogng
class StatePath(compat4x.ListDestination):
    def init(self, options):
        self.where = syslogng.get_installation_path_for("${localstatedir}/s3")
        compat4x.state_path = self.where
        return True
compat4x.StatePath = StatePath
)py"));
  DestinationOptions s = Compat("StatePath", &log);
  ASSERT_TRUE(Load(s).ok());
  EXPECT_EQ(EvalRepr("compat4x.state_path"), "'" + s.state_dir + "/s3'");
}

TEST(SyslogngPackage, SyslogNgTargetSetsClassAttributesAndFormatGivesStr) {
  ASSERT_TRUE(Exec("import compat4x\ncompat4x.seen.clear()\n"
                   "compat4x.received.clear()\n"));
  auto d = Load(Compat("AttributeProbeSyslogNg", nullptr));
  ASSERT_TRUE(d.ok()) << d.status();
  // __init__: template_options already on the class, persist_name not yet.
  EXPECT_EQ(EvalRepr("compat4x.seen[0]"), "('__init__', False, True, False)");
  EXPECT_EQ(EvalRepr("compat4x.seen[1]"),
            "('init', False, False, None, "
            "'python(compat4x.AttributeProbeSyslogNg)')");
  QueuedMessage m = MakeQueued("hello");
  SendPrepared(**d, m);
  EXPECT_EQ(EvalRepr("compat4x.received"), "['hello']");
}

TEST(SyslogngPackage, AxoSyslogTargetSetsInstanceAttributesAndFormatGivesBytes) {
  ASSERT_TRUE(Exec("import compat4x\ncompat4x.seen.clear()\n"
                   "compat4x.received.clear()\n"));
  DestinationOptions o = Compat("AttributeProbeAxoSyslog", nullptr);
  o.target = Target::kAxoSyslog;
  o.workers = 2;
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
  // __init__ sees none of them; init() sees them on its own instance.
  EXPECT_EQ(EvalRepr("compat4x.seen"),
            "[('__init__', False, False, False), "
            "('__init__', False, False, False), "
            "('init', True, True, "
            "'python(compat4x.AttributeProbeAxoSyslog)', None), "
            "('init', True, True, "
            "'python(compat4x.AttributeProbeAxoSyslog)', None)]");
  EXPECT_EQ(EvalRepr("compat4x.AttributeProbeAxoSyslog.SUCCESS"), "3");
  QueuedMessage m = MakeQueued("hello");
  SendPrepared(**d, m);
  EXPECT_EQ(EvalRepr("compat4x.received"), "[b'hello']");
}

TEST(SyslogngPackage, GeneratePersistNameNamesThePersistEntriesUnderEveryTarget) {
  for (Target target : {Target::kSyslogNg, Target::kAxoSyslog}) {
    DestinationOptions o = Compat("NamedByGenerator", nullptr);
    o.options.emplace_back("tenant", OptionValue{OptionValue::Kind::kString,
                                                 "acme", {}});
    o.target = target;
    auto d = Load(o);
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ((*d)->persist_name(), "python.gen-acme");
    struct stat st;
    EXPECT_EQ(stat((o.state_dir + "/python.gen-acme.persist.json").c_str(),
                   &st),
              0)
        << "target " << static_cast<int>(target);
  }
}

TEST(SyslogngPackage, KeysIsSafeWhileOtherThreadsCreateNames) {
  ASSERT_TRUE(Load(Compat("ListDestination", nullptr)).ok());
  EXPECT_EQ(EvalRepr("__import__('compat4x').keys_under_concurrent_names()"),
            "[]");
}

TEST(SyslogngPackage, ThreadsTheDestinationStartsLogToItsSinkAndPaths) {
  // S3's uploader (syslog-ng and AxoSyslog's syslogng.modules.s3) logs from
  // a ThreadPoolExecutor and a threading.Timer: those records are the
  // destination's, as syslog-ng's internal log takes them from any thread.
  LogCapture log;
  DestinationOptions o = ProbeOptions("UploaderDestination", &log);
  o.class_name = "own_threads.UploaderDestination";
  auto d = Load(o);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_TRUE((*d)->driver(0)->Open());
  QueuedMessage m = MakeQueued("part-1");
  EXPECT_EQ(SendPrepared(**d, m), DeliveryResult::kSuccess);
  EXPECT_EQ(log.Count("python-Uploader: timer thread ticked"), 1);
  EXPECT_EQ(log.Count("python-Uploader: uploaded part-1 from an executor "
                      "thread"),
            1);
  EXPECT_EQ(log.Count("syslogng.Logger on an executor thread"), 1);
  EXPECT_EQ(EvalRepr("__import__('own_threads').results['state_dir']"),
            "'" + o.state_dir + "'");
  EXPECT_EQ(EvalRepr("__import__('own_threads')"
                     ".thread_started_outside_a_destination()"),
            "(None, [1])");
}

}  // namespace
}  // namespace pydest::internal
