// Template compilation and expansion: references, $$, template functions,
// and the errors malformed templates give.
#include "libpydest/template/template.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pydest::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Message TestMessage() {
  MessageBuilder b;
  Timestamp t;
  t.unix_seconds = 1065910455;  // 2003-10-11 22:14:15 UTC
  b.SetStamp(t).SetReceived(t).SetFacility(4).SetSeverity(2);
  b.SetHost("MyHost").SetProgram("su").SetPid("1234").SetText("Hello World");
  b.Set("kv.user", "alice").Set("empty", "");
  b.AddSdParam("meta", "sequenceId", "1");
  return b.Build();
}

std::string Expand(std::string_view text, const Message& msg = TestMessage()) {
  auto t = Template::Compile(text);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status();
  if (!t.ok()) return "<error>";
  static const TemplateOptions kOptions;
  MacroContext ctx;
  ctx.template_options = &kOptions;
  std::string out = "prefix:";
  (*t)->Format(msg, ctx, &out);
  return out.substr(7);  // Format appends
}

std::string CompileError(std::string_view text) {
  auto t = Template::Compile(text);
  EXPECT_FALSE(t.ok()) << text;
  return t.ok() ? "" : std::string(t.status().message());
}

TEST(TemplateTest, LiteralTextIsCopied) {
  EXPECT_EQ(Expand("plain text"), "plain text");
  EXPECT_EQ(Expand(""), "");
}

TEST(TemplateTest, DollarReferencesExpandMacrosAndPairs) {
  EXPECT_EQ(Expand("$HOST $PROGRAM[$PID]"), "MyHost su[1234]");
  EXPECT_EQ(Expand("${HOST}x"), "MyHostx");
  EXPECT_EQ(Expand("${kv.user}"), "alice");
  EXPECT_EQ(Expand("$FACILITY.$PRIORITY"), "auth.crit");
}

TEST(TemplateTest, SdataReference) {
  EXPECT_EQ(Expand("${.SDATA.meta.sequenceId}"), "1");
}

TEST(TemplateTest, UnsetNameExpandsToNothing) {
  EXPECT_EQ(Expand("<${nosuch}>"), "<>");
}

TEST(TemplateTest, DoubleDollarIsALiteralDollar) {
  EXPECT_EQ(Expand("cost: $$5"), "cost: $5");
  EXPECT_EQ(Expand("end$"), "end$");
}

TEST(TemplateTest, SingleReferenceIsReported) {
  std::string name;
  EXPECT_TRUE((*Template::Compile("${kv.user}"))->IsSingleReference(&name));
  EXPECT_EQ(name, "kv.user");
  EXPECT_TRUE((*Template::Compile("$HOST"))->IsSingleReference(&name));
  EXPECT_EQ(name, "HOST");
  EXPECT_FALSE((*Template::Compile("$HOST ")) ->IsSingleReference(&name));
  EXPECT_EQ((*Template::Compile("$HOST "))->text(), "$HOST ");
}

TEST(TemplateTest, EchoJoinsArgumentsWithSpaces) {
  EXPECT_EQ(Expand("$(echo $HOST \"a b\" c)"), "MyHost a b c");
}

TEST(TemplateTest, LowercaseAndUppercase) {
  EXPECT_EQ(Expand("$(lowercase $MESSAGE)"), "hello world");
  EXPECT_EQ(Expand("$(uppercase \"${kv.user}\")"), "ALICE");
}

TEST(TemplateTest, SubstrWithStartAndLength) {
  EXPECT_EQ(Expand("$(substr \"$MESSAGE\" 6)"), "World");
  EXPECT_EQ(Expand("$(substr \"$MESSAGE\" 0 5)"), "Hello");
  EXPECT_EQ(Expand("$(substr \"$MESSAGE\" -5 3)"), "Wor");
  EXPECT_EQ(Expand("$(substr \"$MESSAGE\" 1 -1)"), "ello Worl");
  EXPECT_EQ(Expand("$(substr \"$MESSAGE\" 50)"), "");
}

TEST(TemplateTest, IfComparesStrings) {
  EXPECT_EQ(Expand("$(if (\"$PROGRAM\" == \"su\") \"yes\" \"no\")"), "yes");
  EXPECT_EQ(Expand("$(if (\"$PROGRAM\" != \"su\") \"yes\" \"no\")"), "no");
  EXPECT_EQ(Expand("$(if (\"${empty}\" != \"\") \"set\" \"empty\")"), "empty");
}

TEST(TemplateTest, IfComparesIntegersNumerically) {
  EXPECT_EQ(Expand("$(if (\"$PID\" > \"999\") big small)"), "big");
  EXPECT_EQ(Expand("$(if (\"$PID\" gt \"999\") big small)"), "small");
}

TEST(TemplateTest, IfCombinesWithAndOrNot) {
  EXPECT_EQ(Expand("$(if (\"$PROGRAM\" == \"su\" and not (\"$PID\" == \"1\")) "
                   "a b)"),
            "a");
  EXPECT_EQ(Expand("$(if (\"x\" == \"y\" or \"$HOST\" eq \"MyHost\") a b)"),
            "a");
}

TEST(TemplateTest, FunctionsNest) {
  EXPECT_EQ(Expand("$(uppercase $(substr \"$HOST\" 0 2))"), "MY");
}

