// The RFC 3164 reader: syslog-ng's legacy (BSD) header rules.
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
using test::Utc;

Message Parse(std::string_view line, const ParseOptions& o = TestOptions()) {
  return ParseRfc3164(line, o);
}

std::optional<std::string> Get(const Message& m, std::string_view name) {
  auto v = m.Get(name);
  if (!v) return std::nullopt;
  return std::string(*v);
}

TEST(Rfc3164ReaderTest, ParsesPriTimestampHostProgramPidAndMessage) {
  Message m = Parse("<34>Oct 11 22:14:15 mymachine su[1234]: 'su root' failed");
  EXPECT_EQ(m.facility(), 4);
  EXPECT_EQ(m.severity(), 2);
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2026, 10, 11, 22, 14, 15));
  EXPECT_EQ(m.stamp().microseconds, 0);
  EXPECT_EQ(m.host(), "mymachine");
  EXPECT_EQ(m.program(), "su");
  EXPECT_EQ(m.pid(), "1234");
  EXPECT_EQ(Get(m, kLegacyMsgHdr), "su[1234]: ");
  EXPECT_EQ(m.text(), "'su root' failed");
  EXPECT_EQ(Get(m, kHostFrom), "testhost");
  EXPECT_FALSE(m.Get(kMsgId).has_value());
  EXPECT_EQ(m.flags(), 0u);
}

TEST(Rfc3164ReaderTest, ProgramWithoutPidLeavesPidUnset) {
  Message m = Parse("<13>Feb  5 17:32:18 host1 myprog: no pid here");
  EXPECT_EQ(m.program(), "myprog");
  EXPECT_FALSE(m.Get(kPid).has_value());
  EXPECT_EQ(Get(m, kLegacyMsgHdr), "myprog: ");
  EXPECT_EQ(m.text(), "no pid here");
}

TEST(Rfc3164ReaderTest, MissingPriUsesDefaultPriority) {
  Message m = Parse("Oct 11 22:14:15 host prog: x");
  EXPECT_EQ(m.facility(), kFacilityUser);
  EXPECT_EQ(m.severity(), kSeverityNotice);
  EXPECT_EQ(m.host(), "host");
  EXPECT_EQ(m.flags(), 0u);

  ParseOptions o = TestOptions();
  o.default_pri = 3 * 8 + 6;  // daemon.info
  Message d = Parse("Oct 11 22:14:15 host prog: x", o);
  EXPECT_EQ(d.facility(), 3);
  EXPECT_EQ(d.severity(), 6);
}

TEST(Rfc3164ReaderTest, PriZeroIsKernEmerg) {
  Message m = Parse("<0>Oct 11 22:14:15 host prog: x");
  EXPECT_EQ(m.pri(), 0);
  EXPECT_EQ(m.flags(), 0u);
}

TEST(Rfc3164ReaderTest, HighestValidPriIs191) {
  Message m = Parse("<191>Oct 11 22:14:15 host prog: x");
  EXPECT_EQ(m.facility(), 23);
  EXPECT_EQ(m.severity(), 7);
  EXPECT_EQ(m.flags(), 0u);
}

TEST(Rfc3164ReaderTest, PriAbove191IsParseErrorKeepingTheLine) {
  const std::string line = "<192>Oct 11 22:14:15 host prog: x";
  Message m = Parse(line);
  EXPECT_TRUE(m.flags() & kMessageParseError);
  EXPECT_EQ(m.text(), line);
  EXPECT_EQ(m.pri(), 13);
  EXPECT_EQ(m.host(), "testhost");
  EXPECT_EQ(m.stamp(), m.received());
}

TEST(Rfc3164ReaderTest, MalformedPriIsParseError) {
  for (std::string_view line :
       {"<ab>Oct 11 22:14:15 host prog: x", "<13 no closing bracket",
        "<>empty", "<1234>too many digits", "<"}) {
    Message m = Parse(line);
    EXPECT_TRUE(m.flags() & kMessageParseError) << line;
    EXPECT_EQ(m.text(), line);
  }
}

