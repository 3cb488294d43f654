// ParseLine: auto-detection, line preparation (terminators, size limit,
// UTF-8 check), counters, format names, and that no input is lost.
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "pydest/parse.h"
#include "tests/parse/test_options.h"

namespace pydest {
namespace {

using test::TestOptions;

constexpr std::string_view kBsd =
    "<34>Oct 11 22:14:15 mymachine su[1234]: 'su root' failed";
constexpr std::string_view kSyslog =
    "<13>1 2024-01-02T03:04:05Z h app 1 - [x@1 a=\"b\"] text";
constexpr std::string_view kJson = R"({"message":"hi","n":1})";

TEST(ParseLineTest, AutoDetectsEachFormat) {
  EXPECT_EQ(DetectInputFormat(kBsd), InputFormat::kRfc3164);
  EXPECT_EQ(DetectInputFormat(kSyslog), InputFormat::kRfc5424);
  EXPECT_EQ(DetectInputFormat(kJson), InputFormat::kJson);
  EXPECT_EQ(DetectInputFormat("  {\"a\":1}"), InputFormat::kJson);
  EXPECT_EQ(DetectInputFormat("plain text"), InputFormat::kRfc3164);
  EXPECT_EQ(DetectInputFormat("<13>1x"), InputFormat::kRfc3164);
  EXPECT_EQ(DetectInputFormat(""), InputFormat::kRfc3164);
}

TEST(ParseLineTest, AutoUsesTheDetectedReader) {
  ParseOptions o = TestOptions();
  EXPECT_EQ(ParseLine(kBsd, InputFormat::kAuto, o).program(), "su");
  Message s = ParseLine(kSyslog, InputFormat::kAuto, o);
  EXPECT_EQ(s.text(), "text");
  EXPECT_EQ(s.sd_element_count(), 1u);
  Message j = ParseLine(kJson, InputFormat::kAuto, o);
  EXPECT_EQ(j.text(), "hi");
  EXPECT_EQ(j.Get("n").value_or(""), "1");
}

TEST(ParseLineTest, ExplicitFormatIsNotSecondGuessed) {
  Message m = ParseLine(kJson, InputFormat::kRfc3164, TestOptions());
  EXPECT_EQ(m.text(), "\"hi\",\"n\":1}");  // the word before ':' is PROGRAM
  EXPECT_FALSE(m.flags() & kMessageParseError);
  Message e = ParseLine(kBsd, InputFormat::kJson, TestOptions());
  EXPECT_TRUE(e.flags() & kMessageParseError);
}

TEST(ParseLineTest, TrailingCarriageReturnIsStripped) {
  Message m = ParseLine(std::string(kBsd) + "\r", InputFormat::kAuto,
                        TestOptions());
  EXPECT_EQ(m.text(), "'su root' failed");
  Message crlf = ParseLine(std::string(kBsd) + "\r\n", InputFormat::kAuto,
                           TestOptions());
  EXPECT_EQ(crlf.text(), "'su root' failed");
}

TEST(ParseLineTest, TrailingNulBytesAreStripped) {
  std::string line = std::string(kBsd) + std::string("\0\0", 2);
  Message m = ParseLine(line, InputFormat::kAuto, TestOptions());
  EXPECT_EQ(m.text(), "'su root' failed");
}

TEST(ParseLineTest, LongLineIsTruncatedAndFlagged) {
  ParseOptions o = TestOptions();
  o.max_line_size = 10;
  Message m = ParseLine("prog: 0123456789abcdef", InputFormat::kRfc3164, o);
  EXPECT_EQ(m.text(), "0123");
  EXPECT_TRUE(m.flags() & kMessageTruncated);
  EXPECT_FALSE(m.flags() & kMessageParseError);
}

TEST(ParseLineTest, LineOfExactlyMaxSizeIsNotTruncated) {
  ParseOptions o = TestOptions();
  o.max_line_size = 10;
  Message m = ParseLine("prog: 0123", InputFormat::kRfc3164, o);
  EXPECT_EQ(m.text(), "0123");
  EXPECT_EQ(m.flags(), 0u);
}

TEST(ParseLineTest, OversizedLineAtDefaultLimitKeepsTheFirst64KiB) {
  std::string line = "prog: " + std::string(100000, 'x');
  Message m = ParseLine(line, InputFormat::kAuto, TestOptions());
  EXPECT_EQ(m.text().size(), 65536u - 6u);
  EXPECT_TRUE(m.flags() & kMessageTruncated);
}

TEST(ParseLineTest, ZeroMaxLineSizeMeansNoLimit) {
  ParseOptions o = TestOptions();
  o.max_line_size = 0;
  std::string line = "prog: " + std::string(100000, 'x');
  Message m = ParseLine(line, InputFormat::kAuto, o);
  EXPECT_EQ(m.text().size(), 100000u);
  EXPECT_EQ(m.flags(), 0u);
}

TEST(ParseLineTest, TruncatedJsonIsParseErrorKeepingWhatWasRead) {
  ParseOptions o = TestOptions();
  o.max_line_size = 8;
  Message m = ParseLine(kJson, InputFormat::kAuto, o);
  EXPECT_TRUE(m.flags() & kMessageParseError);
  EXPECT_TRUE(m.flags() & kMessageTruncated);
  EXPECT_EQ(m.text(), kJson.substr(0, 8));
}

TEST(ParseLineTest, InvalidUtf8IsKeptAsBytesAndFlagged) {
  for (std::string_view bad :
       {std::string_view("\xff"), std::string_view("\xc3"),
        std::string_view("\xc0\x80"),          // overlong NUL
        std::string_view("\xed\xa0\x80"),      // surrogate
        std::string_view("\xf4\x90\x80\x80")}) {  // past U+10FFFF
    std::string line = "prog: a" + std::string(bad) + "b";
    Message m = ParseLine(line, InputFormat::kAuto, TestOptions());
    EXPECT_TRUE(m.flags() & kMessageInvalidUtf8);
    EXPECT_EQ(m.text(), "a" + std::string(bad) + "b");
  }
}

// The check skips ASCII eight bytes at a time: a bad byte at any offset
// of a long ASCII run, and valid multi-byte text after one, are still seen.
TEST(ParseLineTest, Utf8IsCheckedAtEveryOffsetOfLongAsciiText) {
  for (size_t at = 0; at < 24; ++at) {
    std::string text(24, 'a');
    text[at] = '\xff';
    Message m = ParseLine("prog: " + text, InputFormat::kAuto, TestOptions());
    EXPECT_TRUE(m.flags() & kMessageInvalidUtf8) << "bad byte at " << at;
    std::string good = std::string(at, 'a') + "\xc3\xa9" + std::string(9, 'b');
    m = ParseLine("prog: " + good, InputFormat::kAuto, TestOptions());
    EXPECT_FALSE(m.flags() & kMessageInvalidUtf8) << "e-acute at " << at;
    // A sequence cut off by the end of the line, after the ASCII run.
    m = ParseLine("prog: " + std::string(at, 'a') + "\xe2\x82",
                  InputFormat::kAuto, TestOptions());
    EXPECT_TRUE(m.flags() & kMessageInvalidUtf8) << "cut at " << at;
  }
}

TEST(ParseLineTest, NulBytesAreKept) {
  std::string line("prog: a\0b", 9);
  Message m = ParseLine(line, InputFormat::kAuto, TestOptions());
  EXPECT_EQ(m.text(), std::string_view("a\0b", 3));
}

TEST(ParseLineTest, StatsCountEveryLineByFlag) {
  ParseOptions o = TestOptions();
  o.max_line_size = 100;
  ParseStats stats;
  ParseLine(kBsd, InputFormat::kAuto, o, &stats);
  ParseLine("{broken", InputFormat::kAuto, o, &stats);
  ParseLine("prog: \xff", InputFormat::kAuto, o, &stats);
  ParseLine(std::string(200, 'x'), InputFormat::kAuto, o, &stats);
  ParseLine(kJson, InputFormat::kAuto, o, nullptr);  // not counted
  EXPECT_EQ(stats.parsed, 4u);
  EXPECT_EQ(stats.parse_errors, 1u);
  EXPECT_EQ(stats.invalid_utf8, 1u);
  EXPECT_EQ(stats.truncated, 1u);
}

TEST(ParseLineTest, FormatNamesAreRecognised) {
  InputFormat f = InputFormat::kJson;
  EXPECT_TRUE(ParseInputFormatName("auto", &f));
  EXPECT_EQ(f, InputFormat::kAuto);
  EXPECT_TRUE(ParseInputFormatName("rfc3164", &f));
  EXPECT_EQ(f, InputFormat::kRfc3164);
  EXPECT_TRUE(ParseInputFormatName("bsd", &f));
  EXPECT_EQ(f, InputFormat::kRfc3164);
  EXPECT_TRUE(ParseInputFormatName("rfc5424", &f));
  EXPECT_EQ(f, InputFormat::kRfc5424);
  EXPECT_TRUE(ParseInputFormatName("syslog", &f));
  EXPECT_EQ(f, InputFormat::kRfc5424);
  EXPECT_TRUE(ParseInputFormatName("json", &f));
  EXPECT_EQ(f, InputFormat::kJson);
}

TEST(ParseLineTest, UnknownFormatNameIsRejected) {
  InputFormat f = InputFormat::kJson;
  EXPECT_FALSE(ParseInputFormatName("xml", &f));
  EXPECT_FALSE(ParseInputFormatName("JSON", &f));
  EXPECT_FALSE(ParseInputFormatName("", &f));
  EXPECT_EQ(f, InputFormat::kJson);
}

TEST(ParseLineTest, ReceiveTimeDefaultsToNow) {
  ParseOptions o = TestOptions();
  o.received.reset();
  absl::Time before = absl::Now();
  Message m = ParseLine("plain", InputFormat::kAuto, o);
  absl::Time after = absl::Now();
  EXPECT_GE(m.received().ToTime(), before - absl::Microseconds(1));
  EXPECT_LE(m.received().ToTime(), after);
}

TEST(ParseLineTest, HostFromDefaultsToThisMachinesShortName) {
  ParseOptions o = TestOptions();
  o.host_from.clear();
  Message m = ParseLine("plain", InputFormat::kAuto, o);
  std::string_view host_from = m.Get(kHostFrom).value_or("");
  EXPECT_FALSE(host_from.empty());
  EXPECT_EQ(host_from.find('.'), std::string_view::npos);
  EXPECT_EQ(m.host(), host_from);
}

// Robustness: every prefix of well-formed lines, in every format, gives a
// message that still holds the text (nothing crashes, nothing is lost).
TEST(ParseLineTest, EveryPrefixOfValidLinesParsesWithoutLoss) {
  const std::vector<std::string_view> lines = {
      kBsd, kSyslog, kJson,
      R"(<165>1 2003-10-11T22:14:15.003Z host app 12 ID [a b="c\"d\]e"][f] x)",
      "<13>2024-01-02T03:04:05.123+02:00 h p[1]: y",
      R"({"a":{"b":[1,"x y",{"c":null}]},"time":1.5,"level":"warn"})"};
  for (std::string_view line : lines) {
    for (size_t n = 0; n <= line.size(); ++n) {
      std::string_view prefix = line.substr(0, n);
      for (InputFormat f : {InputFormat::kAuto, InputFormat::kRfc3164,
                            InputFormat::kRfc5424, InputFormat::kJson}) {
        Message m = ParseLine(prefix, f, TestOptions());
        ASSERT_TRUE(m.Get(kMessage).has_value()) << prefix;
        ASSERT_TRUE(m.Get(kHost).has_value()) << prefix;
        if (m.flags() & kMessageParseError) {
          EXPECT_EQ(m.text(), prefix);
        }
      }
    }
  }
}

