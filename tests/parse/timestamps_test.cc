// Timestamp conversion (timestamps.h): the arithmetic date conversion and the
// per-hour zone memory give exactly the answers absl's zone lookups give
// (which is what the readers used before), in zones with and without DST,
// across DST changes, in any order of lines.
#include "libpydest/parse/timestamps.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "pydest/parse.h"
#include "tests/parse/test_options.h"

namespace pydest::parse_internal {
namespace {

// The process's local zone is read once, lazily: pick a DST zone before any
// test runs, so the default (thread-local) path is checked across DST too.
const bool kTzSet = (setenv("TZ", "America/New_York", 1), true);

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct Fields {
  int year, month, day, hour, minute, second;
};

// What the readers computed before: absl's civil normalisation as the
// validity check, the zone's "pre" reading, the offset at that instant.
std::optional<Timestamp> Reference(const absl::TimeZone& zone, Fields f) {
  const absl::CivilDay day(f.year, f.month, f.day);
  if (f.month < 1 || f.month > 12 || f.day < 1 || day.day() != f.day ||
      day.month() != f.month) {
    return std::nullopt;
  }
  const int second = f.second == 60 ? 59 : f.second;
  const absl::Time t =
      zone.At(absl::CivilSecond(f.year, f.month, f.day, f.hour, f.minute,
                                second))
          .pre;
  return Timestamp::FromTime(t, zone.At(t).offset);
}

ParseOptions LocalOptions() {
  ParseOptions o = test::TestOptions();
  o.local_utc_offset_seconds.reset();
  return o;
}

std::string Iso(Fields f) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d", f.year,
                f.month, f.day, f.hour, f.minute, f.second);
  return buf;
}

// The Cisco layout carries the year, so no guess is involved.
std::string Bsd(Fields f) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s %2d %04d %02d:%02d:%02d",
                kMonths[f.month - 1], f.day, f.year, f.hour, f.minute,
                f.second);
  return buf;
}

std::optional<Timestamp> ParseIso(const std::string& text,
                                  LocalTimeCache* local) {
  std::string_view in = text;
  return ConsumeIsoTimestamp(&in, LocalOptions(), IsoSeparator::kTOnly, local);
}

std::optional<Timestamp> ParseBsd(const std::string& text,
                                  LocalTimeCache* local) {
  std::string_view in = text;
  const ParseOptions o = LocalOptions();
  return ConsumeBsdTimestamp(&in, *o.received, o, local);
}

std::optional<absl::TimeZone> Zone(const char* name) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(name, &zone)) return std::nullopt;
  return zone;
}

// Every hour of a year (both DST changes of every zone below), at the seconds
// that sit on or next to hour and half-hour edges, plus a leap second.
std::vector<Fields> SweepOfYear(int year) {
  static constexpr std::pair<int, int> kMinuteSeconds[] = {
      {0, 0},   {0, 1},   {14, 59}, {15, 0}, {29, 59}, {30, 0},
      {30, 1},  {44, 59}, {45, 0},  {59, 0}, {59, 59}, {59, 60}};
  std::vector<Fields> out;
  for (absl::CivilHour h(year, 1, 1, 0); h < absl::CivilHour(year + 1, 1, 1, 0);
       ++h) {
    for (auto [minute, second] : kMinuteSeconds) {
      out.push_back({static_cast<int>(h.year()), h.month(), h.day(), h.hour(),
                     minute, second});
    }
  }
  return out;
}

