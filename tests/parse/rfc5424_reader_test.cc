// The RFC 5424 reader (syslog-ng's flags(syslog-protocol)).
#include <optional>
#include <string>
#include <string_view>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/parse.h"
#include "tests/parse/test_options.h"

namespace pydest {
namespace {

using test::TestOptions;
using test::UnixSeconds;

Message Parse(std::string_view line, const ParseOptions& o = TestOptions()) {
  return ParseRfc5424(line, o);
}

std::optional<std::string> Get(const Message& m, std::string_view name) {
  auto v = m.Get(name);
  if (!v) return std::nullopt;
  return std::string(*v);
}

void ExpectParseError(std::string_view line) {
  Message m = Parse(line);
  EXPECT_TRUE(m.flags() & kMessageParseError) << line;
  EXPECT_EQ(m.text(), line);
  EXPECT_EQ(m.host(), "testhost");
  EXPECT_EQ(m.stamp(), m.received());
  EXPECT_EQ(m.sd_element_count(), 0u);
}

TEST(Rfc5424ReaderTest, ParsesAllHeaderFields) {
  Message m = Parse(
      "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 1234 "
      "ID47 - An application event log entry");
  EXPECT_EQ(m.facility(), 20);
  EXPECT_EQ(m.severity(), 5);
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2003, 10, 11, 22, 14, 15));
  EXPECT_EQ(m.stamp().microseconds, 3000);
  EXPECT_EQ(m.stamp().utc_offset_seconds, 0);
  EXPECT_EQ(m.host(), "mymachine.example.com");
  EXPECT_EQ(m.program(), "evntslog");
  EXPECT_EQ(m.pid(), "1234");
  EXPECT_EQ(m.msgid(), "ID47");
  EXPECT_EQ(m.text(), "An application event log entry");
  EXPECT_EQ(Get(m, kHostFrom), "testhost");
  EXPECT_EQ(m.flags(), 0u);
}

TEST(Rfc5424ReaderTest, NilProcIdAndMsgIdAreUnset) {
  Message m = Parse("<13>1 2024-01-02T03:04:05Z h app - - - text");
  EXPECT_EQ(m.program(), "app");
  EXPECT_FALSE(m.Get(kPid).has_value());
  EXPECT_FALSE(m.Get(kMsgId).has_value());
  EXPECT_EQ(m.text(), "text");
}

TEST(Rfc5424ReaderTest, NilAppNameLeavesProgramUnset) {
  Message m = Parse("<13>1 2024-01-02T03:04:05Z h - 5 - - text");
  EXPECT_FALSE(m.Get(kProgram).has_value());
  EXPECT_EQ(m.pid(), "5");
}

TEST(Rfc5424ReaderTest, NilHostNameMeansHostFrom) {
  Message m = Parse("<13>1 2024-01-02T03:04:05Z - app - - - text");
  EXPECT_EQ(m.host(), "testhost");
}

TEST(Rfc5424ReaderTest, NilTimestampIsTheReceiveTime) {
  Message m = Parse("<13>1 - h app - - - text");
  EXPECT_EQ(m.stamp(), m.received());
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2026, 11, 24, 9, 41, 52));
  EXPECT_EQ(m.flags(), 0u);
}

TEST(Rfc5424ReaderTest, FractionalSecondsKeptToMicroseconds) {
  EXPECT_EQ(Parse("<13>1 2024-01-02T03:04:05.123456Z h a - - -")
                .stamp().microseconds, 123456);
  EXPECT_EQ(Parse("<13>1 2024-01-02T03:04:05.1Z h a - - -")
                .stamp().microseconds, 100000);
  // More digits than microseconds are cut, not rounded.
  EXPECT_EQ(Parse("<13>1 2024-01-02T03:04:05.1234569Z h a - - -")
                .stamp().microseconds, 123456);
}

TEST(Rfc5424ReaderTest, ZoneOffsetIsKept) {
  Message m = Parse("<13>1 2024-01-02T03:04:05.123456+02:00 h app 99 - - x");
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2024, 1, 2, 1, 4, 5));
  EXPECT_EQ(m.stamp().utc_offset_seconds, 7200);
  Message west = Parse("<13>1 2024-01-02T03:04:05-05:30 h app 99 - - x");
  EXPECT_EQ(west.stamp().unix_seconds, UnixSeconds(2024, 1, 2, 8, 34, 5));
  EXPECT_EQ(west.stamp().utc_offset_seconds, -(5 * 3600 + 30 * 60));
}

