// ParseConfig / ParseConfigFile: whole-file behaviour (version, python {}
// blocks, includes, log paths, naming), on small inline configurations.
#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/config.h"

namespace pydest {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Config Parse(const std::string& text) {
  absl::StatusOr<Config> config = ParseConfig(text, "t.conf");
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *config : Config();
}

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<Config> config = ParseConfig(text, "t.conf");
  EXPECT_FALSE(config.ok());
  return std::string(config.status().message());
}

// A scratch directory for include tests, removed afterwards.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("pydest_config_test_" + std::to_string(::getpid()) + "_" +
             std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) {
    fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(ConfigFileTest, NoVersionMeansFourZero) {
  Config c = Parse("destination d { python(class(m.C)); };");
  EXPECT_EQ(c.version.major, 4);
  EXPECT_EQ(c.version.minor, 0);
  EXPECT_EQ(c.destinations.at(0).options.version.minor, 0);
}

TEST(ConfigFileTest, VersionAppliesToEveryDestination) {
  Config c = Parse(
      "@version: 3.38\n"
      "destination a { python(class(m.A)); };\n"
      "destination b { python(class(m.B)); };\n");
  ASSERT_EQ(c.destinations.size(), 2u);
  for (const ConfiguredDestination& d : c.destinations) {
    EXPECT_EQ(d.options.version.major, 3);
    EXPECT_EQ(d.options.version.minor, 38);
  }
  EXPECT_EQ(Parse("@version: 4\n").version.major, 4);
  EXPECT_EQ(Parse("@version: current\n").version.major, 4);
}

TEST(ConfigFileTest, DestinationRecordsNameFileAndLine) {
  Config c = Parse("\n\ndestination d_x {\n  python(class(m.C));\n};\n");
  ASSERT_EQ(c.destinations.size(), 1u);
  EXPECT_EQ(c.destinations[0].name, "d_x");
  EXPECT_EQ(c.destinations[0].options.name, "d_x");
  EXPECT_EQ(c.destinations[0].file, "t.conf");
  EXPECT_EQ(c.destinations[0].line, 4);
}

TEST(ConfigFileTest, OnlyPythonDriversAreReported) {
  Config c = Parse(
      "destination d { file(\"/x\"); python(class(m.C)); "
      "network(\"h\" port(1)); };\n"
      "destination f { file(\"/y\" template(\"$MSG\\n\")); };\n"
      "log { destination(f); };");
  ASSERT_EQ(c.destinations.size(), 1u);
  EXPECT_TRUE(c.used_in_log_paths.empty());
}

TEST(ConfigFileTest, SecondPythonDriverInOneDestinationGetsASuffix) {
  Config c = Parse(
      "destination d { python(class(m.A)); python(class(m.B)); };\n"
      "log { destination(d); };");
  ASSERT_EQ(c.destinations.size(), 2u);
  EXPECT_EQ(c.destinations[1].name, "d#1");
  EXPECT_THAT(c.used_in_log_paths, ElementsAre("d", "d#1"));
}

TEST(ConfigFileTest, PythonBlocksConcatenateAndNameTheFirstBlock) {
  Config c = Parse(
      "@version: 4.2\n"
      "python {\nx = 1\n};\n"
      "python {\ny = {'a': '}'}\n};\n"
      "destination d { python(class(C)); };\n");
  EXPECT_EQ(c.global_code, "\nx = 1\n\n\ny = {'a': '}'}\n");
  EXPECT_EQ(c.global_code_filename, "t.conf{python-global-code:2}");
  EXPECT_EQ(c.destinations.at(0).options.global_code, c.global_code);
}

TEST(ConfigFileTest, PythonBlockNeedsItsSemicolon) {
  EXPECT_EQ(ErrorOf("python {\nx = 1\n}\ndestination d {};"),
            "t.conf:4:1: expected ';' after python { ... }, got "
            "'destination'");
}

TEST(ConfigFileTest, EverythingElseIsReadOver) {
  Config c = Parse(R"cfg(
    source s { network(ip("::") port(514) tls(peer-verify(required-trusted))); };
    filter f { level(info..emerg) and (program("a") or host("b" type(glob))); };
    parser p { csv-parser(columns("A", "B") delimiters(chars(",;"))); };
    rewrite r { subst("a", "b", value("MESSAGE")); };
    template t { template("${ISODATE} $(format-json --scope rfc5424)\n"); };
    template-function "f" "$(echo $HOST)";
    block source my_src(port(514)) { udp(port(`port`)); };
    block root my_root(x()) { };
    my_root(x(1));
    application app[syslog] { filter { program("app"); }; };
    destination d { python(class(m.C)); };
    log { source(s); filter(f); parser(p); rewrite(r); destination(d); };
  )cfg");
  EXPECT_EQ(c.destinations.size(), 1u);
  EXPECT_THAT(c.used_in_log_paths, ElementsAre("d"));
}

TEST(ConfigFileTest, UnknownGlobalOptionsAreReadOver) {
  Config c = Parse(
      "options { mark-freq(0); dns-cache-hosts(\"/etc/hosts\"); "
      "file-template(t); on-error(drop-property); };\n"
      "destination d { python(class(m.C)); };");
  EXPECT_EQ(c.destinations.at(0).options.on_error, OnError::kDropProperty);
}

TEST(ConfigFileTest, GlobalOptionsApplyEvenWhenDefinedAfterTheDestination) {
  Config c = Parse(
      "destination d { python(class(m.C)); };\n"
      "options { log-fifo-size(7); };");
  EXPECT_EQ(c.destinations.at(0).options.log_fifo_size, 7u);
}

TEST(ConfigFileTest, InlineDestinationsAreNumberedInOrder) {
  Config c = Parse(
      "log { destination { python(class(m.A)); }; };\n"
      "log { destination { file(\"/x\"); }; destination { python(class(m.B) "
      "persist-name(b)); }; };\n");
  ASSERT_EQ(c.destinations.size(), 2u);
  EXPECT_EQ(c.destinations[0].name, "#anon-destination0");
  EXPECT_EQ(c.destinations[1].name, "#anon-destination2");
  EXPECT_THAT(c.used_in_log_paths,
              ElementsAre("#anon-destination0", "#anon-destination2"));
}

TEST(ConfigFileTest, UsedInLogPathsListsEachDestinationOnce) {
  Config c = Parse(
      "destination a { python(class(m.A)); };\n"
      "destination b { python(class(m.B)); };\n"
      "log { destination(b); };\nlog { destination(a); destination(b); };");
  EXPECT_THAT(c.used_in_log_paths, ElementsAre("b", "a"));
}

TEST(ConfigFileTest, DuplicateDestinationNameIsAnError) {
  EXPECT_EQ(ErrorOf("destination d { file(\"/x\"); };\n"
                    "destination d { python(class(m.C)); };"),
            "t.conf:2:13: destination 'd' is already defined at t.conf:1:13");
}

TEST(ConfigFileTest, UnknownPragmaIsAnError) {
  EXPECT_EQ(ErrorOf("@verison: 3.38\n"),
            "t.conf:1:1: unknown pragma '@verison'; did you mean 'version'?");
}

TEST(ConfigFileTest, UnclosedLogPathIsAnError) {
  EXPECT_EQ(ErrorOf("log { source(s);\n"),
            "t.conf:2:1: unexpected end of file; missing '}' to close '{' "
            "opened at 1:5");
}

TEST(ConfigFileTest, IncludeResolvesRelativeToTheIncludingFile) {
  TempDir dir;
  dir.Write("sub/inner.conf", "destination d { python(class(m.C)); };\n");
  dir.Write("sub/outer.conf", "@include \"inner.conf\"\n");
  std::string main = dir.Write("main.conf",
                               "@version: 3.38\n@include \"sub/outer.conf\"\n"
                               "log { destination(d); };\n");
  absl::StatusOr<Config> c = ParseConfigFile(main);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->destinations.size(), 1u);
  EXPECT_THAT(c->destinations[0].file, HasSubstr("sub/inner.conf"));
  EXPECT_EQ(c->destinations[0].options.version.minor, 38);
  EXPECT_TRUE(c->notes.empty());
}