void ExpectSweepMatches(const char* zone_name, int year = 2024) {
  std::optional<absl::TimeZone> zone = Zone(zone_name);
  if (!zone) GTEST_SKIP() << "no tzdata for " << zone_name;
  std::vector<Fields> sweep = SweepOfYear(year);
  LocalTimeCache iso_cache(*zone), bsd_cache(*zone);
  auto check = [&](const Fields& f) {
    const std::optional<Timestamp> want = Reference(*zone, f);
    ASSERT_TRUE(want.has_value());
    const std::string iso = Iso(f), bsd = Bsd(f);
    ASSERT_EQ(ParseIso(iso, &iso_cache), want) << zone_name << " " << iso;
    ASSERT_EQ(ParseBsd(bsd, &bsd_cache), want) << zone_name << " " << bsd;
  };
  for (const Fields& f : sweep) {
    check(f);
    if (::testing::Test::HasFatalFailure()) return;
  }
  // Out of order too: a remembered hour must never answer for another.
  std::mt19937 rng(42);
  std::shuffle(sweep.begin(), sweep.end(), rng);
  for (const Fields& f : sweep) {
    check(f);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(TimestampsTest, LocalTimeMatchesAbslAcrossEuropeBudapestDst) {
  ExpectSweepMatches("Europe/Budapest");
}

TEST(TimestampsTest, LocalTimeMatchesAbslAcrossAmericaNewYorkDst) {
  ExpectSweepMatches("America/New_York");
}

TEST(TimestampsTest, LocalTimeMatchesAbslAcrossLordHoweHalfHourDst) {
  ExpectSweepMatches("Australia/Lord_Howe");
}

TEST(TimestampsTest, LocalTimeMatchesAbslWhenDstChangesInsideAnHour) {
  // Newfoundland changed at 00:01 local until 2011: the hour 00 of the
  // change day starts unique and then is skipped or repeated.
  ExpectSweepMatches("America/St_Johns", 2010);
}

TEST(TimestampsTest, LocalTimeMatchesAbslInZonesWithoutDst) {
  ExpectSweepMatches("Asia/Tokyo");
  ExpectSweepMatches("Asia/Kolkata");
  ExpectSweepMatches("UTC");
}

TEST(TimestampsTest, EverySecondAroundDstChangesMatchesAbsl) {
  // 2024-03-31 01:00-04:00 and 2024-10-27 01:00-04:00 in Budapest: the gap
  // 02:00-03:00 and the repeated 02:00-03:00, each second, both orders.
  std::optional<absl::TimeZone> zone = Zone("Europe/Budapest");
  if (!zone) GTEST_SKIP() << "no tzdata";
  LocalTimeCache cache(*zone);
  for (int month_day : {331, 1027}) {
    const int month = month_day / 100, day = month_day % 100;
    for (int pass = 0; pass < 2; ++pass) {
      for (int i = 0; i < 3 * 3600; ++i) {
        const int s = pass == 0 ? i : 3 * 3600 - 1 - i;
        const Fields f{2024, month, day, 1 + s / 3600, s / 60 % 60, s % 60};
        ASSERT_EQ(ParseIso(Iso(f), &cache), Reference(*zone, f)) << Iso(f);
      }
    }
  }
}

TEST(TimestampsTest, DefaultPathReadsTheProcessZone) {
  ASSERT_TRUE(kTzSet);
  std::optional<absl::TimeZone> zone = Zone("America/New_York");
  if (!zone) GTEST_SKIP() << "no tzdata";
  for (const Fields& f : {Fields{2024, 3, 10, 1, 59, 59},
                          Fields{2024, 3, 10, 2, 30, 0},
                          Fields{2024, 3, 10, 3, 0, 0},
                          Fields{2024, 11, 3, 1, 30, 0},
                          Fields{2024, 11, 3, 2, 0, 0},
                          Fields{2024, 7, 1, 12, 0, 0}}) {
    EXPECT_EQ(ParseIso(Iso(f), nullptr), Reference(*zone, f)) << Iso(f);
    EXPECT_EQ(ParseBsd(Bsd(f), nullptr), Reference(*zone, f)) << Bsd(f);
  }
}

TEST(TimestampsTest, OffsetAtMatchesAbslAroundTransitions) {
  for (const char* name :
       {"Europe/Budapest", "America/New_York", "Australia/Lord_Howe", "UTC"}) {
    std::optional<absl::TimeZone> zone = Zone(name);
    if (!zone) continue;
    LocalTimeCache cache(*zone);
    const ParseOptions o = LocalOptions();
    const int64_t begin = test::UnixSeconds(2024, 1, 1, 0, 0, 0);
    const int64_t end = test::UnixSeconds(2025, 1, 1, 0, 0, 0);
    // Every 7 minutes across the year (in and out of remembered hours)...
    for (int64_t s = begin; s < end; s += 7 * 60 + 1) {
      const absl::Time t = absl::FromUnixSeconds(s);
      ASSERT_EQ(LocalOffsetAt(o, t, &cache), zone->At(t).offset) << name << s;
    }
    // ...and every second within two hours of each transition.
    absl::TimeZone::CivilTransition tr;
    absl::Time t = absl::FromUnixSeconds(begin);
    while (zone->NextTransition(t, &tr) && (t = zone->At(tr.to).trans) <
                                               absl::FromUnixSeconds(end)) {
      for (int64_t d = -7200; d < 7200; ++d) {
        const absl::Time u = t + absl::Seconds(d);
        ASSERT_EQ(LocalOffsetAt(o, u, &cache), zone->At(u).offset)
            << name << " " << absl::FormatTime(u);
      }
    }
  }
}

TEST(TimestampsTest, DaysFromCivilMatchesAbslForEveryDayOfYears0To9999) {
  const absl::CivilDay epoch(1970, 1, 1);
  for (absl::CivilDay d(0, 1, 1); d < absl::CivilDay(10000, 1, 1); ++d) {
    const int year = static_cast<int>(d.year());
    ASSERT_EQ(DaysFromCivil(year, d.month(), d.day()), d - epoch) << d;
    if (d.day() == 1) {
      const absl::CivilMonth m(d);
      ASSERT_EQ(DaysInMonth(year, d.month()),
                absl::CivilDay(m + 1) - absl::CivilDay(m))
          << d;
    }
  }
}

TEST(TimestampsTest, GuessYearMatchesTheLocalCalendarOfTheReceiveTime) {
  std::optional<absl::TimeZone> zone = Zone("Europe/Budapest");
  if (!zone) GTEST_SKIP() << "no tzdata";
  LocalTimeCache cache(*zone);
  const ParseOptions o = LocalOptions();
  // Every 5 hours 13 minutes from 1969 to 2031 (crossing New Year at all
  // hours), and the receive time as UTC 0 and as a fixed offset.
  for (int64_t s = test::UnixSeconds(1969, 1, 1, 0, 0, 0);
       s < test::UnixSeconds(2031, 1, 1, 0, 0, 0); s += 5 * 3600 + 13 * 60) {
    const absl::Time received = absl::FromUnixSeconds(s);
    const absl::CivilSecond now = zone->At(received).cs;
    for (int month = 1; month <= 12; ++month) {
      int want = static_cast<int>(now.year());
      if (month - now.month() > 1) --want;
      if (month - now.month() < -10) ++want;
      ASSERT_EQ(GuessYear(month, received, o, &cache), want)
          << absl::FormatTime(received) << " month " << month;
    }
  }
}

TEST(TimestampsTest, InvalidDatesAreRejected) {
  std::optional<absl::TimeZone> zone = Zone("Europe/Budapest");
  if (!zone) GTEST_SKIP() << "no tzdata";
  LocalTimeCache cache(*zone);
  for (const Fields& f :
       {Fields{2023, 2, 29, 12, 0, 0}, Fields{2024, 4, 31, 12, 0, 0},
        Fields{2024, 6, 31, 12, 0, 0}, Fields{2024, 2, 30, 12, 0, 0},
        Fields{1900, 2, 29, 12, 0, 0}, Fields{2100, 2, 29, 12, 0, 0},
        Fields{2024, 1, 0, 12, 0, 0}, Fields{2024, 1, 32, 12, 0, 0}}) {
    EXPECT_FALSE(Reference(*zone, f).has_value()) << Iso(f);
    EXPECT_FALSE(ParseIso(Iso(f), &cache).has_value()) << Iso(f);
    EXPECT_FALSE(ParseBsd(Bsd(f), &cache).has_value()) << Bsd(f);
    EXPECT_FALSE(ParseIso(Iso(f) + "Z", &cache).has_value()) << Iso(f);
  }
  // Months the ISO form can spell but that do not exist.
  for (const char* text : {"2024-13-01T12:00:00", "2024-00-10T12:00:00",
                           "2024-13-01T12:00:00+02:00"}) {
    EXPECT_FALSE(ParseIso(text, &cache).has_value()) << text;
  }
}

TEST(TimestampsTest, LeapDaysAreAccepted) {
  std::optional<absl::TimeZone> zone = Zone("Europe/Budapest");
  if (!zone) GTEST_SKIP() << "no tzdata";
  LocalTimeCache cache(*zone);
  for (const Fields& f :
       {Fields{2024, 2, 29, 12, 0, 0}, Fields{2000, 2, 29, 23, 59, 59},
        Fields{0, 2, 29, 0, 0, 0}, Fields{9996, 2, 29, 1, 2, 3}}) {
    const std::optional<Timestamp> want = Reference(*zone, f);
    ASSERT_TRUE(want.has_value()) << Iso(f);
    EXPECT_EQ(ParseIso(Iso(f), &cache), want) << Iso(f);
  }
  EXPECT_EQ(ParseBsd("Feb 29 2024 12:00:00", &cache),
            Reference(*zone, {2024, 2, 29, 12, 0, 0}));
}

TEST(TimestampsTest, ExplicitZoneAndFixedOffsetMatchAbsl) {
  // The text's zone or ParseOptions::local_utc_offset_seconds: plain
  // arithmetic, checked against absl's UTC civil conversion, year 0 to 9999.
  ParseOptions fixed = test::TestOptions();
  fixed.local_utc_offset_seconds = -(3 * 3600 + 30 * 60);
  for (const Fields& f :
       {Fields{0, 1, 1, 0, 0, 0}, Fields{1969, 12, 31, 23, 59, 60},
        Fields{1970, 1, 1, 0, 0, 0}, Fields{2024, 2, 29, 12, 34, 56},
        Fields{9999, 12, 31, 23, 59, 59}}) {
    const absl::Time utc = absl::FromCivil(
        absl::CivilSecond(f.year, f.month, f.day, f.hour, f.minute,
                          f.second == 60 ? 59 : f.second),
        absl::UTCTimeZone());
    std::string text = Iso(f) + ".123456789+05:45";
    std::string_view in = text;
    EXPECT_EQ(ConsumeIsoTimestamp(&in, fixed),
              (Timestamp{absl::ToUnixSeconds(utc) - (5 * 3600 + 45 * 60),
                         123456, 5 * 3600 + 45 * 60}))
        << text;
    EXPECT_TRUE(in.empty());
    text = Iso(f);
    in = text;
    EXPECT_EQ(ConsumeIsoTimestamp(&in, fixed),
              (Timestamp{absl::ToUnixSeconds(utc) + 3 * 3600 + 30 * 60, 0,
                         *fixed.local_utc_offset_seconds}))
        << text;
  }
}

TEST(TimestampsTest, LeapSecondReadsAsFiftyNine) {
  std::optional<absl::TimeZone> zone = Zone("America/New_York");
  if (!zone) GTEST_SKIP() << "no tzdata";
  LocalTimeCache cache(*zone);
  EXPECT_EQ(ParseIso("2016-12-31T23:59:60", &cache),
            ParseIso("2016-12-31T23:59:59", &cache));
  EXPECT_EQ(ParseBsd("Dec 31 2016 23:59:60", &cache),
            Reference(*zone, {2016, 12, 31, 23, 59, 59}));
}

}  // namespace
}  // namespace pydest::parse_internal
