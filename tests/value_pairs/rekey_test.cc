// rekey() transforms and chains (syslog-ng-behaviour.md §5.5).
#include "libpydest/value_pairs/rekey.h"

#include "gtest/gtest.h"

namespace pydest::internal {
namespace {

RekeyTransform T(RekeyTransform::Kind kind, std::string text = "",
                 std::string replacement = "", int count = 0) {
  RekeyTransform t;
  t.kind = kind;
  t.text = std::move(text);
  t.replacement = std::move(replacement);
  t.count = count;
  return t;
}

std::string Apply(const std::vector<RekeyRule>& rules, std::string_view name) {
  std::string out;
  RekeyChain(rules).Apply(name, &out);
  return out;
}

using K = RekeyTransform::Kind;

TEST(RekeyTest, AddPrefix) {
  EXPECT_EQ(Apply({{"*", {T(K::kAddPrefix, "new.")}}}, "HOST"), "new.HOST");
}

TEST(RekeyTest, ReplacePrefixOnlyWhenItMatches) {
  std::vector<RekeyRule> r = {{"*", {T(K::kReplacePrefix, ".json.", "j_")}}};
  EXPECT_EQ(Apply(r, ".json.a"), "j_a");
  EXPECT_EQ(Apply(r, "json.a"), "json.a");
}

TEST(RekeyTest, ShiftDropsBytes) {
  EXPECT_EQ(Apply({{"*", {T(K::kShift, "", "", 7)}}}, ".SDATA.meta.x"),
            "meta.x");
  EXPECT_EQ(Apply({{"*", {T(K::kShift, "", "", 9)}}}, "short"), "");
}

TEST(RekeyTest, ShiftLevelsCountsTheEmptyLeadingLevel) {
  std::vector<RekeyRule> r = {{"*", {T(K::kShiftLevels, "", "", 2)}}};
  EXPECT_EQ(Apply(r, ".SDATA.meta.sequenceId"), "meta.sequenceId");
  EXPECT_EQ(Apply(r, "a.b"), "a.b");  // fewer dots than levels: unchanged
}

TEST(RekeyTest, UpperAndLower) {
  EXPECT_EQ(Apply({{"*", {T(K::kUpper)}}}, "kv.user"), "KV.USER");
  EXPECT_EQ(Apply({{"*", {T(K::kLower)}}}, "HOST"), "host");
}

TEST(RekeyTest, TransformsOfOneSetApplyInOrder) {
  EXPECT_EQ(Apply({{".*", {T(K::kShift, "", "", 1), T(K::kAddPrefix, "x_")}}},
                  ".json.a"),
            "x_json.a");
}

TEST(RekeyTest, LaterSetsSeeTheNameEarlierSetsProduced) {
  std::vector<RekeyRule> r = {{"kv.*", {T(K::kReplacePrefix, "kv.", "k_")}},
                              {"k_*", {T(K::kUpper)}},
                              {"kv.*", {T(K::kAddPrefix, "never.")}}};
  EXPECT_EQ(Apply(r, "kv.user"), "K_USER");
}

TEST(RekeyTest, NonMatchingGlobLeavesTheName) {
  EXPECT_EQ(Apply({{".SDATA.*", {T(K::kUpper)}}}, "HOST"), "HOST");
}

}  // namespace
}  // namespace pydest::internal