TEST(Rfc3164ReaderTest, DayMayBeSpacePaddedOrZeroPadded) {
  EXPECT_EQ(Parse("<13>Feb  5 17:32:18 h p: x").stamp().unix_seconds,
            UnixSeconds(2026, 2, 5, 17, 32, 18));
  EXPECT_EQ(Parse("<13>Feb 05 17:32:18 h p: x").stamp().unix_seconds,
            UnixSeconds(2026, 2, 5, 17, 32, 18));
}

TEST(Rfc3164ReaderTest, FractionalSecondsKeptToMicroseconds) {
  Message m = Parse("<13>Oct 11 22:14:15.123456789 host prog: x");
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2026, 10, 11, 22, 14, 15));
  EXPECT_EQ(m.stamp().microseconds, 123456);
  EXPECT_EQ(m.host(), "host");
  EXPECT_EQ(Parse("<13>Oct 11 22:14:15.5 host prog: x").stamp().microseconds,
            500000);
}

TEST(Rfc3164ReaderTest, IsoTimestampAfterPriKeepsItsZone) {
  Message m = Parse("<13>2024-01-02T03:04:05.25+02:00 host prog[7]: x");
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2024, 1, 2, 1, 4, 5));
  EXPECT_EQ(m.stamp().microseconds, 250000);
  EXPECT_EQ(m.stamp().utc_offset_seconds, 7200);
  EXPECT_EQ(m.host(), "host");
  EXPECT_EQ(m.pid(), "7");
}

TEST(Rfc3164ReaderTest, ZonelessIsoTimestampIsInLocalOffset) {
  ParseOptions o = TestOptions();
  o.local_utc_offset_seconds = -3600;
  Message m = Parse("<13>2024-01-02T03:04:05 host prog: x", o);
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2024, 1, 2, 4, 4, 5));
  EXPECT_EQ(m.stamp().utc_offset_seconds, -3600);
}

TEST(Rfc3164ReaderTest, BsdTimestampIsInLocalUtcOffset) {
  ParseOptions o = TestOptions();
  o.local_utc_offset_seconds = 3600;
  Message m = Parse("<13>Oct 11 22:14:15 host prog: x", o);
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2026, 10, 11, 21, 14, 15));
  EXPECT_EQ(m.stamp().utc_offset_seconds, 3600);
  EXPECT_EQ(m.received().utc_offset_seconds, 3600);
}

TEST(Rfc3164ReaderTest, WithoutConfiguredOffsetTheLocalZoneIsUsed) {
  ParseOptions o = TestOptions();
  o.local_utc_offset_seconds.reset();
  Message m = Parse("<13>Oct 11 22:14:15 host prog: x", o);
  absl::TimeZone local = absl::LocalTimeZone();
  absl::Time want =
      absl::FromCivil(absl::CivilSecond(2026, 10, 11, 22, 14, 15), local);
  EXPECT_EQ(m.stamp().unix_seconds, absl::ToUnixSeconds(want));
  EXPECT_EQ(m.stamp().utc_offset_seconds, local.At(want).offset);
  EXPECT_EQ(m.received().utc_offset_seconds,
            local.At(*o.received).offset);
}

TEST(Rfc3164ReaderTest, YearWrittenBeforeTheTimeIsUsed) {
  Message m = Parse("<13>Oct 11 2006 22:14:15 host prog: x");
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2006, 10, 11, 22, 14, 15));
  EXPECT_EQ(m.host(), "host");
}

TEST(Rfc3164ReaderTest, YearIsTheReceiveYearForPastMonths) {
  EXPECT_EQ(Parse("<13>Mar  1 10:00:00 h p: x").stamp().unix_seconds,
            UnixSeconds(2026, 3, 1, 10, 0, 0));
  // One month ahead is still this year (a clock slightly ahead).
  EXPECT_EQ(Parse("<13>Dec 24 10:00:00 h p: x").stamp().unix_seconds,
            UnixSeconds(2026, 12, 24, 10, 0, 0));
}

