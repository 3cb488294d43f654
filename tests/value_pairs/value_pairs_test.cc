// value-pairs selection, collisions, rekey and typing
// (syslog-ng-behaviour.md §5, §4.2).
#include "libpydest/value_pairs/value_pairs.h"

#include <algorithm>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libpydest/template/template.h"
// Included for the one-definition rule: the value-pairs layer's types must not
// share a name with the template layer's (this file stops compiling if they do).
#include "libpydest/template/value_pairs_args.h"
#include "py_repr.h"

namespace pydest::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

Message TestMessage() {
  MessageBuilder b;
  Timestamp t;
  t.unix_seconds = 1065910455;  // 2003-10-11 22:14:15 UTC
  b.SetStamp(t).SetReceived(t);
  b.SetFacility(4).SetSeverity(2);
  b.SetHost("mymachine").SetProgram("su").SetPid("").SetMsgId("ID47");
  b.SetText("hello");
  b.Set("kv.user", "alice").Set("kv.count", "17").Set(".json.a", "1");
  b.AddSdParam("meta", "sequenceId", "1");
  b.AddTag("t1").AddTag("t2");
  b.SetSourceIp("127.0.0.1");
  return b.Build();
}

struct Result {
  std::vector<std::pair<std::string, std::string>> entries;  // key, type:repr
  EvaluationReport report;
  std::vector<std::string> Keys() const {
    std::vector<std::string> k;
    for (const auto& e : entries) k.push_back(e.first);
    return k;
  }
  std::string Get(const std::string& key) const {
    for (const auto& e : entries) {
      if (e.first == key) return e.second;
    }
    return "<absent>";
  }
};

Result Evaluate(const ValuePairsSpec& spec, ConfigVersion version = {3, 38},
                OnError on_error = OnError::kDropMessage,
                const Message& msg = TestMessage(), uint64_t seqnum = 0) {
  ValuePairsOptions o;
  o.version = version;
  o.on_error = on_error;
  auto vp = ValuePairs::Compile(spec, o);
  EXPECT_TRUE(vp.ok()) << vp.status();
  static const TemplateOptions kTemplateOptions;
  MacroContext ctx;
  ctx.template_options = &kTemplateOptions;
  ctx.seqnum = seqnum;
  Record record;
  Result r;
  (*vp)->Evaluate(msg, ctx, &record, &r.report);
  for (const RecordEntry& e : record.entries) {
    r.entries.emplace_back(std::string((*vp)->keys().Name(e.key)),
                           testing::PyTypeName(e.kind) + ":" +
                               testing::PyRepr(record, e));
  }
  return r;
}

ValuePairsSpec Scopes(uint32_t scopes) {
  ValuePairsSpec s;
  s.scopes = scopes;
  return s;
}

TEST(ValuePairsTest, EmptySpecGivesEmptyDict) {
  EXPECT_THAT(Evaluate(ValuePairsSpec{}).entries, IsEmpty());
}

TEST(ValuePairsTest, NvPairsScopeYieldsPairsWithoutLeadingDotKeepingEmpty) {
  Result r = Evaluate(Scopes(kScopeNvPairs));
  EXPECT_THAT(r.Keys(), ElementsAre("HOST", "MESSAGE", "MSGID", "PID",
                                    "PROGRAM", "kv.count", "kv.user"));
  EXPECT_EQ(r.Get("PID"), "bytes:b''");
}

TEST(ValuePairsTest, DotNvPairsScopeYieldsDotPairsAndSdata) {
  EXPECT_THAT(Evaluate(Scopes(kScopeDotNvPairs)).Keys(),
              ElementsAre(".SDATA.meta.sequenceId", ".json.a"));
}

// Both layers collect pairs into vectors of their own element type; when the
// two types had one name (PairValue), the linker kept one instantiation of
// std::vector's growth code for both, and value-pairs evaluation grew its
// vector with the other type's size (found by the config_text fuzzer).
TEST(ValuePairsTest, EvaluatesInAProgramThatAlsoFormatsJson) {
  auto format_json = Template::Compile("$(format-json --scope nv-pairs)");
  ASSERT_TRUE(format_json.ok()) << format_json.status();
  static const TemplateOptions kTemplateOptions;
  MacroContext ctx;
  ctx.template_options = &kTemplateOptions;
  std::string json;
  (*format_json)->Format(TestMessage(), ctx, &json);
  EXPECT_NE(json.find("\"kv\":{"), std::string::npos) << json;

  Result r = Evaluate(Scopes(kScopeNvPairs | kScopeDotNvPairs));
  EXPECT_THAT(r.Keys(), ElementsAre(".SDATA.meta.sequenceId", ".json.a",
                                    "HOST", "MESSAGE", "MSGID", "PID",
                                    "PROGRAM", "kv.count", "kv.user"));
  EXPECT_EQ(r.Get("kv.user"), "bytes:b'alice'");
}