TEST(Rfc5424ReaderTest, SeveralSdElementsKeepTheirOrder) {
  Message m = Parse(
      "<165>1 2003-10-11T22:14:15.003Z host app - ID47 "
      "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" "
      "eventID=\"1011\"][examplePriority@32473 class=\"high\"] entry");
  ASSERT_EQ(m.sd_element_count(), 2u);
  EXPECT_EQ(m.sd_element_id(0), "exampleSDID@32473");
  EXPECT_EQ(m.sd_element_id(1), "examplePriority@32473");
  std::vector<SdParam> p = m.sd_params(0);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].name, "iut");
  EXPECT_EQ(p[0].value, "3");
  EXPECT_EQ(p[2].name, "eventID");
  EXPECT_EQ(Get(m, ".SDATA.exampleSDID@32473.eventSource"), "Application");
  EXPECT_EQ(Get(m, ".SDATA.examplePriority@32473.class"), "high");
  EXPECT_EQ(m.text(), "entry");
}

TEST(Rfc5424ReaderTest, SdValueEscapesAreResolved) {
  Message m = Parse(
      R"(<13>1 2024-01-02T03:04:05Z h app - - [x@1 esc="a\"b\]c\\d"] m)");
  EXPECT_EQ(Get(m, ".SDATA.x@1.esc"), R"(a"b]c\d)");
  EXPECT_EQ(m.text(), "m");
}

TEST(Rfc5424ReaderTest, OtherBackslashesInSdValuesAreKept) {
  Message m = Parse(R"(<13>1 2024-01-02T03:04:05Z h app - - [x@1 p="a\nb"])");
  EXPECT_EQ(Get(m, ".SDATA.x@1.p"), R"(a\nb)");
}

TEST(Rfc5424ReaderTest, SdValueMayContainSpacesAndEscapedBrackets) {
  Message m = Parse(
      R"(<13>1 2024-01-02T03:04:05Z h app - - [x@1 p="a [b\] c" q=""] m)");
  EXPECT_EQ(Get(m, ".SDATA.x@1.p"), "a [b] c");
  EXPECT_EQ(Get(m, ".SDATA.x@1.q"), "");
}

TEST(Rfc5424ReaderTest, UnescapedBracketInSdValueIsParseError) {
  ExpectParseError(R"(<13>1 2024-01-02T03:04:05Z h app - - [x@1 p="a]b"] m)");
}

TEST(Rfc5424ReaderTest, TwoSpacesBeforeSdParamIsParseError) {
  ExpectParseError(R"(<13>1 2024-01-02T03:04:05Z h app - - [x  a="1"] m)");
  ExpectParseError(R"(<13>1 2024-01-02T03:04:05Z h app - - [x a="1" ] m)");
}

TEST(Rfc5424ReaderTest, SdElementWithoutParamsIsKept) {
  Message m = Parse("<13>1 2024-01-02T03:04:05Z h app - - [empty@1][x a=\"1\"] m");
  ASSERT_EQ(m.sd_element_count(), 2u);
  EXPECT_EQ(m.sd_element_id(0), "empty@1");
  EXPECT_TRUE(m.sd_params(0).empty());
  EXPECT_EQ(Get(m, ".SDATA.x.a"), "1");
}

TEST(Rfc5424ReaderTest, BomAtStartOfMsgIsStripped) {
  Message m = Parse(
      "<13>1 2024-01-02T03:04:05Z h app - - - \xef\xbb\xbf\xc3\xbcn\xc3\xaf" "c");
  EXPECT_EQ(m.text(), "\xc3\xbcn\xc3\xaf" "c");
  EXPECT_EQ(m.flags(), 0u);
}

TEST(Rfc5424ReaderTest, BomInsideMsgIsKept) {
  Message m = Parse("<13>1 2024-01-02T03:04:05Z h app - - - a\xef\xbb\xbf");
  EXPECT_EQ(m.text(), "a\xef\xbb\xbf");
}

TEST(Rfc5424ReaderTest, MissingMsgGivesEmptyMessage) {
  Message m = Parse("<13>1 2024-01-02T03:04:05Z h app - - -");
  EXPECT_EQ(Get(m, kMessage), "");
  EXPECT_EQ(m.flags(), 0u);
}

TEST(Rfc5424ReaderTest, HasNoLegacyMsgHdr) {
  Message m = Parse("<13>1 2024-01-02T03:04:05Z h app 1 - - text");
  EXPECT_FALSE(m.Get(kLegacyMsgHdr).has_value());
}

