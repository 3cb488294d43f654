// The JSON-lines reader: well-known fields, flattening and value rendering
// as syslog-ng's json-parser does, and bad input.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/parse.h"
#include "tests/parse/test_options.h"

namespace pydest {
namespace {

using test::TestOptions;
using test::UnixSeconds;
using ::testing::ElementsAre;
using ::testing::Pair;

Message Parse(std::string_view line, const ParseOptions& o = TestOptions()) {
  return ParseJsonLine(line, o);
}

std::optional<std::string> Get(const Message& m, std::string_view name) {
  auto v = m.Get(name);
  if (!v) return std::nullopt;
  return std::string(*v);
}

// The pairs that are not built-in (HOST, MESSAGE, ...), in order.
std::vector<std::pair<std::string, std::string>> OtherPairs(const Message& m) {
  std::vector<std::pair<std::string, std::string>> out;
  m.ForEachPair([&](std::string_view n, std::string_view v) {
    static const std::string_view kBuiltin[] = {
        kHost, kHostFrom, kProgram, kPid, kMsgId,
        kMessage, kSource, kLegacyMsgHdr, kFileName};
    for (std::string_view b : kBuiltin) {
      if (n == b) return;
    }
    out.emplace_back(n, v);
  });
  return out;
}

TEST(JsonReaderTest, WellKnownFieldsSetTheMessage) {
  Message m = Parse(
      R"({"message":"hello","host":"web1","program":"nginx","pid":42,)"
      R"("msgid":"REQ","facility":"daemon","severity":"warning",)"
      R"("timestamp":"2024-01-02T03:04:05.5+01:00"})");
  EXPECT_EQ(m.text(), "hello");
  EXPECT_EQ(m.host(), "web1");
  EXPECT_EQ(m.program(), "nginx");
  EXPECT_EQ(m.pid(), "42");
  EXPECT_EQ(m.msgid(), "REQ");
  EXPECT_EQ(m.facility(), 3);
  EXPECT_EQ(m.severity(), 4);
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2024, 1, 2, 2, 4, 5));
  EXPECT_EQ(m.stamp().microseconds, 500000);
  EXPECT_EQ(m.stamp().utc_offset_seconds, 3600);
  EXPECT_TRUE(OtherPairs(m).empty());
  EXPECT_EQ(m.flags(), 0u);
}

TEST(JsonReaderTest, AlternativeFieldNamesAreRecognised) {
  Message m = Parse(
      R"({"msg":"m","hostname":"h","app":"a","level":"ERROR","@timestamp":0})");
  EXPECT_EQ(m.text(), "m");
  EXPECT_EQ(m.host(), "h");
  EXPECT_EQ(m.program(), "a");
  EXPECT_EQ(m.severity(), 3);
  EXPECT_EQ(m.stamp().unix_seconds, 0);
  EXPECT_TRUE(OtherPairs(m).empty());
}

TEST(JsonReaderTest, FirstFieldOfARoleWinsAndLaterOnesArePairs) {
  Message m = Parse(R"({"msg":"first","message":"second"})");
  EXPECT_EQ(m.text(), "first");
  EXPECT_THAT(OtherPairs(m), ElementsAre(Pair("message", "second")));
}

TEST(JsonReaderTest, FacilityAndSeverityByNumberOrNumericString) {
  Message m = Parse(R"({"facility":4,"severity":"2"})");
  EXPECT_EQ(m.facility(), 4);
  EXPECT_EQ(m.severity(), 2);
}

TEST(JsonReaderTest, FacilityAndSeverityOverridePriWhateverTheOrder) {
  Message m = Parse(R"({"severity":"debug","pri":34,"facility":"local7"})");
  EXPECT_EQ(m.facility(), 23);
  EXPECT_EQ(m.severity(), 7);
  Message p = Parse(R"({"pri":34})");
  EXPECT_EQ(p.facility(), 4);
  EXPECT_EQ(p.severity(), 2);
}

TEST(JsonReaderTest, MissingPriorityFieldsUseDefaultPriority) {
  Message m = Parse(R"({"message":"x"})");
  EXPECT_EQ(m.pri(), 13);
}

TEST(JsonReaderTest, UnknownLevelNameIsKeptAsPair) {
  Message m = Parse(R"({"level":"loud","facility":99})");
  EXPECT_EQ(m.severity(), kSeverityNotice);
  EXPECT_EQ(m.facility(), kFacilityUser);
  EXPECT_THAT(OtherPairs(m),
              ElementsAre(Pair("level", "loud"), Pair("facility", "99")));
}

