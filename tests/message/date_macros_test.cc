// Unit tests for the date family of macros ($DATE, $ISODATE, $WEEK, ... and
// their R_/S_/C_/P_ forms) and the template options that shape them.
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libpydest/message/date_macros.h"
#include "libpydest/message/macros.h"
#include "macro_fixture.h"
#include "pydest/message.h"

namespace pydest::internal {
namespace {

TEST_F(MacrosTest, DateFamilyOfAnEveningStamp) {
  Timestamp t = At(2026, 10, 11, 22, 14, 15);  // a Sunday
  EXPECT_EQ(EvalStamp("DATE", t), "Oct 11 22:14:15");
  EXPECT_EQ(EvalStamp("FULLDATE", t), "2026 Oct 11 22:14:15");
  EXPECT_EQ(EvalStamp("ISODATE", t), "2026-10-11T22:14:15+00:00");
  EXPECT_EQ(EvalStamp("STAMP", t), "Oct 11 22:14:15");
  EXPECT_EQ(EvalStamp("YEAR", t), "2026");
  EXPECT_EQ(EvalStamp("YEAR_DAY", t), "284");
  EXPECT_EQ(EvalStamp("MONTH", t), "10");
  EXPECT_EQ(EvalStamp("MONTH_WEEK", t), "1");
  EXPECT_EQ(EvalStamp("MONTH_ABBREV", t), "Oct");
  EXPECT_EQ(EvalStamp("MONTH_NAME", t), "October");
  EXPECT_EQ(EvalStamp("DAY", t), "11");
  EXPECT_EQ(EvalStamp("HOUR", t), "22");
  EXPECT_EQ(EvalStamp("HOUR12", t), "10");
  EXPECT_EQ(EvalStamp("MIN", t), "14");
  EXPECT_EQ(EvalStamp("SEC", t), "15");
  EXPECT_EQ(EvalStamp("USEC", t), "000000");
  EXPECT_EQ(EvalStamp("MSEC", t), "000");
  EXPECT_EQ(EvalStamp("AMPM", t), "PM");
  EXPECT_EQ(EvalStamp("WEEKDAY", t), "Sun");
  EXPECT_EQ(EvalStamp("WEEK_DAY", t), "1");
  EXPECT_EQ(EvalStamp("WEEK_DAY_ABBREV", t), "Sun");
  EXPECT_EQ(EvalStamp("WEEK_DAY_NAME", t), "Sunday");
  EXPECT_EQ(EvalStamp("WEEK", t), "40");
  EXPECT_EQ(EvalStamp("ISOWEEK", t), "41");
  EXPECT_EQ(EvalStamp("TZOFFSET", t), "+00:00");
  EXPECT_EQ(EvalStamp("TZ", t), "+00:00");
  EXPECT_EQ(EvalStamp("UNIXTIME", t), "1791756855");
  EXPECT_EQ(EvalStamp("S_ISODATE", t), "2026-10-11T22:14:15+00:00");
}

TEST_F(MacrosTest, BsdDateSpacePadsTheDay) {
  Timestamp t = At(2026, 2, 5, 17, 32, 18);
  EXPECT_EQ(EvalStamp("DATE", t), "Feb  5 17:32:18");
  EXPECT_EQ(EvalStamp("FULLDATE", t), "2026 Feb  5 17:32:18");
  EXPECT_EQ(EvalStamp("DAY", t), "05");
  EXPECT_EQ(EvalStamp("YEAR_DAY", t), "036");
}

TEST_F(MacrosTest, Hour12ShowsTwelveAtMidnightAndNoon) {
  EXPECT_EQ(EvalStamp("HOUR12", At(2026, 1, 1, 0, 5, 0)), "12");
  EXPECT_EQ(EvalStamp("AMPM", At(2026, 1, 1, 0, 5, 0)), "AM");
  EXPECT_EQ(EvalStamp("HOUR12", At(2026, 1, 1, 12, 5, 0)), "12");
  EXPECT_EQ(EvalStamp("AMPM", At(2026, 1, 1, 12, 5, 0)), "PM");
  EXPECT_EQ(EvalStamp("HOUR12", At(2026, 1, 1, 9, 5, 0)), "09");
}

TEST_F(MacrosTest, MonthWeekCountsSundayStartedWeeks) {
  EXPECT_EQ(EvalStamp("MONTH_WEEK", At(2026, 3, 1, 10, 0, 0)), "0");   // Sun
  EXPECT_EQ(EvalStamp("MONTH_WEEK", At(2026, 4, 2, 3, 4, 5)), "0");    // Thu
  EXPECT_EQ(EvalStamp("MONTH_WEEK", At(2024, 1, 2, 3, 4, 5)), "1");    // Tue
  EXPECT_EQ(EvalStamp("MONTH_WEEK", At(2026, 11, 24, 9, 0, 0)), "4");  // Tue
}

TEST_F(MacrosTest, FracDigitsExtendTheFullStampsOnly) {
  options_.frac_digits = 3;
  Timestamp t = At(2003, 10, 11, 22, 14, 15, 3456);
  EXPECT_EQ(EvalStamp("DATE", t), "Oct 11 22:14:15.003");
  EXPECT_EQ(EvalStamp("FULLDATE", t), "2003 Oct 11 22:14:15.003");
  EXPECT_EQ(EvalStamp("ISODATE", t), "2003-10-11T22:14:15.003+00:00");
  EXPECT_EQ(EvalStamp("STAMP", t), "Oct 11 22:14:15.003");
  EXPECT_EQ(EvalStamp("UNIXTIME", t), "1065910455.003");
  EXPECT_EQ(EvalStamp("SEC", t), "15");
  EXPECT_EQ(EvalStamp("USEC", t), "003456");
  EXPECT_EQ(EvalStamp("MSEC", t), "003");
}

TEST_F(MacrosTest, FracDigitsTruncateAndStopAtMicroseconds) {
  Timestamp t = At(2024, 1, 2, 3, 4, 5, 123456);
  options_.frac_digits = 2;
  EXPECT_EQ(EvalStamp("ISODATE", t), "2024-01-02T03:04:05.12+00:00");
  options_.frac_digits = 9;
  EXPECT_EQ(EvalStamp("ISODATE", t), "2024-01-02T03:04:05.123456+00:00");
}

TEST_F(MacrosTest, TsFormatChoosesTheStampFormat) {
  Timestamp t = At(2024, 1, 2, 3, 4, 5, 0, 7200);
  options_.ts_format = "rfc3339";
  EXPECT_EQ(EvalStamp("STAMP", t), "2024-01-02T05:04:05+02:00");
  options_.ts_format = "iso";
  EXPECT_EQ(EvalStamp("STAMP", t), "2024-01-02T05:04:05+02:00");
  options_.ts_format = "full";
  EXPECT_EQ(EvalStamp("STAMP", t), "2024 Jan  2 05:04:05");
  options_.ts_format = "unix";
  EXPECT_EQ(EvalStamp("STAMP", t), "1704164645");
  options_.ts_format = "bsd";
  EXPECT_EQ(EvalStamp("STAMP", t), "Jan  2 05:04:05");
  // DATE stays BSD whatever ts-format() says.
  options_.ts_format = "iso";
  EXPECT_EQ(EvalStamp("DATE", t), "Jan  2 05:04:05");
}

TEST_F(MacrosTest, StampIsShownInItsOwnOffset) {
  Timestamp t = LocalAt(2024, 1, 2, 3, 4, 5, 2 * 3600, 123456);
  EXPECT_EQ(EvalStamp("ISODATE", t), "2024-01-02T03:04:05+02:00");
  EXPECT_EQ(EvalStamp("HOUR", t), "03");
  EXPECT_EQ(EvalStamp("TZ", t), "+02:00");
  EXPECT_EQ(EvalStamp("UNIXTIME", t), "1704157445");
}

TEST_F(MacrosTest, NegativeOffsetsCrossMidnightBackwards) {
  // 02:30 UTC on Jan 1st is still New Year's Eve at -05:00.
  Timestamp t = At(2026, 1, 1, 2, 30, 0, 0, -5 * 3600);
  EXPECT_EQ(EvalStamp("ISODATE", t), "2025-12-31T21:30:00-05:00");
  EXPECT_EQ(EvalStamp("YEAR", t), "2025");
  EXPECT_EQ(EvalStamp("YEAR_DAY", t), "365");
  EXPECT_EQ(EvalStamp("TZOFFSET", t), "-05:00");
  Timestamp nf = At(2026, 1, 1, 2, 30, 0, 0, -(3 * 3600 + 30 * 60));
  EXPECT_EQ(EvalStamp("TZOFFSET", nf), "-03:30");
  EXPECT_EQ(EvalStamp("HOUR", nf), "23");
}

TEST_F(MacrosTest, LocalTimeZoneFixedOffsetConverts) {
  Timestamp t = At(2024, 1, 2, 3, 4, 5);  // UTC
  options_.local_time_zone = "+05:30";
  EXPECT_EQ(EvalStamp("ISODATE", t), "2024-01-02T08:34:05+05:30");
  options_.local_time_zone = "-0800";
  EXPECT_EQ(EvalStamp("ISODATE", t), "2024-01-01T19:04:05-08:00");
  EXPECT_EQ(EvalStamp("UNIXTIME", t), "1704164645");  // the instant is kept
}

TEST_F(MacrosTest, LocalTimeZoneIanaNameFollowsDaylightSaving) {
  if (!CheckLocalTimeZone("Europe/Budapest").ok()) {
    GTEST_SKIP() << "no zoneinfo on this machine";
  }
  options_.local_time_zone = "Europe/Budapest";
  EXPECT_EQ(EvalStamp("ISODATE", At(2026, 7, 1, 10, 0, 0)),
            "2026-07-01T12:00:00+02:00");
  EXPECT_EQ(EvalStamp("ISODATE", At(2026, 1, 15, 10, 0, 0)),
            "2026-01-15T11:00:00+01:00");
  options_.local_time_zone = "America/New_York";
  EXPECT_EQ(EvalStamp("TZ", At(2026, 1, 15, 10, 0, 0)), "-05:00");
}

TEST_F(MacrosTest, UnknownLocalTimeZoneKeepsTheStampsOwnOffset) {
  options_.local_time_zone = "Mars/Olympus_Mons";
  Timestamp t = At(2024, 1, 2, 3, 4, 5, 0, 3600);
  EXPECT_EQ(EvalStamp("ISODATE", t), "2024-01-02T04:04:05+01:00");
  absl::Status s = CheckLocalTimeZone("Mars/Olympus_Mons");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("Mars/Olympus_Mons"));
  EXPECT_TRUE(CheckLocalTimeZone("").ok());
  EXPECT_TRUE(CheckLocalTimeZone("-03:30").ok());
  EXPECT_FALSE(CheckLocalTimeZone("+25:00").ok());
}

TEST_F(MacrosTest, LeapYearDays) {
  EXPECT_EQ(EvalStamp("YEAR_DAY", At(2024, 2, 29, 12, 0, 0)), "060");
  EXPECT_EQ(EvalStamp("DATE", At(2024, 2, 29, 12, 0, 0)), "Feb 29 12:00:00");
  EXPECT_EQ(EvalStamp("YEAR_DAY", At(2024, 12, 31, 12, 0, 0)), "366");
  EXPECT_EQ(EvalStamp("YEAR_DAY", At(2023, 12, 31, 12, 0, 0)), "365");
  EXPECT_EQ(EvalStamp("YEAR_DAY", At(2000, 3, 1, 0, 0, 0)), "061");
  EXPECT_EQ(EvalStamp("YEAR_DAY", At(2100, 3, 1, 0, 0, 0)), "060");
}

TEST_F(MacrosTest, IsoWeekAndWeekAtYearEdges) {
  struct Case {
    Timestamp t;
    const char* week;
    const char* isoweek;
  } cases[] = {
      {At(2021, 1, 1, 12, 0, 0), "00", "53"},   // Fri: ISO 2020-W53
      {At(2020, 12, 31, 12, 0, 0), "52", "53"},
      {At(2024, 12, 30, 12, 0, 0), "53", "01"},  // Mon: ISO 2025-W01
      {At(2024, 12, 31, 12, 0, 0), "53", "01"},
      {At(2026, 1, 1, 12, 0, 0), "00", "01"},    // Thu
      {At(2027, 1, 1, 12, 0, 0), "00", "53"},
      {At(2023, 1, 1, 12, 0, 0), "00", "52"},    // Sun: ISO 2022-W52
      {At(2016, 1, 3, 12, 0, 0), "00", "53"},
      {At(2008, 12, 29, 12, 0, 0), "52", "01"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(EvalStamp("WEEK", c.t), c.week) << EvalStamp("ISODATE", c.t);
    EXPECT_EQ(EvalStamp("ISOWEEK", c.t), c.isoweek)
        << EvalStamp("ISODATE", c.t);
  }
}

TEST_F(MacrosTest, TimestampsBeforeTheEpoch) {
  Timestamp t = Timestamp::FromTime(absl::FromUnixMicros(-1));
  EXPECT_EQ(EvalStamp("ISODATE", t), "1969-12-31T23:59:59+00:00");
  EXPECT_EQ(EvalStamp("USEC", t), "999999");
  EXPECT_EQ(EvalStamp("WEEKDAY", t), "Wed");
  EXPECT_EQ(EvalStamp("UNIXTIME", t), "-1");
}

TEST_F(MacrosTest, PrefixesPickTheirTimestamp) {
  Message m = MessageBuilder()
                  .SetStamp(At(2001, 1, 1, 1, 1, 1))
                  .SetReceived(At(2002, 2, 2, 2, 2, 2))
                  .Build();
  ctx_.now = At(2003, 3, 3, 3, 3, 3);
  ctx_.processed = At(2004, 4, 4, 4, 4, 4);
  EXPECT_EQ(Eval("YEAR", m), "2001");
  EXPECT_EQ(Eval("S_YEAR", m), "2001");
  EXPECT_EQ(Eval("R_YEAR", m), "2002");
  EXPECT_EQ(Eval("C_YEAR", m), "2003");
  EXPECT_EQ(Eval("P_YEAR", m), "2004");
  ctx_.processed = Timestamp();
  EXPECT_EQ(Eval("P_YEAR", m), "2003");  // unset: same as now
}

TEST_F(MacrosTest, IsoWeekHelperMatchesTheMacro) {
  WallClock wc = ToWallClock(At(2021, 1, 3, 0, 0, 0), 0);  // Sun
  EXPECT_EQ(IsoWeek(wc), 53);
  EXPECT_EQ(wc.wday, 0);
  EXPECT_EQ(wc.yday, 2);
}

}  // namespace
}  // namespace pydest::internal
