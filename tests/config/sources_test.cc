// source statements: which file() and stdin() drivers reach which python()
// destinations through log paths, with their flags and keep-hostname().
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/config.h"

namespace pydest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Config Parse(const std::string& text) {
  ConfigReadOptions hermetic;
  hermetic.syslog_ng_include_path = false;
  absl::StatusOr<Config> config = ParseConfig(text, "t.conf", hermetic);
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *config : Config();
}

const char kTwoDestinations[] = R"(@version: 3.38
destination d1 { python(class("m.A")); };
destination d2 { python(class("m.B")); python(class("m.C")); };
destination d_file { file("/tmp/x"); };
)";

TEST(Sources, RoutesFollowTheLogPaths) {
  Config c = Parse(std::string(kTwoDestinations) + R"(
source s_a { file("/var/a.log" flags(no-parse)); };
source s_b { file("/var/b.log" flags(syslog-protocol) keep-hostname(yes)); stdin(); };
source s_unused { file("/var/u.log"); };
log { source(s_a); destination(d1); };
log { source(s_a); source(s_b); log { destination(d2); }; destination(d_file); };
)");
  ASSERT_EQ(c.sources.size(), 3u);
  EXPECT_EQ(c.sources[0].name, "s_a");
  EXPECT_EQ(c.sources[0].path, "/var/a.log");
  EXPECT_EQ(c.sources[0].format, InputFormat::kNoParse);
  EXPECT_FALSE(c.sources[0].keep_hostname);
  EXPECT_THAT(c.sources[0].destinations, ElementsAre("d1", "d2", "d2#1"));
  EXPECT_EQ(c.sources[1].name, "s_b");
  EXPECT_EQ(c.sources[1].format, InputFormat::kRfc5424);
  EXPECT_TRUE(c.sources[1].keep_hostname);
  EXPECT_EQ(c.sources[2].driver, ConfiguredSource::Driver::kStdin);
  EXPECT_EQ(c.sources[2].format, InputFormat::kRfc3164);
  EXPECT_THAT(c.sources[2].destinations, ElementsAre("d2", "d2#1"));
}

TEST(Sources, GlobalKeepHostnameIsTheDefault) {
  Config c = Parse(std::string(kTwoDestinations) + R"(
options { keep-hostname(yes); };
source s { stdin(); file("/x" keep-hostname(no)); };
log { source(s); destination(d1); };
)");
  ASSERT_EQ(c.sources.size(), 2u);
  EXPECT_TRUE(c.sources[0].keep_hostname);
  EXPECT_FALSE(c.sources[1].keep_hostname);
}

TEST(Sources, InlineSourceIsAnonymous) {
  Config c = Parse(std::string(kTwoDestinations) +
                   "log { source { file(\"/x\"); }; destination(d1); };\n");
  ASSERT_EQ(c.sources.size(), 1u);
  EXPECT_EQ(c.sources[0].name, "#anon-source0");
}

TEST(Sources, OtherDriversAreNotes) {
  Config c = Parse(std::string(kTwoDestinations) +
                   "source s { network(port(514)); system(); };\n"
                   "log { source(s); destination(d1); };\n");
  EXPECT_TRUE(c.sources.empty());
  ASSERT_EQ(c.notes.size(), 2u);
  EXPECT_THAT(c.notes[0], HasSubstr("t.conf:5:12: source s: network() is not "
                                    "read by pydest"));
}

TEST(Sources, SourceBlocksExpandToTheirDrivers) {
  Config c = Parse(std::string(kTwoDestinations) + R"(
block source tail_file(path() ...) { file(`path` flags(no-parse) `__VARARGS__`); };
source s { tail_file(path("/var/t.log") keep-hostname(yes)); };
log { source(s); destination(d1); };
)");
  ASSERT_EQ(c.sources.size(), 1u);
  EXPECT_EQ(c.sources[0].path, "/var/t.log");
  EXPECT_EQ(c.sources[0].format, InputFormat::kNoParse);
  EXPECT_TRUE(c.sources[0].keep_hostname);
}

// Python sources and parsers import, but libpydest runs python()
// destinations only: one that feeds a python() destination is an error
// naming it; elsewhere it is read over.
TEST(Sources, PythonSourceFeedingAPythonDestinationIsAnError) {
  ConfigReadOptions hermetic;
  hermetic.syslog_ng_include_path = false;
  absl::StatusOr<Config> c = ParseConfig(std::string(kTwoDestinations) + R"(
source s_py { python(class("m.Src")); };
log { source(s_py); destination(d1); };
)", "t.conf", hermetic);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()),
              HasSubstr("t.conf:6:15: python(): source s_py is a Python "
                        "source (LogSource/LogFetcher), which libpydest does "
                        "not run (it hosts python() destinations); it feeds "
                        "python() destination 'd1'"));
  // Feeding only other destinations, it is read over.
  Config ok = Parse(std::string(kTwoDestinations) + R"(
source s_py { python-fetcher(class("m.F")); };
log { source(s_py); destination(d_file); };
)");
  EXPECT_TRUE(ok.sources.empty());
}

TEST(Sources, PythonParserBeforeAPythonDestinationIsAnError) {
  ConfigReadOptions hermetic;
  hermetic.syslog_ng_include_path = false;
  absl::StatusOr<Config> named = ParseConfig(std::string(kTwoDestinations) + R"(
parser p_py { python(class("m.P")); };
log { parser(p_py); destination(d2); };
)", "t.conf", hermetic);
  ASSERT_FALSE(named.ok());
  EXPECT_THAT(std::string(named.status().message()),
              HasSubstr("t.conf:6:15: python(): parser p_py is a Python "
                        "parser (LogParser)"));
  absl::StatusOr<Config> inline_parser = ParseConfig(
      std::string(kTwoDestinations) +
          "log { parser { python(class(\"m.P\")); }; destination(d1); };\n",
      "t.conf", hermetic);
  ASSERT_FALSE(inline_parser.ok());
  EXPECT_THAT(std::string(inline_parser.status().message()),
              HasSubstr("parser #anon-parser0 is a Python parser"));
  Parse(std::string(kTwoDestinations) +
        "parser p { python(class(\"m.P\")); csv-parser(columns(a)); };\n"
        "log { parser(p); destination(d_file); };\n");
}

// An unterminated name list in a log path is an error, not an endless read
// (parser( read names until ')' without looking for the end of the file).
TEST(Sources, UnterminatedNameListInALogPathIsAnError) {
  ConfigReadOptions hermetic;
  hermetic.syslog_ng_include_path = false;
  for (const char* keyword : {"parser", "source", "destination"}) {
    absl::StatusOr<Config> c = ParseConfig(
        std::string("log { ") + keyword + "(p1 p2", "t.conf", hermetic);
    ASSERT_FALSE(c.ok()) << keyword;
    EXPECT_THAT(std::string(c.status().message()),
                HasSubstr(std::string("expected a ") + keyword +
                          " name, got end of file"));
  }
}

}  // namespace
}  // namespace pydest
