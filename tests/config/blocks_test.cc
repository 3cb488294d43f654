// Blocks (syslog-ng's SCL building material) and @include anywhere: a
// python() destination defined through a block is configured exactly as if
// written out; errors inside an expansion name the block's file:line:column
// and the place of the use. The expected expansions were checked against
// syslog-ng 3.38's --preprocess-into.
#include <unistd.h>

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

// Hermetic: never reads an installed syslog-ng's SCL.
ConfigReadOptions Hermetic(std::vector<std::string> include_path = {}) {
  ConfigReadOptions o;
  o.include_path = std::move(include_path);
  o.syslog_ng_include_path = false;
  return o;
}

Config Parse(const std::string& text) {
  absl::StatusOr<Config> config = ParseConfig(text, "t.conf", Hermetic());
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *config : Config();
}

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<Config> config = ParseConfig(text, "t.conf", Hermetic());
  EXPECT_FALSE(config.ok());
  return std::string(config.status().message());
}

const DestinationOptions& Only(const Config& c) {
  static const DestinationOptions kNone;
  EXPECT_EQ(c.destinations.size(), 1u);
  return c.destinations.empty() ? kNone : c.destinations[0].options;
}

std::string OptionText(const DestinationOptions& o, const std::string& key) {
  for (const auto& [k, v] : o.options) {
    if (k == key) return v.text;
  }
  return "<unset>";
}

const char kPythonBlock[] = R"(@version: 4.0
block destination py_dest(
    host("localhost") port(1234) tag() extra-opt(...)
    ...) {
  python(
    class("mod.Dest")
    options("host" `host` "port" `port` "tag" "`tag`-x")
    `__VARARGS__`
  );
};
)";

TEST(Blocks, DestinationBlockWithPythonIsAPythonDestination) {
  Config c = Parse(std::string(kPythonBlock) +
                   "destination d { py_dest(tag(\"t1\") port(99)); };\n"
                   "log { destination(d); };\n");
  ASSERT_EQ(c.destinations.size(), 1u);
  EXPECT_EQ(c.destinations[0].name, "d");
  const DestinationOptions& o = c.destinations[0].options;
  EXPECT_EQ(o.class_name, "mod.Dest");
  EXPECT_EQ(OptionText(o, "host"), "localhost");
  EXPECT_EQ(OptionText(o, "port"), "99");
  EXPECT_EQ(OptionText(o, "tag"), "t1-x");  // a string argument in a string
  EXPECT_THAT(c.used_in_log_paths, ElementsAre("d"));
}

TEST(Blocks, VarargsCarryOtherPythonOptions) {
  Config c = Parse(std::string(kPythonBlock) +
                   "destination d { py_dest(tag(t) batch-lines(10) "
                   "retries(7)); };\nlog { destination(d); };\n");
  const DestinationOptions& o = Only(c);
  EXPECT_EQ(o.retries, 7);
  EXPECT_EQ(o.batch_lines, 10);
}

TEST(Blocks, InlineDestinationInALogPathUsesTheBlock) {
  Config c = Parse(std::string(kPythonBlock) +
                   "log { destination { py_dest(tag(x)); }; };\n");
  EXPECT_EQ(c.destinations.at(0).name, "#anon-destination0");
  EXPECT_EQ(c.destinations.at(0).options.class_name, "mod.Dest");
}

TEST(Blocks, BlocksUseOtherBlocksAndDefines) {
  Config c = Parse(R"(@version: 4.0
@define default_class "mod.Inner"
block destination inner(klass("`default_class`") opts()) {
  python(class(`klass`) options(`opts`));
};
block destination outer(name()) {
  inner(opts("name" "`name`"));
};
destination d { outer(name("n1")); };
log { destination(d); };
)");
  const DestinationOptions& o = Only(c);
  EXPECT_EQ(o.class_name, "mod.Inner");
  EXPECT_EQ(OptionText(o, "name"), "n1");
}