TEST(Rfc3164ReaderTest, DecemberStampReceivedInJanuaryIsLastYear) {
  ParseOptions o = TestOptions();
  o.received = Utc(2027, 1, 2, 0, 0, 10);
  EXPECT_EQ(Parse("<13>Dec 31 23:59:59 h p: x", o).stamp().unix_seconds,
            UnixSeconds(2026, 12, 31, 23, 59, 59));
}

TEST(Rfc3164ReaderTest, StampFarInTheFutureIsLastYear) {
  ParseOptions o = TestOptions();
  o.received = Utc(2027, 3, 1, 0, 0, 0);
  EXPECT_EQ(Parse("<13>Oct 11 22:14:15 h p: x", o).stamp().unix_seconds,
            UnixSeconds(2026, 10, 11, 22, 14, 15));
}

TEST(Rfc3164ReaderTest, JanuaryStampReceivedInDecemberIsNextYear) {
  ParseOptions o = TestOptions();
  o.received = Utc(2026, 12, 31, 23, 59, 50);
  EXPECT_EQ(Parse("<13>Jan  1 00:00:05 h p: x", o).stamp().unix_seconds,
            UnixSeconds(2027, 1, 1, 0, 0, 5));
}

TEST(Rfc3164ReaderTest, NoTimestampMeansReceiveTimeAndNoHostName) {
  Message m = Parse("<13>su: hello");
  EXPECT_EQ(m.stamp(), m.received());
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2026, 11, 24, 9, 41, 52));
  EXPECT_EQ(m.host(), "testhost");
  EXPECT_EQ(m.program(), "su");
  EXPECT_EQ(m.text(), "hello");
}

TEST(Rfc3164ReaderTest, WordEndedByColonAfterTimestampIsProgramNotHost) {
  Message m = Parse("<13>Oct 11 22:14:15 su: hello");
  EXPECT_EQ(m.host(), "testhost");
  EXPECT_EQ(m.program(), "su");
  EXPECT_EQ(m.text(), "hello");
}

TEST(Rfc3164ReaderTest, WordEndedByBracketAfterTimestampIsProgramNotHost) {
  Message m = Parse("<13>Oct 11 22:14:15 su[5]: hello");
  EXPECT_EQ(m.host(), "testhost");
  EXPECT_EQ(m.program(), "su");
  EXPECT_EQ(m.pid(), "5");
}

TEST(Rfc3164ReaderTest, EmptyMessageHeaderHasNoTrailingSpace) {
  Message m = Parse("<13>Apr  2 03:04:06 host3 empty[8]:");
  EXPECT_EQ(m.program(), "empty");
  EXPECT_EQ(m.pid(), "8");
  EXPECT_EQ(Get(m, kLegacyMsgHdr), "empty[8]:");
  EXPECT_EQ(Get(m, kMessage), "");
}

TEST(Rfc3164ReaderTest, HeaderWithoutColonEndsAtTheSpace) {
  Message m = Parse("<13>Oct 11 22:14:15 host prog[1] text");
  EXPECT_EQ(m.program(), "prog");
  EXPECT_EQ(m.pid(), "1");
  EXPECT_EQ(Get(m, kLegacyMsgHdr), "prog[1] ");
  EXPECT_EQ(m.text(), "text");
}

TEST(Rfc3164ReaderTest, OnlyOneSpaceAfterTheColonBelongsToTheHeader) {
  Message m = Parse("<13>Oct 11 22:14:15 host prog:   indented");
  EXPECT_EQ(Get(m, kLegacyMsgHdr), "prog: ");
  EXPECT_EQ(m.text(), "  indented");
}