TEST(Rfc5424ReaderTest, UnterminatedSdValueIsParseError) {
  ExpectParseError(R"(<13>1 2024-01-02T03:04:05Z h app - - [x a="1] m)");
}

TEST(Rfc5424ReaderTest, UnclosedSdElementIsParseError) {
  ExpectParseError(R"(<13>1 2024-01-02T03:04:05Z h app - - [x a="1" m)");
}

TEST(Rfc5424ReaderTest, UnquotedSdValueIsParseError) {
  ExpectParseError(R"(<13>1 2024-01-02T03:04:05Z h app - - [x a=1] m)");
}

TEST(Rfc5424ReaderTest, EmptySdIdIsParseError) {
  ExpectParseError(R"(<13>1 2024-01-02T03:04:05Z h app - - [ a="1"] m)");
}

TEST(Rfc5424ReaderTest, TextGluedToSdIsParseError) {
  ExpectParseError(R"(<13>1 2024-01-02T03:04:05Z h app - - [x a="1"]m)");
}

TEST(Rfc5424ReaderTest, SdThatIsNeitherNilNorElementIsParseError) {
  ExpectParseError("<13>1 2024-01-02T03:04:05Z h app - - text");
}

TEST(Rfc5424ReaderTest, MissingHeaderFieldsIsParseError) {
  ExpectParseError("<13>1 2024-01-02T03:04:05Z h app");
}

TEST(Rfc5424ReaderTest, BadTimestampIsParseError) {
  ExpectParseError("<13>1 2024-13-02T03:04:05Z h app - - - x");
  ExpectParseError("<13>1 2024-02-30T03:04:05Z h app - - - x");
  ExpectParseError("<13>1 yesterday h app - - - x");
}

TEST(Rfc5424ReaderTest, PriAbove191IsParseError) {
  ExpectParseError("<192>1 2024-01-02T03:04:05Z h app - - - x");
}

TEST(Rfc5424ReaderTest, MissingPriUsesDefaultPriority) {
  Message m = Parse("1 2024-01-02T03:04:05Z h app - - - x");
  EXPECT_EQ(m.pri(), 13);
  EXPECT_EQ(m.host(), "h");
  EXPECT_EQ(m.text(), "x");
  EXPECT_EQ(m.flags(), 0u);
}

TEST(Rfc5424ReaderTest, MalformedPriIsParseError) {
  ExpectParseError("<1a>1 2024-01-02T03:04:05Z h app - - - x");
}

TEST(Rfc5424ReaderTest, VersionOneWithoutHeaderIsParseError) {
  ExpectParseError("<13>1");
}

// syslog-ng's syslog-protocol parser hands a line that is not version 1 to
// its RFC 3164 parser.
TEST(Rfc5424ReaderTest, BsdLineIsReadAsRfc3164) {
  Message m = Parse("<34>Oct 11 22:14:15 mymachine su[1234]: failed");
  EXPECT_EQ(m.flags(), 0u);
  EXPECT_EQ(m.host(), "mymachine");
  EXPECT_EQ(m.program(), "su");
  EXPECT_EQ(m.pid(), "1234");
  EXPECT_EQ(m.text(), "failed");
  EXPECT_EQ(Get(m, kLegacyMsgHdr), "su[1234]: ");
}

TEST(Rfc5424ReaderTest, OtherVersionIsReadAsRfc3164) {
  Message m = Parse("<13>2 2024-01-02T03:04:05Z h app - - - x");
  EXPECT_EQ(m.flags(), 0u);
  EXPECT_EQ(m.program(), "2");
  EXPECT_EQ(m.stamp(), m.received());
}

TEST(Rfc5424ReaderTest, EmptyLineIsReadAsRfc3164) {
  Message m = Parse("");
  EXPECT_EQ(m.flags(), 0u);
  EXPECT_EQ(Get(m, kMessage), "");
}

TEST(Rfc5424ReaderTest, InvalidUtf8InMsgIsKeptAndFlagged) {
  Message m = Parse("<13>1 2024-01-02T03:04:05Z h app - - - bad \xff bytes");
  EXPECT_EQ(m.text(), "bad \xff bytes");
  EXPECT_TRUE(m.flags() & kMessageInvalidUtf8);
  EXPECT_FALSE(m.flags() & kMessageParseError);
}

}  // namespace
}  // namespace pydest