// Keys in descending byte order, as syslog-ng 3.38 writes them
// (tests/template/golden records it).
TEST(TemplateTest, FormatJsonNestsDottedKeys) {
  EXPECT_EQ(Expand("$(format-json --key kv.* --key PROGRAM)"),
            "{\"kv\":{\"user\":\"alice\"},\"PROGRAM\":\"su\"}");
}

TEST(TemplateTest, FormatJsonScopeAndPairsAndInitialDot) {
  EXPECT_EQ(Expand("$(format-json --scope sdata x=$PID)"),
            "{\"x\":\"1234\",\"_SDATA\":{\"meta\":{\"sequenceId\":\"1\"}}}");
}

TEST(TemplateTest, FormatJsonExcludeAndOmitEmptyValues) {
  EXPECT_EQ(Expand("$(format-json --scope nv-pairs --exclude kv.* "
                   "--exclude HOST --exclude MESSAGE --omit-empty-values)"),
            "{\"PROGRAM\":\"su\",\"PID\":\"1234\"}");
}

TEST(TemplateTest, FormatJsonEscapesStrings) {
  MessageBuilder b;
  b.Set("q", "a\"b\\c\n");
  EXPECT_EQ(Expand("$(format-json --key q)", b.Build()),
            "{\"q\":\"a\\\"b\\\\c\\n\"}");
}

TEST(TemplateTest, UnknownFunctionIsAnErrorNamingIt) {
  std::string e = CompileError("x $(nosuch a b)");
  EXPECT_THAT(e, HasSubstr("unknown template function 'nosuch'"));
  EXPECT_THAT(e, HasSubstr("column 5"));
}

TEST(TemplateTest, UnknownFunctionSuggestsACloseName) {
  EXPECT_THAT(CompileError("$(lenght $MSG)"),
              HasSubstr("unknown template function 'lenght'; did you mean "
                        "'length'?"));
  EXPECT_THAT(CompileError("$(zzzzzzzz)"), Not(HasSubstr("did you mean")));
}

TEST(TemplateTest, DefaultReplacesAnEmptyOrUnsetValue) {
  EXPECT_EQ(Expand("${empty:-d} ${nosuch:-x y} ${HOST:-h} ${MSGID:-}"),
            "d x y MyHost ");
}

// base64-decode and tag are syslog-ng 4.x (AxoSyslog) functions; 3.38 has
// neither, so the golden corpus cannot check them.
TEST(TemplateTest, Base64DecodeAsIn4x) {
  EXPECT_EQ(Expand("$(base64-decode aGVsbG8=)"), "hello");
  EXPECT_EQ(Expand("$(base64-decode aGVsbG8)"), "hello");
  EXPECT_EQ(Expand("$(base64-decode $(base64-encode $MSG))"), "Hello World");
  EXPECT_EQ(Expand("$(base64-decode not*base64)"), "");
}

TEST(TemplateTest, TagAsIn4x) {
  MessageBuilder b;
  b.AddTag("seen");
  Message m = b.Build();
  EXPECT_EQ(Expand("$(tag seen)$(tag other)", m), "10");
  EXPECT_EQ(Expand("$(tag seen yes no)/$(tag other yes no)", m), "yes/no");
  EXPECT_EQ(Expand("[$(tag other yes)]", m), "[]");
}

TEST(TemplateTest, FormatJsonTypeHints) {
  EXPECT_EQ(Expand("$(format-json n=int($PID) s=$PID b=boolean(yes))"),
            "{\"s\":\"1234\",\"n\":1234,\"b\":true}");
  EXPECT_EQ(Expand("$(format-json n=int($HOST))"), "");
}

TEST(TemplateTest, MissingBraceReportsColumn) {
  EXPECT_EQ(CompileError("${HOST"),
            "template '${HOST': column 6: missing '}'");
}

TEST(TemplateTest, MissingParenReportsColumn) {
  EXPECT_EQ(CompileError("$(echo a"),
            "template '$(echo a': column 8: missing ')'");
}

TEST(TemplateTest, UnterminatedQuoteReportsWhereItStarts) {
  EXPECT_EQ(CompileError("$(echo \"abc)"),
            "template '$(echo \"abc)': column 8: unterminated quoted string");
}

TEST(TemplateTest, EmptyBracedNameIsAnError) {
  EXPECT_THAT(CompileError("a${}"), HasSubstr("column 4: empty name"));
}

TEST(TemplateTest, BadFunctionArgumentsAreErrors) {
  EXPECT_THAT(CompileError("$(substr \"$HOST\" x)"),
              HasSubstr("start must be an integer"));
  EXPECT_THAT(CompileError("$(if \"a\" b c)"), HasSubstr("$(if) takes"));
  EXPECT_THAT(CompileError("$(if (\"a\" ~ \"b\") b c)"),
              HasSubstr("unknown operator '~'"));
  EXPECT_THAT(CompileError("$(format-json --scope bogus)"),
              HasSubstr("unknown scope 'bogus'"));
  EXPECT_THAT(CompileError("$(format-json --frobnicate)"),
              HasSubstr("unknown option '--frobnicate'"));
}

TEST(TemplateTest, ErrorsInsideArgumentsReportTheirColumn) {
  EXPECT_EQ(CompileError("$(echo ${X)"),
            "template '$(echo ${X)': column 11: missing '}'");
}

}  // namespace
}  // namespace pydest::internal
