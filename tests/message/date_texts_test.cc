// DateTexts and the thread's cache of them: each timestamp (under each set
// of template options) keeps its own texts, fields rendered on demand equal
// fields rendered together, and the last four handed out stay valid.
#include "libpydest/message/date_texts.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "macro_fixture.h"

namespace pydest::internal {
namespace {

std::string Text(const Timestamp& t, const TemplateOptions& o, DateField f) {
  return std::string(ThreadDateTexts(t, o).Field(f));
}

TEST(DateTextsTest, EachTimestampKeepsItsOwnTexts) {
  TemplateOptions o;
  o.frac_digits = 3;
  // More timestamps than the cache holds, asked for in turn, twice.
  std::vector<Timestamp> stamps;
  for (int i = 0; i < 6; ++i) {
    stamps.push_back(At(2024, 1, 2 + i, 3, 4, 5, i * 1000, i * 3600));
  }
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 6; ++i) {
      EXPECT_EQ(Text(stamps[i], o, DateField::kDay),
                std::string("0") + std::to_string(2 + i));
      EXPECT_EQ(Text(stamps[i], o, DateField::kMsec),
                std::string("00") + std::to_string(i));
      EXPECT_EQ(Text(stamps[i], o, DateField::kTzOffset),
                std::string("+0") + std::to_string(i) + ":00");
    }
  }
}

TEST(DateTextsTest, SameSecondDifferentMicrosecondsAreApart) {
  TemplateOptions o;
  o.frac_digits = 6;
  Timestamp a = At(2024, 1, 2, 3, 4, 5, 1);
  Timestamp b = At(2024, 1, 2, 3, 4, 5, 2);
  EXPECT_EQ(Text(a, o, DateField::kUnixTime), "1704164645.000001");
  EXPECT_EQ(Text(b, o, DateField::kUnixTime), "1704164645.000002");
  EXPECT_EQ(Text(a, o, DateField::kUsec), "000001");
}

TEST(DateTextsTest, TemplateOptionsArePartOfTheKey) {
  Timestamp t = At(2024, 1, 2, 3, 4, 5, 123456, 7200);
  TemplateOptions bsd;
  TemplateOptions iso;
  iso.ts_format = "rfc3339";
  iso.frac_digits = 2;
  TemplateOptions zoned;
  zoned.local_time_zone = "-01:30";
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(Text(t, bsd, DateField::kStamp), "Jan  2 05:04:05");
    EXPECT_EQ(Text(t, iso, DateField::kStamp), "2024-01-02T05:04:05.12+02:00");
    EXPECT_EQ(Text(t, zoned, DateField::kStamp), "Jan  2 01:34:05");
  }
}

TEST(DateTextsTest, FieldsRenderedOneByOneEqualFieldsRenderedTogether) {
  TemplateOptions o;
  o.frac_digits = 4;
  Timestamp t = At(2021, 1, 3, 23, 59, 58, 987654, -3600);
  DateTexts one_by_one;
  DateTexts together;
  one_by_one.Reset(MakeDateTextsKey(t, o));
  together.Reset(MakeDateTextsKey(t, o));
  together.Render(kAllDateFields);
  for (int f = kDateFieldCount - 1; f >= 0; --f) {
    DateField field = static_cast<DateField>(f);
    EXPECT_EQ(one_by_one.Field(field), together.Field(field)) << f;
  }
  EXPECT_EQ(together.Field(DateField::kIsoDate),
            "2021-01-03T22:59:58.9876-01:00");
  EXPECT_EQ(together.Field(DateField::kIsoWeek), "53");
}

TEST(DateTextsTest, ResetForgetsTheOldTexts) {
  TemplateOptions o;
  DateTexts texts;
  texts.Reset(MakeDateTextsKey(At(2024, 1, 2, 3, 4, 5), o));
  EXPECT_EQ(texts.Field(DateField::kYear), "2024");
  texts.Reset(MakeDateTextsKey(At(1999, 12, 31, 23, 0, 0), o));
  EXPECT_EQ(texts.Field(DateField::kYear), "1999");
  EXPECT_EQ(texts.size(), 4u);
}

TEST(DateTextsTest, TheLastFourHandedOutStayValid) {
  TemplateOptions o;
  std::vector<DateTexts*> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(&ThreadDateTexts(At(2000 + i, 6, 1, 0, 0, 0), o));
    held.back()->Render(kAllDateFields);
  }
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(held[i]->Field(DateField::kYear), std::to_string(2000 + i));
  }
}

}  // namespace
}  // namespace pydest::internal