TEST(ConfigFileTest, IncludeOfADirectoryReadsItsFilesInOrder) {
  TempDir dir;
  dir.Write("d/b.conf", "destination b { python(class(m.B)); };\n");
  dir.Write("d/a.conf", "destination a { python(class(m.A)); };\n");
  dir.Write("d/.hidden", "this is not a configuration\n");
  dir.Write("d/c.conf~", "neither is this\n");
  std::string main = dir.Write("main.conf", "@include \"d\"\n");
  absl::StatusOr<Config> c = ParseConfigFile(main);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->destinations.size(), 2u);
  EXPECT_EQ(c->destinations[0].name, "a");
}

TEST(ConfigFileTest, IncludeLoopIsAnError) {
  TempDir dir;
  std::string main = dir.Write("loop.conf", "@include \"loop.conf\"\n");
  absl::StatusOr<Config> c = ParseConfigFile(main);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()),
              HasSubstr("loop.conf:1:1: @include nested more than 16 deep"));
}

TEST(ConfigFileTest, ErrorsInIncludedFilesNameThatFile) {
  TempDir dir;
  dir.Write("bad.conf", "\ndestination d { python(class(m.C) retries(x)); };");
  std::string main = dir.Write("main.conf", "@include \"bad.conf\"\n");
  absl::StatusOr<Config> c = ParseConfigFile(main);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()),
              HasSubstr("bad.conf:2:43: retries() expects an integer"));
}

TEST(ConfigFileTest, MissingFileIsNotFound) {
  absl::StatusOr<Config> c = ParseConfigFile("/nonexistent/pydest.conf");
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace pydest
