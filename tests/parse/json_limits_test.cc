// The JSON-lines reader against hostile lines: many members, deep nesting.
// Past kMaxJsonFields members or kMaxJsonDepth levels a line is a parse
// error (MESSAGE is the line), and a line within them builds in linear time
// (each member is found by the builder through its index, not a scan).
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/limits.h"
#include "pydest/parse.h"
#include "tests/parse/test_options.h"

namespace pydest {
namespace {

// Without a line limit, as a host calling the parse API may: only the
// JSON limits stand between such a line and the builder.
ParseOptions Unlimited() {
  ParseOptions o = test::TestOptions();
  o.max_line_size = 0;
  return o;
}

std::string ObjectWithKeys(size_t n, const std::string& key_prefix = "k") {
  std::string line = "{\"msg\":\"hi\"";
  for (size_t i = 0; i < n; ++i) {
    line += ",\"" + key_prefix + std::to_string(i) + "\":" + std::to_string(i);
  }
  return line + "}";
}

size_t CountPairs(const Message& m) {
  size_t n = 0;
  m.ForEachPair([&](std::string_view, std::string_view) { ++n; });
  return n;
}

TEST(JsonLimits, LineAtTheMemberLimitKeepsEveryMember) {
  // 65535 keys plus "msg": exactly kMaxJsonFields members.
  Message m = ParseJsonLine(ObjectWithKeys(kMaxJsonFields - 1), Unlimited());
  EXPECT_EQ(m.Get(kMessage), "hi");
  EXPECT_EQ(m.Get("k0"), "0");
  EXPECT_EQ(m.Get("k65534"), "65534");
  EXPECT_GE(CountPairs(m), kMaxJsonFields);
}

TEST(JsonLimits, LinePastTheMemberLimitIsAParseError) {
  std::string line = ObjectWithKeys(kMaxJsonFields);
  Message m = ParseJsonLine(line, Unlimited());
  EXPECT_TRUE(m.Get(kMessage) == line);  // (a mismatch would print it all)
  EXPECT_EQ(m.Get("k0"), std::nullopt);
}

TEST(JsonLimits, NestedMembersCountTowardsTheLimit) {
  std::string line = "{\"a\":{";
  for (size_t i = 0; i < kMaxJsonFields; ++i) {
    if (i > 0) line += ",";
    line += "\"k" + std::to_string(i) + "\":1";
  }
  line += "}}";
  Message m = ParseJsonLine(line, Unlimited());
  EXPECT_TRUE(m.Get(kMessage) == line);  // (a mismatch would print it all)
}

TEST(JsonLimits, DuplicateKeysAmongManyKeepTheFirstPositionAndLastValue) {
  std::string line = ObjectWithKeys(1000);
  line.back() = ',';
  line += "\"k5\":\"again\"}";
  Message m = ParseJsonLine(line, Unlimited());
  EXPECT_EQ(m.Get("k5"), "again");
  std::string sixth;
  int i = 0;
  m.ForEachPair([&](std::string_view n, std::string_view) {
    if (n.substr(0, 1) == "k" && i++ == 5) sixth = std::string(n);
  });
  EXPECT_EQ(sixth, "k5");
}

TEST(JsonLimits, NestingPastTheDepthLimitIsAParseError) {
  std::string line;
  for (int i = 0; i < 100000; ++i) line += "{\"a\":";
  line += "1";
  for (int i = 0; i < 100000; ++i) line += "}";
  Message m = ParseJsonLine(line, Unlimited());
  EXPECT_TRUE(m.Get(kMessage) == line);  // (a mismatch would print it all)
}

}  // namespace
}  // namespace pydest