// Robustness: lines of random bytes drawn mostly from the characters the
// grammars care about. Fixed seed: the same lines on every run.
TEST(ParseLineTest, RandomLinesNeverFailAndKeepTheirText) {
  constexpr std::string_view kAlphabet =
      "<>[]{}\"\\:=-. 0123456789TZ+-@,'abcOctJan\xff\xc3\xa9\r\n\t";
  std::mt19937 rng(20261124);
  std::uniform_int_distribution<size_t> pick(0, kAlphabet.size() - 1);
  std::uniform_int_distribution<int> length(0, 80);
  std::uniform_int_distribution<int> any_byte(0, 255);
  const std::vector<std::string_view> seeds = {"", "<13>", "<13>1 ", "{\"a\":",
                                               "<13>Oct 11 22:14:15 "};
  ParseStats stats;
  for (int n = 0; n < 3000; ++n) {
    std::string line(seeds[n % seeds.size()]);
    int len = length(rng);
    for (int i = 0; i < len; ++i) {
      line.push_back(i % 7 == 6 ? static_cast<char>(any_byte(rng))
                                : kAlphabet[pick(rng)]);
    }
    for (InputFormat f : {InputFormat::kAuto, InputFormat::kRfc3164,
                          InputFormat::kRfc5424, InputFormat::kJson}) {
      Message m = ParseLine(line, f, TestOptions(), &stats);
      ASSERT_TRUE(m.Get(kMessage).has_value()) << line;
      ASSERT_TRUE(m.Get(kHost).has_value()) << line;
      if (m.flags() & kMessageParseError) {
        std::string_view kept = line;
        while (!kept.empty() && (kept.back() == '\n' || kept.back() == '\0')) {
          kept.remove_suffix(1);
        }
        if (!kept.empty() && kept.back() == '\r') kept.remove_suffix(1);
        ASSERT_EQ(m.text(), kept);
      }
    }
  }
  EXPECT_EQ(stats.parsed, 12000u);
}

