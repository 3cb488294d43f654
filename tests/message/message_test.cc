#include "pydest/message.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace pydest {
namespace {

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
  EXPECT_EQ(&a.rep(), &b.rep());
}

}  // namespace
}  // namespace pydest
