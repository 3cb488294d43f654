// Type hints, on-error() (syslog-ng-behaviour.md §4.2, §6, §10): each hint's
// accepted and rejected input under 3.38 and 4.x rules, and each policy.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libpydest/types/casts.h"
#include "libpydest/types/type_converter.h"

namespace pydest::internal {
namespace {

struct Converted {
  CastVerdict verdict;
  TypedValue value;
  std::vector<LogRecord> log;
  std::string buffer;
  std::vector<std::pair<uint32_t, uint32_t>> items;
};

Converted Convert(ConfigVersion version, OnError policy, TypeHint hint,
                  std::string_view text) {
  Converted c;
  TypeConverter converter(version, policy);
  c.verdict = converter.Convert(hint, text, &c.value, &c.buffer, &c.items,
                                &c.log);
  return c;
}

constexpr ConfigVersion k338{3, 38};
constexpr ConfigVersion k4{4, 0};

std::vector<std::string> Items(const Converted& c) {
  std::vector<std::string> out;
  for (auto [off, size] : c.items) out.push_back(c.buffer.substr(off, size));
  return out;
}

TEST(CastsTest, Int3xAcceptsBase10WithSignAndNoRangeCheck) {
  int64_t v;
  EXPECT_TRUE(CastInt3x("42", &v));
  EXPECT_EQ(v, 42);
  EXPECT_TRUE(CastInt3x("-5", &v));
  EXPECT_EQ(v, -5);
  EXPECT_TRUE(CastInt3x("99999999999", &v));
  EXPECT_EQ(v, 99999999999);
  EXPECT_FALSE(CastInt3x("", &v));
  EXPECT_FALSE(CastInt3x("12x", &v));
  EXPECT_FALSE(CastInt3x("0x1f", &v));
  EXPECT_FALSE(CastInt3x("99999999999999999999", &v));
}

TEST(CastsTest, Int4xAlsoAcceptsHex) {
  int64_t v;
  EXPECT_TRUE(CastInt4x("0x1f", &v));
  EXPECT_EQ(v, 31);
  EXPECT_FALSE(CastInt4x("0xg", &v));
}

TEST(CastsTest, DoubleNeedsTheWholeValue) {
  double d;
  EXPECT_TRUE(CastDouble("3.14", &d));
  EXPECT_DOUBLE_EQ(d, 3.14);
  EXPECT_TRUE(CastDouble("2", &d));
  EXPECT_FALSE(CastDouble("pi", &d));
  EXPECT_FALSE(CastDouble("1.5x", &d));
  EXPECT_FALSE(CastDouble("", &d));
}

TEST(CastsTest, BooleanLooksAtTheFirstCharacter) {
  bool b;
  EXPECT_TRUE(CastBoolean("true", &b) && b);
  EXPECT_TRUE(CastBoolean("1", &b) && b);
  EXPECT_TRUE(CastBoolean("False", &b) && !b);
  EXPECT_TRUE(CastBoolean("0", &b) && !b);
  EXPECT_FALSE(CastBoolean("yes", &b));
  EXPECT_FALSE(CastBoolean("maybe", &b));
  EXPECT_FALSE(CastBoolean("", &b));
}

TEST(CastsTest, DateTimeIsUnixSecondsWithMilliseconds) {
  int64_t us;
  EXPECT_TRUE(CastDateTime("1700000000.123", &us));
  EXPECT_EQ(us, 1700000000123000);
  EXPECT_TRUE(CastDateTime("1700000000.123456", &us));
  EXPECT_EQ(us, 1700000000123000);
  EXPECT_TRUE(CastDateTime("1700000000", &us));
  EXPECT_EQ(us, 1700000000000000);
  EXPECT_FALSE(CastDateTime("yesterday", &us));
  EXPECT_FALSE(CastDateTime("", &us));
}

TEST(CastsTest, CommaListUnquotesAndSkipsEmptyItems) {
  std::string buffer;
  std::vector<std::pair<uint32_t, uint32_t>> items;
  SplitCommaList("a,'x y',\"c,d\",,\"q\\\"\"", &buffer, &items);
  std::vector<std::string> got;
  for (auto [o, s] : items) got.push_back(buffer.substr(o, s));
  EXPECT_EQ(got, (std::vector<std::string>{"a", "x y", "c,d", "q\""}));
  items.clear();
  SplitCommaList("", &buffer, &items);
  EXPECT_TRUE(items.empty());
}

TEST(TypeConverter338Test, IntHintsBecomeInts) {
  for (TypeHint h : {TypeHint::kInt32, TypeHint::kInt64}) {
    Converted c = Convert(k338, OnError::kDropMessage, h, "12345678901");
    EXPECT_EQ(c.verdict, CastVerdict::kKeep);
    EXPECT_EQ(c.value.kind, TypedKind::kInt);
    EXPECT_EQ(c.value.integer, 12345678901);
    EXPECT_TRUE(c.log.empty());
  }
}

TEST(TypeConverter338Test, StringHintStaysBytes) {
  Converted c = Convert(k338, OnError::kDropMessage, TypeHint::kString, "s");
  EXPECT_EQ(c.verdict, CastVerdict::kKeep);
  EXPECT_EQ(c.value.kind, TypedKind::kBytes);
}

TEST(TypeConverter338Test, FailedIntLogsCastingErrorWithTypeHintInt) {
  Converted c = Convert(k338, OnError::kDropProperty, TypeHint::kInt64, "12x");
  ASSERT_EQ(c.log.size(), 1u);
  EXPECT_EQ(c.log[0].text, "Casting error");
  EXPECT_EQ(c.log[0].level, LogRecord::Level::kError);
  EXPECT_EQ(c.log[0].tags,
            (std::vector<std::pair<std::string, std::string>>{
                {"value", "12x"}, {"type-hint", "int"}}));
}

TEST(TypeConverter338Test, FailedIntDropMessage) {
  EXPECT_EQ(Convert(k338, OnError::kDropMessage, TypeHint::kInt32, "x").verdict,
            CastVerdict::kDropMessage);
}

TEST(TypeConverter338Test, FailedIntDropProperty) {
  EXPECT_EQ(Convert(k338, OnError::kDropProperty, TypeHint::kInt32, "x").verdict,
            CastVerdict::kOmit);
}

TEST(TypeConverter338Test, FailedIntFallbackToStringKeepsBytes) {
  Converted c = Convert(k338, OnError::kFallbackToString, TypeHint::kInt32, "");
  EXPECT_EQ(c.verdict, CastVerdict::kKeep);
  EXPECT_EQ(c.value.kind, TypedKind::kBytes);
  EXPECT_TRUE(c.value.failed);
}

TEST(TypeConverter338Test, SilentPoliciesLogNothing) {
  EXPECT_EQ(Convert(k338, OnError::kSilentlyDropMessage, TypeHint::kInt32, "x")
                .verdict,
            CastVerdict::kDropMessage);
  Converted p =
      Convert(k338, OnError::kSilentlyDropProperty, TypeHint::kInt32, "x");
  EXPECT_EQ(p.verdict, CastVerdict::kOmit);
  EXPECT_TRUE(p.log.empty());
  Converted f =
      Convert(k338, OnError::kSilentlyFallbackToString, TypeHint::kInt32, "x");
  EXPECT_EQ(f.verdict, CastVerdict::kKeep);
  EXPECT_TRUE(f.log.empty());
}

TEST(TypeConverter338Test, UnsupportedHintsAreCastingErrorsWithUnknownType) {
  for (TypeHint h : {TypeHint::kDouble, TypeHint::kBoolean, TypeHint::kDateTime,
                     TypeHint::kList, TypeHint::kJson, TypeHint::kLiteral,
                     TypeHint::kNull}) {
    Converted c = Convert(k338, OnError::kDropProperty, h, "1");
    EXPECT_EQ(c.verdict, CastVerdict::kOmit) << TypeHintName(h);
    ASSERT_EQ(c.log.size(), 1u);
    EXPECT_EQ(c.log[0].tags[1].second, "<unknown>");
  }
}

TEST(TypeConverter338Test, UnsupportedHintWithFallbackIsOmittedNotString) {
  Converted c = Convert(k338, OnError::kFallbackToString, TypeHint::kDouble,
                        "3.14");
  EXPECT_EQ(c.verdict, CastVerdict::kOmit);
}

TEST(TypeConverter338Test, UnsupportedHintWithDropMessageDrops) {
  EXPECT_EQ(
      Convert(k338, OnError::kDropMessage, TypeHint::kBoolean, "true").verdict,
      CastVerdict::kDropMessage);
}

TEST(TypeConverter4xTest, HintsGiveTypedValues) {
  Converted i = Convert(k4, OnError::kDropMessage, TypeHint::kInt32, "0x10");
  EXPECT_EQ(i.value.kind, TypedKind::kInt);
  EXPECT_EQ(i.value.integer, 16);
  Converted d = Convert(k4, OnError::kDropMessage, TypeHint::kDouble, "1.5");
  EXPECT_EQ(d.value.kind, TypedKind::kDouble);
  EXPECT_DOUBLE_EQ(d.value.real, 1.5);
  Converted b = Convert(k4, OnError::kDropMessage, TypeHint::kBoolean, "t");
  EXPECT_EQ(b.value.kind, TypedKind::kBool);
  EXPECT_EQ(b.value.integer, 1);
  Converted t =
      Convert(k4, OnError::kDropMessage, TypeHint::kDateTime, "1700000000.5");
  EXPECT_EQ(t.value.kind, TypedKind::kDateTime);
  EXPECT_EQ(t.value.integer, 1700000000500000);
  Converted l = Convert(k4, OnError::kDropMessage, TypeHint::kList, "a,b");
  EXPECT_EQ(l.value.kind, TypedKind::kList);
  EXPECT_EQ(Items(l), (std::vector<std::string>{"a", "b"}));
  Converted n = Convert(k4, OnError::kDropMessage, TypeHint::kNull, "x");
  EXPECT_EQ(n.value.kind, TypedKind::kNull);
  Converted j = Convert(k4, OnError::kDropMessage, TypeHint::kJson, "{}");
  EXPECT_EQ(j.value.kind, TypedKind::kBytes);
}

TEST(TypeConverter4xTest, FailedCastIsSilentlyBytesWhateverThePolicy) {
  for (OnError p : {OnError::kDropMessage, OnError::kDropProperty,
                    OnError::kFallbackToString}) {
    for (TypeHint h : {TypeHint::kInt32, TypeHint::kDouble, TypeHint::kBoolean,
                       TypeHint::kDateTime}) {
      Converted c = Convert(k4, p, h, "maybe");
      EXPECT_EQ(c.verdict, CastVerdict::kKeep);
      EXPECT_EQ(c.value.kind, TypedKind::kBytes);
      EXPECT_TRUE(c.log.empty());
    }
  }
}

TEST(OnErrorTest, NamesRoundTripAndUnderscoresAreDashes) {
  OnError p;
  ASSERT_TRUE(ParseOnError("silently_fallback_to_string", &p));
  EXPECT_EQ(p, OnError::kSilentlyFallbackToString);
  EXPECT_STREQ(OnErrorName(p), "silently-fallback-to-string");
  EXPECT_TRUE(OnErrorIsSilent(p));
  EXPECT_EQ(OnErrorBase(p), OnError::kFallbackToString);
  EXPECT_FALSE(ParseOnError("drop", &p));
}

}  // namespace
}  // namespace pydest::internal