TEST(ValuePairsTest, SdataScopeYieldsOnlySdata) {
  EXPECT_THAT(Evaluate(Scopes(kScopeSdata)).Keys(),
              ElementsAre(".SDATA.meta.sequenceId"));
}

TEST(ValuePairsTest, Rfc3164ScopeSkipsEmptyMacroValues) {
  Result r = Evaluate(Scopes(kScopeRfc3164));
  // PID is empty: a scope-set entry, so left out.
  EXPECT_THAT(r.Keys(), ElementsAre("DATE", "FACILITY", "HOST", "MESSAGE",
                                    "PRIORITY", "PROGRAM"));
  EXPECT_EQ(r.Get("PRIORITY"), "bytes:b'crit'");
  EXPECT_EQ(r.Get("FACILITY"), "bytes:b'auth'");
}

TEST(ValuePairsTest, Rfc5424ScopeAddsMsgidAndSdata) {
  EXPECT_THAT(Evaluate(Scopes(kScopeRfc5424)).Keys(),
              ElementsAre(".SDATA.meta.sequenceId", "DATE", "FACILITY", "HOST",
                          "MESSAGE", "MSGID", "PRIORITY", "PROGRAM"));
}

TEST(ValuePairsTest, SelectedMacrosAddTagsSourceipAndSeqnumWhenSet) {
  Result without = Evaluate(Scopes(kScopeSelectedMacros));
  EXPECT_EQ(without.Get("SEQNUM"), "<absent>");
  EXPECT_EQ(without.Get("TAGS"), "bytes:b't1,t2'");
  EXPECT_EQ(without.Get("SOURCEIP"), "bytes:b'127.0.0.1'");
  Result with = Evaluate(Scopes(kScopeSelectedMacros), {3, 38},
                         OnError::kDropMessage, TestMessage(), 7);
  EXPECT_EQ(with.Get("SEQNUM"), "bytes:b'7'");
}

TEST(ValuePairsTest, KeyGlobPullsInMacros) {
  ValuePairsSpec s;
  s.patterns = {{true, "ISO*"}};
  EXPECT_THAT(Evaluate(s).Keys(), ElementsAre("ISODATE", "ISOWEEK"));
}

TEST(ValuePairsTest, ExcludeRemovesScopeEntries) {
  ValuePairsSpec s = Scopes(kScopeRfc3164);
  s.patterns = {{false, "HOST"}};
  EXPECT_EQ(Evaluate(s).Get("HOST"), "<absent>");
}

TEST(ValuePairsTest, LastMatchingPatternWins) {
  ValuePairsSpec a;
  a.patterns = {{false, "*"}, {true, "MESSAGE"}};
  EXPECT_THAT(Evaluate(a).Keys(), ElementsAre("MESSAGE"));
  ValuePairsSpec b;
  b.patterns = {{true, "MESSAGE"}, {false, "*"}};
  EXPECT_THAT(Evaluate(b).Keys(), IsEmpty());
}

TEST(ValuePairsTest, QuestionMarkMatchesOneCharacter) {
  ValuePairsSpec s;
  s.patterns = {{true, "kv.?????"}};
  EXPECT_THAT(Evaluate(s).Keys(), ElementsAre("kv.count"));
}

TEST(ValuePairsTest, PairBeatsMacroWhichBeatsNvPair) {
  ValuePairsSpec s = Scopes(kScopeNvPairs | kScopeRfc3164);
  s.pairs = {{"HOST", "x", TypeHint::kNone}};
  EXPECT_EQ(Evaluate(s).Get("HOST"), "bytes:b'x'");
}

TEST(ValuePairsTest, PairIsKeptEvenWhenEmpty) {
  ValuePairsSpec s;
  s.pairs = {{"e", "", TypeHint::kNone}};
  EXPECT_EQ(Evaluate(s).Get("e"), "bytes:b''");
}

TEST(ValuePairsTest, OmitEmptyValuesDropsEveryEmptyValue) {
  ValuePairsSpec s = Scopes(kScopeNvPairs);
  s.pairs = {{"e", "", TypeHint::kNone}};
  s.omit_empty_values = true;
  Result r = Evaluate(s);
  EXPECT_EQ(r.Get("e"), "<absent>");
  EXPECT_EQ(r.Get("PID"), "<absent>");
}