TEST(Rfc3164ReaderTest, PlainLineGetsFirstWordAsProgram) {
  Message m = Parse("just a plain line without any syslog header");
  EXPECT_EQ(m.program(), "just");
  EXPECT_FALSE(m.Get(kPid).has_value());
  EXPECT_EQ(Get(m, kLegacyMsgHdr), "just ");
  EXPECT_EQ(m.text(), "a plain line without any syslog header");
  EXPECT_EQ(m.host(), "testhost");
  EXPECT_EQ(m.pri(), 13);
  EXPECT_EQ(m.stamp(), m.received());
  EXPECT_EQ(m.flags(), 0u);
}

// syslog-ng sets PROGRAM and LEGACY_MSGHDR from whatever the header was,
// even nothing.
TEST(Rfc3164ReaderTest, EmptyLineGivesEmptyMessageProgramAndHeader) {
  Message m = Parse("");
  EXPECT_EQ(Get(m, kMessage), "");
  EXPECT_EQ(Get(m, kProgram), "");
  EXPECT_EQ(Get(m, kLegacyMsgHdr), "");
  EXPECT_EQ(m.host(), "testhost");
  EXPECT_EQ(m.flags(), 0u);
}

TEST(Rfc3164ReaderTest, TimestampWithNothingAfterIt) {
  Message m = Parse("<13>Oct 11 22:14:15");
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2026, 10, 11, 22, 14, 15));
  EXPECT_EQ(m.host(), "testhost");
  EXPECT_EQ(Get(m, kMessage), "");
}

TEST(Rfc3164ReaderTest, InvalidTimestampIsReadAsText) {
  Message m = Parse("<13>Oct 41 22:14:15 host prog: x");
  EXPECT_EQ(m.stamp(), m.received());
  EXPECT_EQ(m.program(), "Oct");
  EXPECT_EQ(m.flags(), 0u);
}

TEST(Rfc3164ReaderTest, BlanksBeforeTheTimestampAreSkipped) {
  Message m = Parse("<13>  Oct 11 22:14:15 host prog: x");
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2026, 10, 11, 22, 14, 15));
  EXPECT_EQ(m.host(), "host");
  Message plain = Parse("   indented line");
  EXPECT_EQ(plain.program(), "indented");
  EXPECT_EQ(plain.text(), "line");
}

TEST(Rfc3164ReaderTest, BlanksAfterTheHostAreSkipped) {
  Message m = Parse("<13>Oct 11 22:14:15 host   prog: x");
  EXPECT_EQ(m.host(), "host");
  EXPECT_EQ(m.program(), "prog");
  EXPECT_EQ(Get(m, kLegacyMsgHdr), "prog: ");
}

TEST(Rfc3164ReaderTest, CiscoSequenceNumberBecomesMetaSequenceId) {
  Message m = Parse("<189>123: Oct 11 22:14:15 router %LINK-3-UPDOWN: down");
  EXPECT_EQ(Get(m, ".SDATA.meta.sequenceId"), "123");
  EXPECT_EQ(m.host(), "router");
  EXPECT_EQ(m.program(), "%LINK-3-UPDOWN");
  EXPECT_EQ(m.text(), "down");
}

TEST(Rfc3164ReaderTest, CiscoSyncMarkerBecomesTimeQuality) {
  Message unsynced = Parse("<13>*Oct 11 22:14:15 host prog: x");
  EXPECT_EQ(Get(unsynced, ".SDATA.timeQuality.isSynced"), "0");
  EXPECT_EQ(unsynced.stamp().unix_seconds,
            UnixSeconds(2026, 10, 11, 22, 14, 15));
  Message synced = Parse("<13>.Oct 11 22:14:15 host prog: x");
  EXPECT_EQ(Get(synced, ".SDATA.timeQuality.isSynced"), "1");
}

TEST(Rfc3164ReaderTest, LeadingDotWithoutTimestampIsKept) {
  Message m = Parse(".profile changed");
  EXPECT_EQ(m.program(), ".profile");
  EXPECT_FALSE(m.Get(".SDATA.timeQuality.isSynced").has_value());
}

