// syslogng.LogMessage as a C type (syslog-ng-behaviour.md §7.2): what its
// recycling of objects, subclassing, keyword arguments and lazily read clock
// must not change.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "bindings/module/log_message_values.h"
#include "bindings/module/syslogng_module.h"
#include "libpydest/pyrt/interpreter.h"
#include "libpydest/python/python_destination.h"
#include "tests/python/python_test_util.h"

namespace pydest::internal {
namespace {

using ::testing::HasSubstr;
using testing::EvalRepr;
using testing::Exec;
using testing::MakeQueued;
using testing::SendPrepared;
using testing::ProbeOptions;
using testing::ResetProbe;

// Loads a destination once, so the interpreter and `_syslogng` exist.
void EnsureModule() {
  static bool loaded = [] {
    auto d = PythonDestination::CreateWithValuePairs(
        ProbeOptions("Recorder", nullptr), nullptr);
    return d.ok();
  }();
  ASSERT_TRUE(loaded);
}

std::shared_ptr<DestinationContext> Context(ConfigVersion version) {
  auto c = std::make_shared<DestinationContext>();
  c->version = version;
  return c;
}

// Binds `name` in the probe module to a read-only LogMessage of `msg`.
void Bind(const std::string& name, const Message& msg, ConfigVersion version,
          Timestamp processed = {}) {
  EnsureModule();
  GilGuard gil;
  PyObject* obj =
      NewLogMessage(gil.held(), msg, 7, processed, Context(version));
  ASSERT_NE(obj, nullptr);
  PyObject* probe = PyImport_ImportModule("probe");
  ASSERT_NE(probe, nullptr);
  ASSERT_EQ(PyObject_SetAttrString(probe, name.c_str(), obj), 0);
  Py_DECREF(probe);
  Py_DECREF(obj);
}

Message WithPair(const std::string& name, const std::string& value) {
  MessageBuilder b;
  b.SetText("text of " + name).Set(name, value);
  b.SetStamp(Timestamp{1700000000, 0, 0});  // in 2023 in every time zone
  return b.Build();
}

TEST(LogMessageType, RecycledMessageKeepsNothingOfThePreviousOne) {
  for (int i = 0; i < 100; ++i) {
    Bind("m", WithPair("secret" + std::to_string(i), "s"), {4, 2});
    Exec("del m\n");  // back to the free list
    Bind("m", WithPair("other", "o"), {4, 2});
    std::string key = "'secret" + std::to_string(i) + "'";
    ASSERT_THAT(EvalRepr("m[" + key + "]"), HasSubstr("KeyError"));
    ASSERT_EQ(EvalRepr(key + " in m"), "False");
    ASSERT_EQ(EvalRepr("b" + key + " in m.keys()"), "False");
    ASSERT_EQ(EvalRepr("m['MESSAGE']"), "b'text of other'");
  }
}

TEST(LogMessageType, WeakReferenceDiesWithTheMessageWhenItsMemoryIsReused) {
  Bind("m", WithPair("a", "1"), {4, 2});
  ASSERT_TRUE(Exec("import weakref\nr = weakref.ref(m)\ndel m\n"));
  Bind("m", WithPair("b", "2"), {4, 2});
  EXPECT_EQ(EvalRepr("r()"), "None");
  EXPECT_EQ(EvalRepr("weakref.ref(m)() is m"), "True");
}

TEST(LogMessageType, MessageKeptAfterSendStillReadsItsValues) {
  EnsureModule();
  ASSERT_TRUE(Exec("class KeepFirst(LogDestination):\n"
                   "    kept = None\n"
                   "    def send(self, msg):\n"
                   "        msg['HOST']\n"
                   "        if KeepFirst.kept is None:\n"
                   "            KeepFirst.kept = msg\n"
                   "        return True\n"));
  auto d = PythonDestination::CreateWithValuePairs(
      ProbeOptions("KeepFirst", nullptr), nullptr);
  ASSERT_TRUE(d.ok()) << d.status();
  for (int i = 0; i < 200; ++i) {
    QueuedMessage m = MakeQueued("m" + std::to_string(i));
    ASSERT_EQ(SendPrepared(**d, m), DeliveryResult::kSuccess);
  }
  EXPECT_EQ(EvalRepr("KeepFirst.kept['MESSAGE']"), "b'm0'");
  EXPECT_EQ(EvalRepr("KeepFirst.kept['PROGRAM']"), "b'prog'");
  EXPECT_EQ(EvalRepr("KeepFirst.kept['custom.key']"), "b'custom-value'");
  // The destination's reference, plus getrefcount's own argument.
  EXPECT_EQ(EvalRepr("__import__('sys').getrefcount(KeepFirst.kept)"), "2");
}

TEST(LogMessageType, SubclassesWork) {
  EnsureModule();
  ASSERT_TRUE(Exec("from syslogng import LogMessage\n"
                   "class Sub(LogMessage):\n"
                   "    def __init__(self, text, tag):\n"
                   "        super().__init__(text)\n"
                   "        self.tag = tag\n"
                   "    def text(self):\n"
                   "        return self['MESSAGE']\n"
                   "subs = [Sub('x%d' % i, i) for i in range(100)]\n"));
  EXPECT_EQ(EvalRepr("(subs[3].text(), subs[3].tag, subs[3]['MSG'])"),
            "(b'x3', 3, b'x3')");
  EXPECT_EQ(EvalRepr("isinstance(subs[0], LogMessage)"), "True");
  EXPECT_EQ(EvalRepr("repr(subs[1])"), "\"<LogMessage b'x1'>\"");
  EXPECT_EQ(EvalRepr("(subs[2].__setitem__('K', 'v'), subs[2]['K'])[1]"),
            "b'v'");
  // Dropping subclass instances between plain ones must not mix them up.
  ASSERT_TRUE(Exec("del subs\nplain = [LogMessage('p%d' % i) for i in "
                   "range(100)]\n"));
  EXPECT_EQ(EvalRepr("plain[99]['MESSAGE']"), "b'p99'");
  EXPECT_EQ(EvalRepr("type(plain[0]).__name__"), "'LogMessage'");
}

TEST(LogMessageType, GetAndGetAsStrTakeKeywordArguments) {
  Bind("m", WithPair("A", "caf\xc3\xa9"), {4, 2});
  EXPECT_EQ(EvalRepr("m.get(key='A')"), "b'caf\\xc3\\xa9'");
  EXPECT_EQ(EvalRepr("m.get('nope', default=3)"), "3");
  EXPECT_EQ(EvalRepr("m.get('nope')"), "None");
  EXPECT_EQ(EvalRepr("m.get_as_str('A', encoding='latin-1')"), "'cafÃ©'");
  EXPECT_EQ(EvalRepr("m.get_as_str(b'A', 'd', 'ascii', errors='replace')"),
            "'caf\xef\xbf\xbd\xef\xbf\xbd'");  // U+FFFD twice
  EXPECT_EQ(EvalRepr("m.get_as_str(key='nope', default='d', repr='x')"),
            "'d'");
  EXPECT_THAT(EvalRepr("m.get('A', 1, 2)"), HasSubstr("TypeError"));
  EXPECT_THAT(EvalRepr("m.get()"), HasSubstr("TypeError"));
  EXPECT_THAT(EvalRepr("m.get('A', dflt=1)"), HasSubstr("TypeError"));
  EXPECT_THAT(EvalRepr("m.get('A', key='A')"), HasSubstr("TypeError"));
  EXPECT_THAT(EvalRepr("m.get(5)"), HasSubstr("name must be str or bytes"));
}

TEST(LogMessageType, GetAsStrJoinsTypedListsAndFormatsNumbers) {
  MessageBuilder b;
  b.SetFacility(4).AddTag("t1").AddTag("t2");
  Bind("m", b.Build(), {4, 2});
  EXPECT_EQ(EvalRepr("m['TAGS']"), "[b't1', b't2']");
  EXPECT_EQ(EvalRepr("m.get_as_str('TAGS')"), "'t1,t2'");
  EXPECT_EQ(EvalRepr("m.get_as_str('FACILITY_NUM')"), "'4'");
}

TEST(LogMessageType, ReadOnlyMessageRefusesEveryChange) {
  Bind("m", WithPair("A", "1"), {4, 2});
  EXPECT_THAT(EvalRepr("m.__setitem__('A', 'x')"),
              HasSubstr("TypeError: Log message is read only"));
  EXPECT_THAT(EvalRepr("m.set_pri(1)"), HasSubstr("read only"));
  EXPECT_THAT(EvalRepr("m.set_timestamp(__import__('datetime').datetime."
                       "now())"),
              HasSubstr("read only"));
  EXPECT_THAT(EvalRepr("m.__init__('again')"), HasSubstr("read only"));
  EXPECT_THAT(EvalRepr("m.__delitem__('A')"), HasSubstr("TypeError"));
  EXPECT_EQ(EvalRepr("(m['A'], m['MESSAGE'], m.get_pri())"),
            "(b'1', b'text of A', 13)");
}

TEST(LogMessageType, WritableMessageTakesPriAndTimestamp) {
  EnsureModule();
  ASSERT_TRUE(Exec("from syslogng import LogMessage\n"
                   "import datetime\n"
                   "w = LogMessage(message=b'raw', bookmark=None)\n"
                   "w.set_pri(165)\n"
                   "w.set_timestamp(datetime.datetime(2024, 1, 2, 3, 4, 5, "
                   "600000, tzinfo=datetime.timezone.utc))\n"
                   "w['n'] = 5\n"
                   "w['b'] = True\n"));
  EXPECT_EQ(EvalRepr("w.get_pri()"), "165");
  EXPECT_EQ(EvalRepr("w.get_timestamp()"),
            "datetime.datetime(2024, 1, 2, 3, 4, 5, 600000)");
  EXPECT_EQ(EvalRepr("(w['MESSAGE'], w['n'], w['b'])"),
            "(b'raw', b'5', b'true')");
  EXPECT_THAT(EvalRepr("w.set_pri('1')"), HasSubstr("TypeError"));
  EXPECT_THAT(EvalRepr("w.set_pri(1.5)"), HasSubstr("TypeError"));
  EXPECT_THAT(EvalRepr("w.set_timestamp(5)"), HasSubstr("ValueError"));
  EXPECT_THAT(EvalRepr("w.__setitem__('x', object())"),
              HasSubstr("must be str or bytes"));
  EXPECT_THAT(EvalRepr("LogMessage(1, 2, 3)"), HasSubstr("TypeError"));
}

TEST(LogMessageType, ReprShowsTheMessageAsBytes) {
  EnsureModule();
  EXPECT_EQ(EvalRepr("repr(__import__('syslogng').LogMessage(\"it's\"))"),
            "'<LogMessage b\"it\\'s\">'");
  EXPECT_EQ(EvalRepr("repr(__import__('syslogng').LogMessage())"),
            "\"<LogMessage b''>\"");
}

TEST(LogMessageType, ClockMacrosReadTheClockAndOthersDoNot) {
  Bind("m", WithPair("A", "1"), {3, 38});
  std::string year = EvalRepr("str(__import__('datetime').date.today().year)"
                              ".encode()");
  EXPECT_EQ(EvalRepr("m['C_YEAR']"), year);
  EXPECT_EQ(EvalRepr("m['P_YEAR']"), year);  // no processing time given
  EXPECT_EQ(EvalRepr("m['YEAR']"), "b'2023'");
  EXPECT_EQ(EvalRepr("m['SYSUPTIME'].isdigit()"), "True");
  EXPECT_EQ(EvalRepr("m['LOGHOST'] != b''"), "True");
  EXPECT_EQ(EvalRepr("len(m['HOSTID'])"), "8");
  EXPECT_EQ(EvalRepr("m['SEQNUM']"), "b'7'");
  Bind("m", WithPair("A", "1"), {3, 38}, Timestamp{1000000000, 0, 0});
  EXPECT_EQ(EvalRepr("m['P_YEAR']"), "b'2001'");
}

// MacroReadsClock() decides which lookups read the clock; it must cover
// every macro whose value the clock changes.
TEST(LogMessageType, EveryMacroThatShowsTheClockIsKnownToReadIt) {
  MessageBuilder b;
  b.SetText("x").SetStamp(Timestamp{1700000000, 0, 0});
  Message msg = b.Build();
  TemplateOptions options;
  int clock_macros = 0;
  for (size_t i = 0; i < MacroCount(); ++i) {
    auto id = static_cast<MacroId>(i);
    MacroContext early, late;
    early.template_options = late.template_options = &options;
    // A Sunday in September 2001 and a Monday in May 2021.
    early.now = Timestamp{1000000000, 1, 0};
    late.now = Timestamp{1620000000, 999999, 7200};
    early.sysuptime = 1;
    late.sysuptime = 987654;
    std::string a, z;
    AppendMacro(id, msg, early, &a);
    AppendMacro(id, msg, late, &z);
    if (a != z) {
      ++clock_macros;
      EXPECT_TRUE(MacroReadsClock(id)) << MacroName(id);
    }
  }
  EXPECT_GT(clock_macros, 50);  // the $C_* and $P_* families, $SYSUPTIME
}

TEST(LogMessageType, ManyMessagesLeaveNoReferencesOrMemoryBehind) {
  EnsureModule();
  ASSERT_TRUE(Exec("import gc, sys, tracemalloc\n"
                   "from syslogng import LogMessage\n"
                   "dflt = object()\n"
                   // Not the interned literal, which others refer to.
                   "key = ''.join(['MES', 'SAGE'])\n"
                   "def churn(n):\n"
                   "    for i in range(n):\n"
                   "        m = LogMessage('x%d' % i)\n"
                   "        m[key]; m.get('nope', dflt); m.get(key=key)\n"
                   "        m.get_as_str(key); key in m; m.keys(); repr(m)\n"
                   "        m['K'] = 'v'\n"
                   "churn(200)\n"
                   "gc.collect()\n"
                   "rc0 = (sys.getrefcount(dflt), sys.getrefcount(key),\n"
                   "       sys.getrefcount(LogMessage))\n"
                   "tracemalloc.start()\n"
                   "mem0 = tracemalloc.get_traced_memory()[0]\n"
                   "churn(3000)\n"
                   "gc.collect()\n"
                   "grown = tracemalloc.get_traced_memory()[0] - mem0\n"
                   "tracemalloc.stop()\n"));
  EXPECT_EQ(EvalRepr("(sys.getrefcount(dflt), sys.getrefcount(key), "
                     "sys.getrefcount(LogMessage))"),
            EvalRepr("rc0"));
  EXPECT_EQ(EvalRepr("grown < 32768"), "True") << EvalRepr("grown");
}

TEST(LogMessageType, LogTemplateFormatRejectsOtherObjects) {
  EnsureModule();
  EXPECT_THAT(EvalRepr("__import__('syslogng').LogTemplate('$HOST', "
                       "__import__('syslogng').LogTemplateOptions())"
                       ".format({'HOST': b'h'})"),
              HasSubstr("TypeError"));
}

TEST(LogMessageType, LogTemplateNestedPastTheLimitRaisesNotCrashes) {
  EnsureModule();
  // 20000 levels used to overflow the host's stack from pure Python.
  ASSERT_TRUE(Exec("import syslogng\n"
       "deep = '$(echo ' * 20000 + 'x' + ')' * 20000\n"
       "try:\n"
       "    syslogng.LogTemplate(deep)\n"
       "    raised = None\n"
       "except syslogng.LogTemplateException as e:\n"
       "    raised = str(e)\n"));
  EXPECT_THAT(EvalRepr("raised"), HasSubstr("nested more than 128 deep"));
}

}  // namespace
}  // namespace pydest::internal