TEST(ValuePairsTest, RekeyAppliesToEverySource) {
  ValuePairsSpec s = Scopes(kScopeSdata);
  s.patterns = {{true, "HOST"}};
  s.pairs = {{"p", "v", TypeHint::kNone}};
  RekeyTransform t;
  t.kind = RekeyTransform::Kind::kAddPrefix;
  t.text = "x.";
  s.rekeys = {{"*", {t}}};
  EXPECT_THAT(Evaluate(s).Keys(),
              ElementsAre("x..SDATA.meta.sequenceId", "x.HOST", "x.p"));
}

TEST(ValuePairsTest, CollisionAfterRekeyLaterSourceWins) {
  ValuePairsSpec s;
  s.patterns = {{true, "kv.user"}};
  s.pairs = {{"user", "from-pair", TypeHint::kNone}};
  RekeyTransform t;
  t.kind = RekeyTransform::Kind::kShift;
  t.count = 3;
  s.rekeys = {{"kv.*", {t}}};
  EXPECT_THAT(Evaluate(s).entries,
              ElementsAre(Pair("user", "bytes:b'from-pair'")));
}

TEST(ValuePairsTest, EntriesAreInStrcmpOrder) {
  ValuePairsSpec s;
  s.pairs = {{"b", "1", TypeHint::kNone}, {"B", "2", TypeHint::kNone},
             {"_", "3", TypeHint::kNone}, {".a", "4", TypeHint::kNone}};
  EXPECT_THAT(Evaluate(s).Keys(), ElementsAre(".a", "B", "_", "b"));
}

TEST(ValuePairsTest, IntHintOn338GivesInt) {
  ValuePairsSpec s;
  s.pairs = {{"pid", "${kv.count}", TypeHint::kInt32}};
  EXPECT_EQ(Evaluate(s).Get("pid"), "int:17");
}

TEST(ValuePairsTest, DropMessageClearsTheRecordAndReportsIt) {
  ValuePairsSpec s;
  s.pairs = {{"a", "1", TypeHint::kInt32}, {"b", "x", TypeHint::kInt32},
             {"c", "y", TypeHint::kInt32}};
  Result r = Evaluate(s);
  EXPECT_TRUE(r.report.drop_message);
  EXPECT_THAT(r.entries, IsEmpty());
  // The walk stops at the first failure (strcmp order).
  ASSERT_EQ(r.report.log.size(), 1u);
  EXPECT_EQ(r.report.log[0].tags[0].second, "x");
}

TEST(ValuePairsTest, DropPropertyLogsEachFailureAndKeepsTheRest) {
  ValuePairsSpec s;
  s.pairs = {{"a", "1", TypeHint::kInt32}, {"b", "x", TypeHint::kInt32},
             {"c", "pi", TypeHint::kDouble}};
  Result r = Evaluate(s, {3, 38}, OnError::kDropProperty);
  EXPECT_FALSE(r.report.drop_message);
  EXPECT_THAT(r.Keys(), ElementsAre("a"));
  EXPECT_EQ(r.report.casting_errors, 2);
  ASSERT_EQ(r.report.log.size(), 2u);
  EXPECT_EQ(r.report.log[1].tags[1].second, "<unknown>");
}

TEST(ValuePairsTest, SilentPolicyReportsNoLog) {
  ValuePairsSpec s;
  s.pairs = {{"b", "x", TypeHint::kInt32}};
  Result r = Evaluate(s, {3, 38}, OnError::kSilentlyFallbackToString);
  EXPECT_EQ(r.Get("b"), "bytes:b'x'");
  EXPECT_THAT(r.report.log, IsEmpty());
}

TEST(ValuePairsTest, Version4TypesMacros) {
  ValuePairsSpec s;
  s.patterns = {{true, "FACILITY_NUM"}, {true, "TAGS"}};
  Result r = Evaluate(s, {4, 0});
  EXPECT_EQ(r.Get("FACILITY_NUM"), "int:4");
  EXPECT_EQ(r.Get("TAGS"), "list:[b't1', b't2']");
}

TEST(ValuePairsTest, CastYesKeepsMacrosStringsOnVersion4) {
  ValuePairsSpec s;
  s.patterns = {{true, "FACILITY_NUM"}};
  s.cast = true;
  EXPECT_EQ(Evaluate(s, {4, 0}).Get("FACILITY_NUM"), "bytes:b'4'");
}

TEST(ValuePairsTest, Version338NeverTypesMacros) {
  ValuePairsSpec s;
  s.patterns = {{true, "FACILITY_NUM"}, {true, "TAGS"}};
  Result r = Evaluate(s, {3, 38});
  EXPECT_EQ(r.Get("FACILITY_NUM"), "bytes:b'4'");
  EXPECT_EQ(r.Get("TAGS"), "bytes:b't1,t2'");
}

