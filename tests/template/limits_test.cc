// Hostile templates: nesting past kMaxTemplateNesting and text past
// kMaxTemplateBytes are compile errors with a column, never a stack
// overflow; long $(if) conditions cost no stack depth.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libpydest/template/template.h"
#include "pydest/limits.h"

namespace pydest::internal {
namespace {

using ::testing::HasSubstr;

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// $(echo $(echo ... x ...)) nested `depth` deep.
std::string NestedEcho(int depth) {
  return Repeat("$(echo ", depth) + "x" + Repeat(")", depth);
}

std::string Format(const Template& t) {
  MessageBuilder b;
  b.SetHost("h").Set("n", "5");
  Message msg = b.Build();
  static const TemplateOptions kOptions;
  MacroContext ctx;
  ctx.template_options = &kOptions;
  std::string out;
  t.Format(msg, ctx, &out);
  return out;
}

TEST(TemplateLimits, NestingAtTheLimitCompiles) {
  auto t = Template::Compile(NestedEcho(kMaxTemplateNesting));
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(Format(**t), "x");
}

TEST(TemplateLimits, NestingPastTheLimitIsAnErrorAtTheCall) {
  auto t = Template::Compile(NestedEcho(kMaxTemplateNesting + 1));
  ASSERT_FALSE(t.ok());
  // Call 129 starts after 128 "$(echo " of 7 bytes: column 897.
  EXPECT_THAT(t.status().message(),
              HasSubstr("column 897: template functions and parentheses "
                        "nested more than 128 deep"));
}

TEST(TemplateLimits, VeryDeepNestingIsAnErrorNotACrash) {
  // ~14000 levels used to overflow the stack.
  auto t = Template::Compile(NestedEcho(20000));
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("nested more than 128 deep"));
  // The quoted template is cut, not 140 KB long.
  EXPECT_LT(t.status().message().size(), 400u);
}

TEST(TemplateLimits, DeepParenthesesInArgumentsCountToo) {
  std::string text = "$(if " + Repeat("(", 5000) + "$n == 5" +
                     Repeat(")", 5000) + " yes no)";
  auto t = Template::Compile(text);
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("nested more than 128 deep"));
}

TEST(TemplateLimits, TextPastTheSizeLimitIsAnError) {
  auto t = Template::Compile(std::string(kMaxTemplateBytes + 1, 'a'));
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(),
              HasSubstr("template of 262145 bytes is longer than the limit "
                        "of 262144 bytes"));
}

TEST(TemplateLimits, LongNotChainsEvaluateWithoutRecursion) {
  auto even = Template::Compile("$(if (" + Repeat("not ", 50000) +
                                "$n == 5) yes no)");
  ASSERT_TRUE(even.ok()) << even.status();
  EXPECT_EQ(Format(**even), "yes");
  auto odd = Template::Compile("$(if (" + Repeat("not ", 50001) +
                               "$n == 5) yes no)");
  ASSERT_TRUE(odd.ok()) << odd.status();
  EXPECT_EQ(Format(**odd), "no");
}

TEST(TemplateLimits, LongAndOrChainsEvaluateWithoutRecursion) {
  // 20000 comparisons joined by or, then by and: one node each.
  auto any = Template::Compile("$(if (" + Repeat("$n == 4 or ", 20000) +
                               "$n == 5) yes no)");
  ASSERT_TRUE(any.ok()) << any.status();
  EXPECT_EQ(Format(**any), "yes");
  auto all = Template::Compile("$(if (" + Repeat("$n == 5 and ", 20000) +
                               "$n == 4) yes no)");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(Format(**all), "no");
}

TEST(TemplateLimits, AndBindsTighterThanOr) {
  auto t = Template::Compile(
      "$(if ($n == 4 and $n == 4 or $n == 5 and $n == 5) yes no)");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(Format(**t), "yes");
  auto u = Template::Compile(
      "$(if ($n == 5 and ($n == 4 or $n == 5) and not $n == 4) yes no)");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(Format(**u), "yes");
}

}  // namespace
}  // namespace pydest::internal
