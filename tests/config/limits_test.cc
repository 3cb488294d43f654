// Hostile configurations: everything that nests or expands stops at its
// limit (pydest/limits.h) with an error naming the place, never a crash, a
// hang or unbounded memory.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/config.h"
#include "pydest/limits.h"

namespace pydest {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<Config> config = ParseConfig(text, "t.conf");
  EXPECT_FALSE(config.ok());
  return std::string(config.status().message());
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * n);
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

const char kDestination[] =
    "destination d { python(class(\"m.C\")); };\n";

// A scratch directory, removed afterwards.
class ScratchDir {
 public:
  ScratchDir()
      : path_(fs::temp_directory_path() /
              ("pydest_limits_test_" + std::to_string(::getpid()))) {
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) const {
    std::string p = (path_ / name).string();
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  std::string Path(const std::string& name) const {
    return (path_ / name).string();
  }

 private:
  fs::path path_;
};

TEST(ConfigLimits, DeeplyNestedLogBlocksAreAnErrorAtTheBlockPastTheLimit) {
  // The 42 KB configuration that used to overflow the stack.
  const int n = 10000;
  std::string text = std::string(kDestination) + "log " +
                     Repeat("{ ", n) + "destination(d);" + Repeat("} ", n) +
                     ";\n";
  std::string error = ErrorOf(text);
  // Block 257 opens at column 5 + 2 * 256 on line 2.
  EXPECT_THAT(error, HasSubstr("t.conf:2:517: '{' nested more than 256 deep"));
}

TEST(ConfigLimits, NestedIfBlocksStopAtTheSameLimit) {
  const int n = 5000;
  std::string text = std::string(kDestination) + "log {" +
                     Repeat(" if { ", n) + "destination(d);" +
                     Repeat("}; ", n) + "};\n";
  EXPECT_THAT(ErrorOf(text), HasSubstr("nested more than 256 deep"));
}

TEST(ConfigLimits, NestingWithinTheLimitParses) {
  const int n = kMaxConfigNesting - 1;  // inside log { }
  std::string text = std::string(kDestination) + "log {" + Repeat("{", n) +
                     "destination(d);" + Repeat("}", n) + "};\n";
  absl::StatusOr<Config> config = ParseConfig(text, "t.conf");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->destinations.size(), 1u);
}

TEST(ConfigLimits, DeeplyNestedBracketsInASkippedStatementAreAnError) {
  std::string text = "filter f { match(" + Repeat("(", 100000) + ");\n";
  EXPECT_THAT(ErrorOf(text), HasSubstr("t.conf:1:"));
  EXPECT_THAT(ErrorOf(text), HasSubstr("nested more than 256 deep"));
}

TEST(ConfigLimits, DefineBombStopsAtTheExpansionLimit) {
  // Each define is the last one ten times over: 10^9 bytes by the tenth.
  std::string text = "@define a0 \"xxxxxxxxxxxxxxxx\"\n";
  for (int i = 1; i <= 10; ++i) {
    text += "@define a" + std::to_string(i) + " \"" +
            Repeat("`a" + std::to_string(i - 1) + "`", 10) + "\"\n";
  }
  text += "destination d { python(class(\"`a10`\")); };\n";
  std::string error = ErrorOf(text);
  EXPECT_THAT(error, HasSubstr("t.conf:"));
  EXPECT_THAT(error, HasSubstr("takes the configuration past 16777216 "
                               "substituted bytes"));
}

TEST(ConfigLimits, ModestDefinesStillExpand) {
  std::string text =
      "@define mod \"m\"\n@define cls \"`mod`.C\"\n"
      "destination d { python(class(\"`cls`\")); };\n"
      "log { destination(d); };\n";
  absl::StatusOr<Config> config = ParseConfig(text, "t.conf");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->destinations.at(0).options.class_name, "m.C");
}

TEST(ConfigLimits, IncludeOfADeviceIsAnErrorAtTheInclude) {
  std::string error = ErrorOf("\n  @include \"/dev/zero\"\n");
  EXPECT_THAT(error, HasSubstr("t.conf:2:3: cannot read '/dev/zero': not a "
                               "regular file"));
}

TEST(ConfigLimits, ConfigFileThatIsADeviceIsRefused) {
  absl::StatusOr<Config> config = ParseConfigFile("/dev/zero");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(),
              HasSubstr("'/dev/zero': not a regular file"));
}

TEST(ConfigLimits, IncludeOfAFifoIsRefusedWithoutBlocking) {
  ScratchDir dir;
  std::string fifo = dir.Path("pipe.conf");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string error = ErrorOf("@include \"" + fifo + "\"\n");
  EXPECT_THAT(error, HasSubstr("not a regular file"));
}

TEST(ConfigLimits, OversizedIncludedFileIsAnErrorNamingTheLimit) {
  ScratchDir dir;
  std::string big = dir.Write(
      "big.conf", std::string(kMaxConfigFileBytes + 1, '#'));
  std::string error = ErrorOf("@include \"" + big + "\"\n");
  EXPECT_THAT(error, HasSubstr("t.conf:1:1: '" + big + "' is 16777217 bytes"));
  EXPECT_THAT(error, HasSubstr("past the limit of 16777216 bytes"));
}

TEST(ConfigLimits, OversizedConfigurationTextIsAnError) {
  std::string error = ErrorOf(std::string(kMaxConfigFileBytes + 1, ' '));
  EXPECT_THAT(error, HasSubstr("'t.conf' is 16777217 bytes"));
}

TEST(ConfigLimits, IncludeLoopStopsAtTheIncludeDepth) {
  ScratchDir dir;
  std::string self = dir.Path("self.conf");
  dir.Write("self.conf", "@include \"" + self + "\"\n");
  absl::StatusOr<Config> config = ParseConfigFile(self);
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(),
              HasSubstr("self.conf:1:1: @include nested more than 16 deep"));
}

TEST(ConfigLimits, JsonOptionsNestedTooDeepAreAnError) {
  std::string json = "{\"class\": \"m.C\", \"options\": {\"x\": " +
                     Repeat("[", 100000) + Repeat("]", 100000) + "}}";
  absl::StatusOr<DestinationOptions> options =
      DestinationOptionsFromJson(json);
  ASSERT_FALSE(options.ok());
  EXPECT_THAT(options.status().message(),
              HasSubstr("config JSON: nested more than 128 deep"));
}

}  // namespace
}  // namespace pydest
