// GPatternSpec-style globs used by key(), exclude() and rekey().
#include "libpydest/template/glob.h"

#include "gtest/gtest.h"

namespace pydest::internal {
namespace {

TEST(GlobTest, StarMatchesAnyRunIncludingDotsAndNothing) {
  EXPECT_TRUE(Glob("kv.*").Matches("kv."));
  EXPECT_TRUE(Glob("kv.*").Matches("kv.a.b"));
  EXPECT_TRUE(Glob("*").Matches(""));
  EXPECT_TRUE(Glob("*HOST").Matches("FULLHOST"));
  EXPECT_TRUE(Glob("a*b*c").Matches("axxbyyc"));
  EXPECT_FALSE(Glob("a*b*c").Matches("axxbyy"));
}

TEST(GlobTest, QuestionMarkMatchesExactlyOneCharacter) {
  EXPECT_TRUE(Glob("H?ST").Matches("HOST"));
  EXPECT_FALSE(Glob("H?ST").Matches("HST"));
  EXPECT_FALSE(Glob("H?ST").Matches("HOOST"));
  // One UTF-8 character, not one byte.
  EXPECT_TRUE(Glob("x?").Matches("x\xc3\xa9"));
}

TEST(GlobTest, TheWholeNameMustMatch) {
  EXPECT_FALSE(Glob("HOST").Matches("HOST_FROM"));
  EXPECT_FALSE(Glob("R_*").Matches("S_R_DATE"));
}

TEST(GlobTest, CaseSensitiveAndNoEscapesOrClasses) {
  EXPECT_FALSE(Glob("host").Matches("HOST"));
  EXPECT_TRUE(Glob("[a]").Matches("[a]"));
  EXPECT_FALSE(Glob("[a]").Matches("a"));
  EXPECT_TRUE(Glob("\\*").Matches("\\x"));
}

TEST(GlobTest, OneOffMatchAgreesWithCompiled) {
  EXPECT_TRUE(GlobMatches(".SDATA.*.i?t", ".SDATA.exampleSDID@32473.iut"));
  EXPECT_FALSE(GlobMatches("*.json", "a.json.b"));
}

}  // namespace
}  // namespace pydest::internal

#include "libpydest/template/pair_selection.h"

namespace pydest::internal {
namespace {

TEST(ScopeNameTest, AliasesAndNone) {
  uint32_t bits = 99;
  ASSERT_TRUE(ParseScopeName("core", &bits));
  EXPECT_EQ(bits, kScopeRfc3164);
  ASSERT_TRUE(ParseScopeName("syslog_proto", &bits));
  EXPECT_EQ(bits, kScopeRfc5424);
  ASSERT_TRUE(ParseScopeName("all-nv-pairs", &bits));
  EXPECT_EQ(bits, kScopeAllNvPairs);
  ASSERT_TRUE(ParseScopeName("none", &bits));
  EXPECT_EQ(bits, 0u);
  EXPECT_FALSE(ParseScopeName("bogus", &bits));
}

}  // namespace
}  // namespace pydest::internal