TEST(Blocks, RootBlockDefinesStatements) {
  Config c = Parse(std::string(kPythonBlock) + R"(
block root pipeline(name() klass("mod.R")) {
  destination d_`name` { python(class(`klass`)); };
  log { destination(d_`name`); };
};
pipeline(name(one));
pipeline(name(two) klass("mod.Two"));
)");
  ASSERT_EQ(c.destinations.size(), 2u);
  EXPECT_EQ(c.destinations[0].name, "d_one");
  EXPECT_EQ(c.destinations[1].name, "d_two");
  EXPECT_EQ(c.destinations[1].options.class_name, "mod.Two");
  EXPECT_THAT(c.used_in_log_paths, ElementsAre("d_one", "d_two"));
}

TEST(Blocks, ParameterNamesTreatDashAndUnderscoreAlike) {
  Config c = Parse(R"(@version: 4.0
block destination b(class-name("mod.A")) { python(class(`class_name`)); };
destination d { b(class_name("mod.B")); };
log { destination(d); };
)");
  EXPECT_EQ(Only(c).class_name, "mod.B");
}

TEST(Blocks, MissingMandatoryParameterIsAnErrorAtTheUse) {
  std::string error = ErrorOf(std::string(kPythonBlock) +
                              "destination d { py_dest(port(1)); };\n");
  EXPECT_THAT(error, HasSubstr("t.conf:11:17: block destination py-dest() "
                               "needs the parameter 'tag(...)'"));
}

TEST(Blocks, UnknownArgumentWithoutVarargsIsAnError) {
  std::string error = ErrorOf(R"(block destination b(a("x")) { python(class(`a`)); };
destination d { b(a("m.C") colour(red)); };
)");
  EXPECT_THAT(error, HasSubstr("t.conf:2:17: block destination b() has no "
                               "parameter 'colour'"));
}

TEST(Blocks, ErrorInsideAnExpansionNamesTheBodyAndTheUse) {
  std::string error = ErrorOf(R"(@version: 4.0
block destination b(k("m.C")) {
  python(class(`k`)
         bogus-option(1));
};
destination d {
  b();
};
)");
  // The body's own line and the use's place.
  EXPECT_THAT(error, HasSubstr("t.conf:4:10: unknown option 'bogus-option'"));
  EXPECT_THAT(error,
              HasSubstr("(in block destination b() used at t.conf:7:3)"));
}

TEST(Blocks, BlockThatUsesItselfStopsAtTheDepthLimit) {
  std::string error = ErrorOf(R"(block destination loop(x(1)) { loop(x(`x`)); };
destination d { loop(); };
)");
  EXPECT_THAT(error, HasSubstr("blocks used inside blocks more than 64 deep"));
}

TEST(Blocks, DestinationBlocksDoNotLeakIntoOtherContexts) {
  // A source block of the same name is not a destination driver.
  Config c = Parse(R"(block source b() { file("/dev/null"); };
destination d { b(); python(class("m.C")); };
log { destination(d); };
)");
  EXPECT_EQ(Only(c).class_name, "m.C");
}

// The configuration layer's side of config generators, with a C++ hook in
// place of Python (pydest::PythonConfigGenerators is tested end to end).
TEST(ConfigGenerators, GeneratedTextIsReadInPlaceOfTheDriver) {
  ConfigReadOptions o = Hermetic();
  std::vector<ConfigGeneratorCall> calls;
  o.config_generators = [&calls](const ConfigGeneratorCall& call)
      -> absl::StatusOr<std::optional<std::string>> {
    calls.push_back(call);
    if (call.name != "gen") return std::nullopt;
    return std::optional<std::string>(
        "python(class(" + call.args.at(0).second + "));");
  };
  absl::StatusOr<Config> config = ParseConfig(R"(@version: 4.0
python { pass };
destination d { gen(klass("mod.Gen") page-size(5)); file("/tmp/x" template("$MSG")); };
log { destination(d); };
)", "t.conf", o);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(Only(*config).class_name, "mod.Gen");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].context, "destination");
  // Raw values; names with '_' as syslog-ng hands them to a generator.
  EXPECT_THAT(calls[0].args,
              ElementsAre(std::make_pair(std::string("klass"),
                                         std::string("\"mod.Gen\"")),
                          std::make_pair(std::string("page_size"),
                                         std::string("5"))));
  EXPECT_EQ(calls[0].python_code, " pass ");
  EXPECT_EQ(calls[1].name, "file");
  EXPECT_FALSE(calls[1].args_ok);  // file("/tmp/x" ...): not name(value)
}

