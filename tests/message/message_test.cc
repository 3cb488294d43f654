#include "pydest/message.h"

#include <chrono>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libpydest/message/message_rep.h"

namespace pydest {
namespace {

using internal::MessageAccess;

TEST(MessageTest, EmptyMessageHasSyslogDefaults) {
  Message m;
  EXPECT_EQ(m.facility(), kFacilityUser);
  EXPECT_EQ(m.severity(), kSeverityNotice);
  EXPECT_FALSE(m.Get("HOST").has_value());
}

TEST(MessageTest, BuilderSetsBuiltinAndUserPairs) {
  MessageBuilder b;
  b.SetHost("h").SetProgram("app").SetPri(34).Set("kv.user", "alice");
  b.AddSdParam("meta", "sequenceId", "1");
  Message m = b.Build();
  EXPECT_EQ(m.host(), "h");
  EXPECT_EQ(m.facility(), 4);
  EXPECT_EQ(m.severity(), 2);
  EXPECT_EQ(m.Get("kv.user"), "alice");
  EXPECT_EQ(m.Get(".SDATA.meta.sequenceId"), "1");
  EXPECT_FALSE(m.Get("PID").has_value());
}

TEST(MessageTest, EmptyValueIsSet) {
  Message m = MessageBuilder().SetText("").Build();
  ASSERT_TRUE(m.Get("MESSAGE").has_value());
  EXPECT_EQ(*m.Get("MESSAGE"), "");
}

TEST(MessageTest, ForEachPairVisitsBuiltinsThenOthersThenSdata) {
  MessageBuilder b;
  b.Set("z", "1").SetHost("h").AddSdParam("x@1", "p", "v");
  Message m = b.Build();
  std::vector<std::string> names;
  m.ForEachPair([&](std::string_view n, std::string_view) {
    names.emplace_back(n);
  });
  EXPECT_EQ(names, (std::vector<std::string>{"HOST", "z", ".SDATA.x@1.p"}));
}

TEST(MessageTest, NamesLikeBuiltinOnesAreOrdinaryPairs) {
  const std::vector<std::string> lookalikes = {
      "PIX", "HOSTS", "PROGRAN", "MESSAGf", "FILE_NAMe", "HOST_FROm",
      "SOURCe", "MSGIDS", "LEGACY_MSGHDr", "host", ""};
  MessageBuilder b;
  for (const std::string& n : lookalikes) b.Set(n, "v:" + n);
  b.SetProgram("p").Set("MESSAGE", "m").Set("FILE_NAME", "f");
  Message m = b.Build();
  std::vector<std::string> names;
  m.ForEachPair([&](std::string_view n, std::string_view) {
    names.emplace_back(n);
  });
  std::vector<std::string> expected = {"PROGRAM", "MESSAGE", "FILE_NAME"};
  expected.insert(expected.end(), lookalikes.begin(), lookalikes.end());
  EXPECT_EQ(names, expected);
  for (const std::string& n : lookalikes) EXPECT_EQ(m.Get(n), "v:" + n);
  EXPECT_FALSE(m.Get("HOST").has_value());
  EXPECT_FALSE(m.Get("PID").has_value());
}

TEST(MessageTest, CopiesShareTheRepresentation) {
  Message a = MessageBuilder().SetHost("h").Build();
  Message b = a;
  EXPECT_EQ(&MessageAccess::Rep(a), &MessageAccess::Rep(b));
}

}  // namespace
// Past PairIndex::kIndexFrom pairs the builder finds names through an
// index; the semantics must stay those of the scan.
TEST(MessageTest, ManyPairsKeepOrderAndReplaceInPlace) {
  MessageBuilder b;
  for (int i = 0; i < 1000; ++i) b.Set("p" + std::to_string(i), "v");
  b.Set("p7", "seven").Set("p999", "last");
  b.Unset("p0");  // positions shift: the index must not point past them
  b.Set("p500", "mid").Set("new", "n").Set("p1", "one");
  Message m = b.Build();
  EXPECT_EQ(m.Get("p0"), std::nullopt);
  EXPECT_EQ(m.Get("p1"), "one");
  EXPECT_EQ(m.Get("p7"), "seven");
  EXPECT_EQ(m.Get("p500"), "mid");
  EXPECT_EQ(m.Get("p999"), "last");
  std::vector<std::string> names;
  m.ForEachPair([&](std::string_view n, std::string_view) {
    if (n[0] == 'p' || n == "new") names.emplace_back(n);
  });
  ASSERT_EQ(names.size(), 1000u);
  EXPECT_EQ(names.front(), "p1");
  EXPECT_EQ(names[6], "p7");
  EXPECT_EQ(names.back(), "new");
}

TEST(MessageTest, ReusedBuilderForgetsTheLastMessagesPairs) {
  MessageBuilder b;
  for (int i = 0; i < 100; ++i) b.Set("p" + std::to_string(i), "v");
  Message first = b.Build();
  for (int i = 0; i < 100; ++i) b.Set("q" + std::to_string(i), "w");
  b.Set("p5", "x");
  Message second = b.Build();
  EXPECT_EQ(second.Get("p4"), std::nullopt);
  EXPECT_EQ(second.Get("p5"), "x");
  EXPECT_EQ(first.Get("p5"), "v");
}

TEST(MessageTest, ChronoTimePointsKeepMicroseconds) {
  const auto tp = std::chrono::system_clock::time_point(
      std::chrono::microseconds(1700000000123456) + std::chrono::nanoseconds(789));
  Message m = MessageBuilder()
                  .SetStamp(tp, /*utc_offset_seconds=*/3600)
                  .SetReceived(tp + std::chrono::seconds(2))
                  .Build();
  EXPECT_EQ(m.stamp().unix_seconds, 1700000000);
  EXPECT_EQ(m.stamp().microseconds, 123456);  // the nanoseconds cut off
  EXPECT_EQ(m.stamp().utc_offset_seconds, 3600);
  EXPECT_EQ(m.received().unix_seconds, 1700000002);
  EXPECT_EQ(m.received().utc_offset_seconds, 0);
}

TEST(MessageTest, SeverityAndFacilityByName) {
  Message m = MessageBuilder()
                  .SetFacility(Facility::kLocal3)
                  .SetSeverity(Severity::kWarning)
                  .Build();
  EXPECT_EQ(m.facility(), 19);
  EXPECT_EQ(m.severity(), 4);
  EXPECT_EQ(m.pri(), 19 * 8 + 4);
  EXPECT_EQ(static_cast<int>(Severity::kNotice), kSeverityNotice);
  EXPECT_EQ(static_cast<int>(Facility::kUser), kFacilityUser);
}

}  // namespace pydest