TEST(JsonReaderTest, TimestampAsUnixSeconds) {
  EXPECT_EQ(Parse(R"({"time":1704164645})").stamp().unix_seconds, 1704164645);
  Message f = Parse(R"({"time":1704164645.25})");
  EXPECT_EQ(f.stamp().unix_seconds, 1704164645);
  EXPECT_EQ(f.stamp().microseconds, 250000);
  Message s = Parse(R"({"time":"1704164645.000001"})");
  EXPECT_EQ(s.stamp().unix_seconds, 1704164645);
  EXPECT_EQ(s.stamp().microseconds, 1);
}

TEST(JsonReaderTest, OutOfRangeUnixSecondsAreKeptAsPair) {
  Message m = Parse(R"({"time":18446744073709551615})");
  EXPECT_EQ(m.stamp(), m.received());
  EXPECT_THAT(OtherPairs(m), ElementsAre(Pair("time", "18446744073709551615")));
}

TEST(JsonReaderTest, NegativeUnixSecondsBeforeTheEpoch) {
  Message m = Parse(R"({"time":-1.5})");
  EXPECT_EQ(m.stamp().unix_seconds, -2);
  EXPECT_EQ(m.stamp().microseconds, 500000);
}

TEST(JsonReaderTest, ZonelessIsoTimestampIsInLocalOffset) {
  ParseOptions o = TestOptions();
  o.local_utc_offset_seconds = 7200;
  Message m = Parse(R"({"timestamp":"2024-01-02 03:04:05"})", o);
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2024, 1, 2, 1, 4, 5));
  EXPECT_EQ(m.stamp().utc_offset_seconds, 7200);
}

TEST(JsonReaderTest, UnreadableTimestampIsKeptAsPairAndReceiveTimeUsed) {
  Message m = Parse(R"({"timestamp":"yesterday","message":"x"})");
  EXPECT_EQ(m.stamp(), m.received());
  EXPECT_THAT(OtherPairs(m), ElementsAre(Pair("timestamp", "yesterday")));
}

TEST(JsonReaderTest, MissingHostAndMessageGetDefaults) {
  Message m = Parse(R"({"a":"b"})");
  EXPECT_EQ(m.host(), "testhost");
  EXPECT_EQ(Get(m, kHostFrom), "testhost");
  EXPECT_EQ(Get(m, kMessage), "");
  EXPECT_EQ(m.stamp(), m.received());
}

TEST(JsonReaderTest, NestedObjectsAreFlattenedWithDots) {
  Message m = Parse(R"({"a":{"b":{"c":"deep"},"d":1},"e":"top"})");
  EXPECT_THAT(OtherPairs(m),
              ElementsAre(Pair("a.b.c", "deep"), Pair("a.d", "1"),
                          Pair("e", "top")));
}

TEST(JsonReaderTest, ScalarsRenderedLikeSyslogNgJsonParser) {
  Message m = Parse(
      R"({"i":5,"neg":-7,"f":1.5,"t":true,"fl":false,"z":null,"s":"str",)"
      R"("big":18446744073709551615})");
  EXPECT_THAT(OtherPairs(m),
              ElementsAre(Pair("i", "5"), Pair("neg", "-7"),
                          Pair("f", "1.500000"), Pair("t", "true"),
                          Pair("fl", "false"), Pair("z", ""),
                          Pair("s", "str"),
                          Pair("big", "18446744073709551615")));
}

TEST(JsonReaderTest, ArrayOfScalarsIsACommaSeparatedList) {
  Message m = Parse(R"({"arr":[1,2],"mixed":[1.5,true,null,"x"],"empty":[]})");
  EXPECT_EQ(Get(m, "arr"), "1,2");
  EXPECT_EQ(Get(m, "mixed"), "1.500000,true,'',x");
  EXPECT_EQ(Get(m, "empty"), "");
}

TEST(JsonReaderTest, ListElementsAreQuotedLikeSyslogNgLists) {
  Message m = Parse(
      R"({"w":["plain","d,e","b c","",)"
      R"("say \"hi\"","it's","both '\"","tab\there","back\\slash"]})");
  EXPECT_EQ(Get(m, "w"),
            R"(plain,d,e,"b c",'','say "hi"',"it's","both '\"","tab\there",)"
            R"("back\\slash")");
}

TEST(JsonReaderTest, ArrayWithObjectsIsKeptAsJsonText) {
  Message m = Parse(R"({"arr":[{"k":1},[2]]})");
  EXPECT_EQ(Get(m, "arr"), R"([{"k":1},[2]])");
}

TEST(JsonReaderTest, NestedContainersInArraysKeepTheirJsonText) {
  Message m = Parse(R"({"a":[["x\"y"],{"k":"line\nbreak","n":1.50}],"b":2})");
  EXPECT_EQ(Get(m, "a"), R"([["x\"y"],{"k":"line\nbreak","n":1.50}])");
  EXPECT_EQ(Get(m, "b"), "2");
}

