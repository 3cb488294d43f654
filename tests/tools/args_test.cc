#include "tools/pydest/args.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pydest::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::StatusOr<CommandLine> Parse(std::vector<std::string> args) {
  std::vector<const char*> argv = {"pydest"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  return ParseCommandLine(static_cast<int>(argv.size()), argv.data());
}

TEST(ArgsTest, ConfigFileIsRequired) {
  auto cl = Parse({"in.log"});
  ASSERT_FALSE(cl.ok());
  EXPECT_THAT(std::string(cl.status().message()), HasSubstr("-f"));
}

TEST(ArgsTest, DefaultsReadStdinInAutoFormatWithThirtySecondDeadline) {
  auto cl = Parse({"-f", "s.conf"});
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_EQ(cl->config_file, "s.conf");
  EXPECT_TRUE(cl->inputs.empty());
  EXPECT_EQ(cl->format, InputFormat::kAuto);
  EXPECT_EQ(cl->deadline, absl::Seconds(30));
  EXPECT_FALSE(cl->check);
  EXPECT_TRUE(cl->stats_json_file.empty());
}

TEST(ArgsTest, SyslogNgSpellingsOfTheConfigFileAreAccepted) {
  EXPECT_EQ(Parse({"-fs.conf"})->config_file, "s.conf");
  EXPECT_EQ(Parse({"--cfgfile", "s.conf"})->config_file, "s.conf");
  EXPECT_EQ(Parse({"--cfgfile=s.conf"})->config_file, "s.conf");
  EXPECT_EQ(Parse({"--config=s.conf"})->config_file, "s.conf");
}

TEST(ArgsTest, EveryOptionIsParsed) {
  auto cl = Parse({"-f", "s.conf", "--destination", "d1", "--destination=d2",
                   "--format", "json", "--python-path", "a", "--python-path=b",
                   "--stats-json", "out.json", "--check", "--deadline",
                   "2.5", "x.log", "-", "y.log"});
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_THAT(cl->destinations, ElementsAre("d1", "d2"));
  EXPECT_EQ(cl->format, InputFormat::kJson);
  EXPECT_EQ(cl->format_name, "json");
  EXPECT_THAT(cl->python_path, ElementsAre("a", "b"));
  EXPECT_EQ(cl->stats_json_file, "out.json");
  EXPECT_TRUE(cl->check);
  EXPECT_EQ(cl->deadline, absl::Milliseconds(2500));
  EXPECT_THAT(cl->inputs, ElementsAre("x.log", "-", "y.log"));
}

TEST(ArgsTest, SyntaxOnlyIsNotCheck) {
  for (const char* flag : {"-s", "--syntax-only"}) {
    auto cl = Parse({"-f", "s.conf", flag});
    ASSERT_TRUE(cl.ok()) << cl.status();
    EXPECT_TRUE(cl->syntax_only) << flag;
    EXPECT_FALSE(cl->check) << flag;
  }
}

TEST(ArgsTest, PreprocessIntoTakesAFileAndGoesWithSyntaxOnly) {
  // syslog-ng's own spelling, with "=" as syslog-ng's manual writes it.
  auto cl = Parse({"-f", "s.conf", "-s", "--preprocess-into=out.conf"});
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_EQ(cl->preprocess_into, "out.conf");
  EXPECT_TRUE(cl->syntax_only);
  EXPECT_TRUE(Parse({"-f", "s.conf"})->preprocess_into.empty());
  cl = Parse({"-f", "s.conf", "--preprocess-into="});
  ASSERT_FALSE(cl.ok());
  EXPECT_THAT(std::string(cl.status().message()), HasSubstr("empty file"));
  cl = Parse({"-f", "s.conf", "--preproces-into", "x"});
  ASSERT_FALSE(cl.ok());
  EXPECT_THAT(std::string(cl.status().message()),
              HasSubstr("did you mean '--preprocess-into'?"));
}