TEST(Rfc3164ReaderTest, ColonAfterTimestampIsSkipped) {
  Message m = Parse("<13>Oct 11 22:14:15: host prog: x");
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2026, 10, 11, 22, 14, 15));
  EXPECT_EQ(m.host(), "host");
}

TEST(Rfc3164ReaderTest, YearAfterTheTimeIsUsed) {
  Message m = Parse("<13>Oct 11 22:14:15 2006 host prog: x");
  EXPECT_EQ(m.stamp().unix_seconds, UnixSeconds(2006, 10, 11, 22, 14, 15));
  EXPECT_EQ(m.host(), "host");
}

TEST(Rfc3164ReaderTest, Ipv6AddressIsAHostName) {
  Message m = Parse("<13>Oct 11 22:14:15 fe80::1 prog: x");
  EXPECT_EQ(m.host(), "fe80::1");
  EXPECT_EQ(m.program(), "prog");
}

TEST(Rfc3164ReaderTest, AixForwardedMessageNamesTheHost) {
  Message m =
      Parse("<13>Oct 11 22:14:15 Message forwarded from aixhost: prog: x");
  EXPECT_EQ(m.host(), "aixhost");
  EXPECT_EQ(m.program(), "prog");
  EXPECT_EQ(m.text(), "x");
}

TEST(Rfc3164ReaderTest, LastMessageRepeatedHasNoHostOrProgram) {
  Message m = Parse("<13>Oct 11 22:14:15 last message repeated 3 times");
  EXPECT_EQ(m.host(), "testhost");
  EXPECT_FALSE(m.Get(kProgram).has_value());
  EXPECT_EQ(m.text(), "last message repeated 3 times");
}

TEST(Rfc3164ReaderTest, PidCutOffByEndOfLineIsNotTaken) {
  Message m = Parse("<13>Oct 11 22:14:15 host prog[12");
  EXPECT_EQ(m.program(), "prog");
  EXPECT_FALSE(m.Get(kPid).has_value());
  EXPECT_EQ(Get(m, kLegacyMsgHdr), "prog[12");
}

TEST(Rfc3164ReaderTest, EmptyBracketsGiveEmptyPid) {
  Message m = Parse("<13>Oct 11 22:14:15 host prog[]: x");
  EXPECT_EQ(Get(m, kPid), "");
  EXPECT_EQ(m.text(), "x");
}

TEST(Rfc3164ReaderTest, SourceAndFileNameComeFromOptions) {
  ParseOptions o = TestOptions();
  o.source_name = "s_in";
  o.file_name = "/var/log/in.log";
  Message m = Parse("<13>Oct 11 22:14:15 host prog: x", o);
  EXPECT_EQ(Get(m, kSource), "s_in");
  EXPECT_EQ(Get(m, kFileName), "/var/log/in.log");
  Message unset = Parse("<13>Oct 11 22:14:15 host prog: x");
  EXPECT_FALSE(unset.Get(kSource).has_value());
  EXPECT_FALSE(unset.Get(kFileName).has_value());
}

TEST(Rfc3164ReaderTest, InvalidUtf8IsKeptAsBytesAndFlagged) {
  Message m = Parse("<13>Apr  2 03:04:07 host3 bin[9]: bad \xff\xfe bytes");
  EXPECT_EQ(m.text(), "bad \xff\xfe bytes");
  EXPECT_EQ(m.program(), "bin");
  EXPECT_TRUE(m.flags() & kMessageInvalidUtf8);
  EXPECT_FALSE(m.flags() & kMessageParseError);
}

TEST(Rfc3164ReaderTest, ValidUtf8IsNotFlagged) {
  Message m = Parse("<13>Apr  2 03:04:05 host3 uni[7]: h\xc3\xa9llo \xf0\x9f\x8e\x89");
  EXPECT_EQ(m.flags(), 0u);
  EXPECT_EQ(m.text(), "h\xc3\xa9llo \xf0\x9f\x8e\x89");
}

}  // namespace
}  // namespace pydest