TEST(JsonReaderTest, ArrayInWellKnownFieldIsAnOrdinaryField) {
  Message m = Parse(R"({"message":["a","b"],"msg":"text"})");
  EXPECT_EQ(m.text(), "text");
  EXPECT_THAT(OtherPairs(m), ElementsAre(Pair("message", "a,b")));
}

TEST(JsonReaderTest, LaterScalarTakesTheRoleWhenTheFirstIsAnObject) {
  Message m = Parse(R"({"host":{"name":"h1"},"hostname":"h2"})");
  EXPECT_EQ(m.host(), "h2");
  EXPECT_THAT(OtherPairs(m), ElementsAre(Pair("host.name", "h1")));
}

TEST(JsonReaderTest, DuplicateKeyKeepsTheLastValue) {
  Message m = Parse(R"({"a":1,"b":2,"a":3})");
  EXPECT_THAT(OtherPairs(m), ElementsAre(Pair("a", "3"), Pair("b", "2")));
}

TEST(JsonReaderTest, EmptyObjectsAddNothing) {
  Message m = Parse(R"({"a":{},"b":{"c":{}}})");
  EXPECT_TRUE(OtherPairs(m).empty());
  EXPECT_EQ(m.flags(), 0u);
}

TEST(JsonReaderTest, PairsKeepDocumentOrder) {
  Message m = Parse(R"({"zeta":"1","alpha":"2","mid":"3"})");
  EXPECT_THAT(OtherPairs(m), ElementsAre(Pair("zeta", "1"), Pair("alpha", "2"),
                                         Pair("mid", "3")));
}

TEST(JsonReaderTest, JsonPrefixAppliesToOrdinaryFieldsOnly) {
  ParseOptions o = TestOptions();
  o.json_prefix = ".json.";
  Message m = Parse(R"({"message":"x","user":"bob","nested":{"x":"y"}})", o);
  EXPECT_EQ(m.text(), "x");
  EXPECT_THAT(OtherPairs(m), ElementsAre(Pair(".json.user", "bob"),
                                         Pair(".json.nested.x", "y")));
}

TEST(JsonReaderTest, NonStringWellKnownValuesAreRendered) {
  Message m = Parse(R"({"message":12.5,"program":true})");
  EXPECT_EQ(m.text(), "12.500000");
  EXPECT_EQ(m.program(), "true");
}

TEST(JsonReaderTest, ObjectInWellKnownFieldIsFlattenedInstead) {
  Message m = Parse(R"({"host":{"name":"h1"}})");
  EXPECT_EQ(m.host(), "testhost");
  EXPECT_THAT(OtherPairs(m), ElementsAre(Pair("host.name", "h1")));
}

TEST(JsonReaderTest, ArrayLineIsParseError) {
  Message m = Parse("[1,2,3]");
  EXPECT_TRUE(m.flags() & kMessageParseError);
  EXPECT_EQ(m.text(), "[1,2,3]");
}

TEST(JsonReaderTest, ScalarLineIsParseError) {
  for (std::string_view line : {"42", "\"str\"", "null", "true"}) {
    Message m = Parse(line);
    EXPECT_TRUE(m.flags() & kMessageParseError) << line;
    EXPECT_EQ(m.text(), line);
  }
}

TEST(JsonReaderTest, InvalidJsonIsParseError) {
  for (std::string_view line :
       {R"({"a":1)", R"({"a":})", "{not json}", "", R"({"a":1} trailing)"}) {
    Message m = Parse(line);
    EXPECT_TRUE(m.flags() & kMessageParseError) << line;
    EXPECT_EQ(m.text(), line);
    EXPECT_EQ(m.host(), "testhost");
    EXPECT_EQ(m.stamp(), m.received());
  }
}

TEST(JsonReaderTest, DeepNestingIsParseErrorNotACrash) {
  std::string line = R"({"a":)" + std::string(100000, '[') +
                     std::string(100000, ']') + "}";
  ParseOptions o = TestOptions();
  o.max_line_size = 0;
  Message m = Parse(line, o);
  EXPECT_TRUE(m.flags() & kMessageParseError);
  EXPECT_EQ(m.text().size(), line.size());
}

TEST(JsonReaderTest, InvalidUtf8IsParseErrorKeepingTheBytes) {
  std::string line = "{\"a\":\"bad \xff\"}";
  Message m = Parse(line);
  EXPECT_TRUE(m.flags() & kMessageParseError);
  EXPECT_TRUE(m.flags() & kMessageInvalidUtf8);
  EXPECT_EQ(m.text(), line);
}

TEST(JsonReaderTest, UnicodeEscapesAreDecodedToUtf8) {
  Message m = Parse(R"({"message":"caf\u00e9 \ud83c\udf89"})");
  EXPECT_EQ(m.text(), "caf\xc3\xa9 \xf0\x9f\x8e\x89");
  EXPECT_EQ(m.flags(), 0u);
}

}  // namespace
}  // namespace pydest