// syslog-ng's flags(no-parse): the whole line, no parse error.
TEST(ParseLineTest, NoParseKeepsTheWholeLineAsMessage) {
  const char kLine[] = "<13>Dec  2 05:00:00 web01 app[1]: hello";
  Message m = ParseLine(kLine, InputFormat::kNoParse, TestOptions());
  EXPECT_EQ(m.text(), kLine);
  EXPECT_EQ(m.Get(kHost), "testhost");
  EXPECT_EQ(m.Get(kProgram), std::nullopt);
  EXPECT_EQ(m.flags() & kMessageParseError, 0u);
  InputFormat f = InputFormat::kAuto;
  EXPECT_TRUE(ParseInputFormatName("no-parse", &f));
  EXPECT_EQ(f, InputFormat::kNoParse);
}

// keep-hostname(no): the receiving host replaces the line's HOST in every
// format.
TEST(ParseLineTest, KeepHostnameNoSetsTheReceivingHost) {
  ParseOptions o = TestOptions();
  o.keep_hostname = false;
  EXPECT_EQ(ParseLine("<13>Dec  2 05:00:00 web01 app: x", InputFormat::kRfc3164,
                      o).Get(kHost), "testhost");
  EXPECT_EQ(ParseLine("<13>1 2026-12-02T05:00:00Z web02 app 1 - - x",
                      InputFormat::kRfc5424, o).Get(kHost), "testhost");
  EXPECT_EQ(ParseLine("{\"host\":\"web03\",\"msg\":\"x\"}", InputFormat::kJson,
                      o).Get(kHost), "testhost");
  o.keep_hostname = true;
  EXPECT_EQ(ParseLine("<13>Dec  2 05:00:00 web01 app: x", InputFormat::kRfc3164,
                      o).Get(kHost), "web01");
}

}  // namespace
}  // namespace pydest