TEST(ValuePairsTest, Version4TypedPairs) {
  ValuePairsSpec s;
  s.pairs = {{"d", "1.5", TypeHint::kDouble},
             {"l", "a,'b c'", TypeHint::kList},
             {"n", "", TypeHint::kNull},
             {"bad", "12x", TypeHint::kInt64}};
  Result r = Evaluate(s, {4, 0});
  EXPECT_EQ(r.Get("d"), "float:1.5");
  EXPECT_EQ(r.Get("l"), "list:[b'a', b'b c']");
  EXPECT_EQ(r.Get("n"), "NoneType:None");
  EXPECT_EQ(r.Get("bad"), "bytes:b'12x'");
}

TEST(ValuePairsTest, KeysAreInternedOnceAcrossMessages) {
  ValuePairsOptions o;
  o.version = {3, 38};
  ValuePairsSpec s = Scopes(kScopeNvPairs);
  auto vp = ValuePairs::Compile(s, o);
  ASSERT_TRUE(vp.ok());
  TemplateOptions to;
  MacroContext ctx;
  ctx.template_options = &to;
  Record a, b;
  EvaluationReport ra, rb;
  (*vp)->Evaluate(TestMessage(), ctx, &a, &ra);
  size_t keys = (*vp)->keys().size();
  (*vp)->Evaluate(TestMessage(), ctx, &b, &rb);
  EXPECT_EQ((*vp)->keys().size(), keys);
  ASSERT_EQ(a.entries.size(), b.entries.size());
  for (size_t i = 0; i < a.entries.size(); ++i) {
    EXPECT_EQ(a.entries[i].key, b.entries[i].key);
  }
}

TEST(ValuePairsTest, BadPairTemplateIsACompileErrorNamingThePair) {
  ValuePairsSpec s;
  s.pairs = {{"p", "$(nosuch x)", TypeHint::kNone}};
  auto vp = ValuePairs::Compile(s, ValuePairsOptions{});
  ASSERT_FALSE(vp.ok());
  EXPECT_THAT(std::string(vp.status().message()),
              ::testing::HasSubstr("pair(\"p\")"));
  EXPECT_THAT(std::string(vp.status().message()),
              ::testing::HasSubstr("nosuch"));
}

TEST(ValuePairsTest, ConcurrentEvaluationGivesTheSameRecords) {
  ValuePairsSpec s = Scopes(kScopeEverything);
  RekeyTransform t;
  t.kind = RekeyTransform::Kind::kUpper;
  s.rekeys = {{"kv.*", {t}}};
  s.pairs = {{"n", "${kv.count}", TypeHint::kInt32}};
  ValuePairsOptions o;
  o.version = {3, 38};
  auto vp = ValuePairs::Compile(s, o);
  ASSERT_TRUE(vp.ok());
  TemplateOptions to;
  MacroContext ctx;
  ctx.template_options = &to;
  const Message msg = TestMessage();
  Record reference;
  EvaluationReport reference_report;
  (*vp)->Evaluate(msg, ctx, &reference, &reference_report);
  auto render = [&](const Record& r) {
    std::string out;
    for (const RecordEntry& e : r.entries) {
      out += std::string((*vp)->keys().Name(e.key)) + "=" +
             testing::PyRepr(r, e) + "\n";
    }
    return out;
  };
  const std::string want = render(reference);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      Record record;
      for (int n = 0; n < 200; ++n) {
        MessageBuilder b;
        b.SetText("x").Set("kv.n" + std::to_string(n % 50), "v");
        EvaluationReport report;
        (*vp)->Evaluate(b.Build(), ctx, &record, &report);  // new names
        (*vp)->Evaluate(msg, ctx, &record, &report);
        if (render(record) != want) ++mismatches[i];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
  EXPECT_NE(want.find("KV.USER=b'alice'"), std::string::npos);
}

TEST(ValuePairsTest, MacroSelectedByKeyAndScopeAppearsOnce) {
  ValuePairsSpec s = Scopes(kScopeRfc3164);
  s.patterns = {{true, "HOST"}, {true, "DATE"}};
  std::vector<std::string> keys = Evaluate(s).Keys();
  EXPECT_EQ(std::count(keys.begin(), keys.end(), "HOST"), 1);
}

TEST(ValuePairsTest, Version4DateTimeIsUnixMicros) {
  ValuePairsSpec s;
  s.pairs = {{"t", "1700000000.123", TypeHint::kDateTime},
             {"b", "false", TypeHint::kBoolean}};
  Result r = Evaluate(s, {4, 0});
  EXPECT_EQ(r.Get("t"), "datetime:datetime.datetime(2023, 11, 14, 22, 13, 20, 123000)");
  EXPECT_EQ(r.Get("b"), "bool:False");
}

}  // namespace
}  // namespace pydest::internal