TEST(ArgsTest, AMistypedLongOptionGetsADidYouMean) {
  auto cl = Parse({"-f", "s.conf", "--stats-jsn", "x"});
  ASSERT_FALSE(cl.ok());
  EXPECT_EQ(cl.status().message(),
            "unknown option '--stats-jsn'; did you mean '--stats-json'?");
  cl = Parse({"-f", "s.conf", "--dedline=3"});
  ASSERT_FALSE(cl.ok());
  EXPECT_EQ(cl.status().message(),
            "unknown option '--dedline=3'; did you mean '--deadline'?");
  cl = Parse({"-f", "s.conf", "--zzzzzzzz"});
  ASSERT_FALSE(cl.ok());
  EXPECT_EQ(cl.status().message(), "unknown option '--zzzzzzzz'");
}

TEST(ArgsTest, EachFormatNameIsAccepted) {
  for (const char* name : {"auto", "rfc3164", "rfc5424", "json"}) {
    auto cl = Parse({"-f", "s.conf", "--format", name});
    ASSERT_TRUE(cl.ok()) << name << ": " << cl.status();
    EXPECT_EQ(cl->format_name, name);
  }
}

TEST(ArgsTest, UnknownFormatIsAnErrorNamingTheChoices) {
  auto cl = Parse({"-f", "s.conf", "--format", "xml"});
  ASSERT_FALSE(cl.ok());
  EXPECT_THAT(std::string(cl.status().message()),
              HasSubstr("auto, rfc3164, rfc5424, json or no-parse"));
}

TEST(ArgsTest, UnknownOptionIsAnError) {
  auto cl = Parse({"-f", "s.conf", "--frobnicate"});
  ASSERT_FALSE(cl.ok());
  EXPECT_THAT(std::string(cl.status().message()), HasSubstr("--frobnicate"));
}

TEST(ArgsTest, OptionWithoutItsValueIsAnError) {
  auto cl = Parse({"-f", "s.conf", "--deadline"});
  ASSERT_FALSE(cl.ok());
  EXPECT_THAT(std::string(cl.status().message()), HasSubstr("needs a value"));
}

TEST(ArgsTest, NegativeOrNonNumericDeadlineIsAnError) {
  EXPECT_FALSE(Parse({"-f", "s.conf", "--deadline", "-1"}).ok());
  EXPECT_FALSE(Parse({"-f", "s.conf", "--deadline", "soon"}).ok());
  EXPECT_FALSE(Parse({"-f", "s.conf", "--deadline", "1s"}).ok());
  EXPECT_TRUE(Parse({"-f", "s.conf", "--deadline", "0"}).ok());
}

TEST(ArgsTest, DoubleDashEndsOptions) {
  auto cl = Parse({"-f", "s.conf", "--", "--check"});
  ASSERT_TRUE(cl.ok());
  EXPECT_FALSE(cl->check);
  EXPECT_THAT(cl->inputs, ElementsAre("--check"));
}

TEST(ArgsTest, LogLevelIsWarningUnlessVerboseDebugOrTraceIsAsked) {
  EXPECT_EQ(Parse({"-f", "s.conf"})->log_level, LogRecord::Level::kWarning);
  EXPECT_EQ(Parse({"-f", "s.conf", "-v"})->log_level, LogRecord::Level::kInfo);
  EXPECT_EQ(Parse({"-f", "s.conf", "--verbose", "--debug"})->log_level,
            LogRecord::Level::kDebug);
  EXPECT_EQ(Parse({"-f", "s.conf", "--debug", "-v"})->log_level,
            LogRecord::Level::kDebug);
  EXPECT_EQ(Parse({"-f", "s.conf", "--debug"})->log_level,
            LogRecord::Level::kDebug);
  EXPECT_EQ(Parse({"-f", "s.conf", "-t", "--debug"})->log_level,
            LogRecord::Level::kTrace);
  // -d stays --destination.
  EXPECT_THAT(Parse({"-f", "s.conf", "-d", "x"})->destinations,
              ElementsAre("x"));
}

TEST(ArgsTest, HelpNeedsNoConfigFile) {
  auto cl = Parse({"--help"});
  ASSERT_TRUE(cl.ok());
  EXPECT_TRUE(cl->help);
}

TEST(ArgsTest, UsageListsEveryExitStatus) {
  std::string usage = Usage();
  for (const char* s : {"  0  ", "  1  ", "  2  ", "  3  "}) {
    EXPECT_THAT(usage, HasSubstr(s));
  }
}

}  // namespace
}  // namespace pydest::cli
