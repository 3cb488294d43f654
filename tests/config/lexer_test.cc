#include "libpydest/config/lexer.h"

#include <vector>

#include "gtest/gtest.h"

namespace pydest {
namespace config_internal {
namespace {

std::vector<Token> LexAll(const std::string& text) {
  Lexer lexer(text, "t.conf");
  std::vector<Token> out;
  while (true) {
    absl::StatusOr<Token> token = lexer.Next();
    EXPECT_TRUE(token.ok()) << token.status();
    if (!token.ok() || token->kind == TokenKind::kEnd) return out;
    out.push_back(*token);
  }
}

TEST(LexerTest, WordsKeepDashesDotsAndDollars) {
  std::vector<Token> t = LexAll("value-pairs log_fifo_size 127.0.0.1 $PID");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].text, "value-pairs");
  EXPECT_EQ(t[1].text, "log_fifo_size");
  EXPECT_EQ(t[2].kind, TokenKind::kWord);
  EXPECT_EQ(t[2].text, "127.0.0.1");
  EXPECT_EQ(t[3].text, "$PID");
}

TEST(LexerTest, NumbersFloatsAndSuffixes) {
  std::vector<Token> t = LexAll("42 -5 1.5 0x1f 017 10k 5s");
  ASSERT_EQ(t.size(), 7u);
  EXPECT_EQ(t[0].kind, TokenKind::kNumber);
  EXPECT_EQ(t[1].kind, TokenKind::kNumber);
  EXPECT_EQ(t[2].kind, TokenKind::kFloat);
  EXPECT_EQ(t[3].kind, TokenKind::kNumber);
  EXPECT_EQ(t[4].kind, TokenKind::kNumber);
  EXPECT_EQ(t[5].kind, TokenKind::kNumber);
  EXPECT_EQ(t[6].kind, TokenKind::kWord);
}

TEST(LexerTest, DoubleQuotedEscapes) {
  std::vector<Token> t = LexAll(R"("a\nb\tc\"d\\e\x41\o101\$")");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].kind, TokenKind::kString);
  EXPECT_EQ(t[0].text, "a\nb\tc\"d\\eAA$");
}

TEST(LexerTest, SingleQuotedIsRaw) {
  std::vector<Token> t = LexAll(R"('C:\new\t')");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].text, R"(C:\new\t)");
}

TEST(LexerTest, BackslashNewlineContinuesAString) {
  std::vector<Token> t = LexAll("\"abc\\\ndef\"");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].text, "abcdef");
}

TEST(LexerTest, AdjacentStringsWithoutSpaceAreOne) {
  std::vector<Token> t = LexAll(R"("ab"'cd' "ef")");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].text, "abcd");
  EXPECT_EQ(t[1].text, "ef");
}

TEST(LexerTest, CommentsAndCommasAreSkipped) {
  std::vector<Token> t = LexAll("a, b # c ( \"\n d");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[2].text, "d");
}

TEST(LexerTest, PunctuationAndArrow) {
  std::vector<Token> t = LexAll("k => v; { } ( ) [ ] : @");
  std::vector<TokenKind> kinds;
  for (const Token& token : t) kinds.push_back(token.kind);
  EXPECT_EQ(kinds, (std::vector<TokenKind>{
                       TokenKind::kWord, TokenKind::kArrow, TokenKind::kWord,
                       TokenKind::kSemicolon, TokenKind::kLBrace,
                       TokenKind::kRBrace, TokenKind::kLParen,
                       TokenKind::kRParen, TokenKind::kLBracket,
                       TokenKind::kRBracket, TokenKind::kColon,
                       TokenKind::kAt}));
}

TEST(LexerTest, PositionsAreLineAndColumn) {
  std::vector<Token> t = LexAll("a\n  bb \"x\ny\" c");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[1].pos.line, 2);
  EXPECT_EQ(t[1].pos.column, 3);
  EXPECT_EQ(t[2].pos.line, 2);
  EXPECT_EQ(t[2].pos.column, 6);
  EXPECT_EQ(t[3].pos.line, 3);
  EXPECT_EQ(t[3].pos.column, 4);
}

TEST(LexerTest, UnterminatedStringIsReportedAtItsStart) {
  Lexer lexer("a(\n  \"abc)", "u.conf");
  ASSERT_TRUE(lexer.Next().ok());
  ASSERT_TRUE(lexer.Next().ok());
  absl::StatusOr<Token> token = lexer.Next();
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().message(),
            "u.conf:2:3: unterminated string (missing '\"')");
}

TEST(LexerTest, RawBlockEndsAtTheBalancingBrace) {
  Lexer lexer("{ d = {'a': '}'}  # }\ns = \"}\"\n}; rest", "p.conf");
  absl::StatusOr<Token> open = lexer.Next();
  ASSERT_TRUE(open.ok());
  absl::StatusOr<std::string> code = lexer.ReadRawBlock(open->pos);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, " d = {'a': '}'}  # }\ns = \"}\"\n");
  EXPECT_EQ(lexer.Next()->kind, TokenKind::kSemicolon);
}

TEST(LexerTest, RawBlockHandlesTripleQuotedStrings) {
  Lexer lexer("{\n\"\"\"it's } here\"\"\"\n'''a \" }'''\n}", "p.conf");
  absl::StatusOr<Token> open = lexer.Next();
  absl::StatusOr<std::string> code = lexer.ReadRawBlock(open->pos);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, "\n\"\"\"it's } here\"\"\"\n'''a \" }'''\n");
}

TEST(LexerTest, RawBlockWithoutClosingBraceIsAnError) {
  Lexer lexer("\n  {\ndef f():\n  return {", "p.conf");
  absl::StatusOr<Token> open = lexer.Next();
  absl::StatusOr<std::string> code = lexer.ReadRawBlock(open->pos);
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.status().message(),
            "p.conf:2:3: unterminated block: missing '}' to close this '{'");
}

}  // namespace
}  // namespace config_internal
}  // namespace pydest