TEST(ConfigGenerators, NotAskedWithoutPythonCode) {
  ConfigReadOptions o = Hermetic();
  int calls = 0;
  o.config_generators = [&calls](const ConfigGeneratorCall&)
      -> absl::StatusOr<std::optional<std::string>> {
    ++calls;
    return std::nullopt;
  };
  ASSERT_TRUE(ParseConfig("destination d { file(\"/x\"); };\n", "t.conf", o)
                  .ok());
  EXPECT_EQ(calls, 0);
}

TEST(ConfigGenerators, HookErrorIsAnErrorAtTheDriver) {
  ConfigReadOptions o = Hermetic();
  o.config_generators = [](const ConfigGeneratorCall&)
      -> absl::StatusOr<std::optional<std::string>> {
    return absl::InvalidArgumentError("the generator raised");
  };
  absl::StatusOr<Config> config = ParseConfig(
      "python { pass };\ndestination d { gen(a(1)); };\n", "t.conf", o);
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()),
              HasSubstr("t.conf:2:17: config generator destination gen(): "
                        "the generator raised"));
}

class IncludeDir {
 public:
  IncludeDir()
      : path_(fs::temp_directory_path() /
              ("pydest_blocks_test_" + std::to_string(::getpid()))) {
    fs::create_directories(path_ / "scl" / "mine");
  }
  ~IncludeDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

TEST(Includes, IncludePathFindsAnSclStyleTree) {
  IncludeDir dir;
  dir.Write("scl.conf", "@include 'scl/*/*.conf'\n");
  dir.Write("scl/mine/plugin.conf",
            "block destination my_py(klass(\"mod.Scl\")) {\n"
            "  python(class(`klass`));\n};\n");
  absl::StatusOr<Config> config = ParseConfig(
      "@version: 4.0\n@include \"scl.conf\"\n"
      "destination d { my_py(); };\nlog { destination(d); };\n",
      "/nowhere/t.conf", Hermetic({dir.path()}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(Only(*config).class_name, "mod.Scl");
  EXPECT_TRUE(config->notes.empty());
}

TEST(Includes, IncludeInsideADestinationBody) {
  IncludeDir dir;
  dir.Write("driver.conf", "python(class(\"mod.Inc\"));\n");
  absl::StatusOr<Config> config = ParseConfig(
      "@version: 4.0\ndestination d {\n  @include \"driver.conf\"\n};\n"
      "log { destination(d); };\n",
      dir.path() + "/t.conf", Hermetic());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(Only(*config).class_name, "mod.Inc");
}

TEST(Includes, ErrorInAnIncludedFileSaysWhereItWasIncluded) {
  IncludeDir dir;
  dir.Write("bad.conf", "\ndestination x { python(class(\"m.C\") nope(1)); };\n");
  absl::StatusOr<Config> config = ParseConfig(
      "@version: 4.0\n\n@include \"bad.conf\"\n", dir.path() + "/t.conf",
      Hermetic());
  ASSERT_FALSE(config.ok());
  std::string error(config.status().message());
  EXPECT_THAT(error,
              HasSubstr(dir.path() + "/bad.conf:2:37: unknown option 'nope'"));
  EXPECT_THAT(error,
              HasSubstr("(included from " + dir.path() + "/t.conf:3:1)"));
}

TEST(Includes, MissingIncludeIsANote) {
  Config c = Parse("@version: 4.0\n@include \"scl.conf\"\n");
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_THAT(c.notes[0], HasSubstr("t.conf:2:1: @include \"scl.conf\" "
                                    "matched no file; ignored"));
}

// Every block of an installed syslog-ng's SCL (Debian's syslog-ng-scl) is
// read: the seed tutorial's `@include "scl.conf"` then defines them all.
TEST(Includes, RealSclParses) {
  if (!fs::exists("/etc/syslog-ng/scl.conf")) {
    GTEST_SKIP() << "syslog-ng's SCL is not installed";
  }
  absl::StatusOr<Config> config = ParseConfig(
      "@version: 3.38\n@include \"scl.conf\"\n"
      "destination d { python(class(\"m.C\")); };\n"
      "log { destination(d); };\n",
      "t.conf");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->notes.empty());
  EXPECT_EQ(config->destinations.size(), 1u);
}

}  // namespace
}  // namespace pydest
