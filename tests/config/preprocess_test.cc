// Config::preprocessed (syslog-ng's --preprocess-into): includes, defines,
// block uses and config generators expanded in place, everything else as
// written, and read again it configures exactly what the original does.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/config.h"
#include "pydest/limits.h"

namespace pydest {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

// Hermetic: never reads an installed syslog-ng's SCL.
ConfigReadOptions Preprocessing(std::vector<std::string> include_path = {}) {
  ConfigReadOptions o;
  o.include_path = std::move(include_path);
  o.syslog_ng_include_path = false;
  o.preprocess = true;
  return o;
}

// A temporary folder of configuration files, removed at the end.
class ConfigDir {
 public:
  ConfigDir() {
    std::string pattern =
        (fs::temp_directory_path() / "pydest-preprocess-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~ConfigDir() { fs::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& text) const {
    fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file.string();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Everything a configuration tells the host, as one comparable text.
std::string Fingerprint(const Config& c) {
  std::string out = absl::StrCat("version ", c.version.major, ".",
                                 c.version.minor, "\n");
  for (const ConfiguredDestination& d : c.destinations) {
    const DestinationOptions& o = d.options;
    absl::StrAppend(&out, "destination ", d.name, " class ", o.class_name,
                    " persist ", o.persist_name, " on-error ",
                    static_cast<int>(o.on_error), " retries ", o.retries,
                    " batch ", o.batch_lines.value_or(-1), " reopen ",
                    absl::FormatDuration(o.time_reopen), " workers ",
                    o.workers, " fifo ", o.log_fifo_size, " isolation ",
                    static_cast<int>(o.isolation), " disk-buffer ",
                    o.disk_buffer.has_value(), "\n");
    for (const auto& [key, value] : o.options) {
      absl::StrAppend(&out, "  option ", key, " ",
                      static_cast<int>(value.kind), " [", value.text, "]");
      for (const std::string& item : value.items) {
        absl::StrAppend(&out, " [", item, "]");
      }
      out += "\n";
    }
    for (const std::string& path : o.python_path) {
      absl::StrAppend(&out, "  python-path ", path, "\n");
    }
    if (o.value_pairs.has_value()) {
      absl::StrAppend(&out, "  value-pairs scopes ", o.value_pairs->scopes,
                      " patterns ", o.value_pairs->patterns.size(),
                      " rekeys ", o.value_pairs->rekeys.size(), "\n");
      for (const ValuePair& pair : o.value_pairs->pairs) {
        absl::StrAppend(&out, "  pair ", pair.name, " [", pair.template_text,
                        "] ", static_cast<int>(pair.hint), "\n");
      }
    }
  }
  for (const ConfiguredSource& s : c.sources) {
    absl::StrAppend(&out, "source ", s.name, " ", s.path, " ",
                    static_cast<int>(s.format), " ->");
    for (const std::string& d : s.destinations) absl::StrAppend(&out, " ", d);
    out += "\n";
  }
  for (const std::string& used : c.used_in_log_paths) {
    absl::StrAppend(&out, "log ", used, "\n");
  }
  absl::StrAppend(&out, "python code [", c.global_code, "]\n");
  return out;
}

// Parses `text`, then its preprocessed form, and expects both to configure
// the same; returns the preprocessed form.
std::string PreprocessAndReparse(const std::string& text,
                                 const ConfigReadOptions& options,
                                 const std::string& filename = "t.conf") {
  absl::StatusOr<Config> original = ParseConfig(text, filename, options);
  EXPECT_TRUE(original.ok()) << original.status();
  if (!original.ok()) return "";
  ConfigReadOptions plain = options;
  plain.preprocess = false;
  plain.include_path.clear();  // nothing is left to include
  absl::StatusOr<Config> again =
      ParseConfig(original->preprocessed, "preprocessed.conf", plain);
  EXPECT_TRUE(again.ok()) << again.status() << "\n" << original->preprocessed;
  if (!again.ok()) return original->preprocessed;
  EXPECT_EQ(Fingerprint(*again), Fingerprint(*original))
      << original->preprocessed;
  EXPECT_TRUE(again->preprocessed.empty());  // not asked for
  return original->preprocessed;
}

void ExpectInOrder(const std::string& text, const std::string& first,
                   const std::string& second) {
  const size_t a = text.find(first);
  const size_t b = text.find(second);
  EXPECT_NE(a, std::string::npos) << first << " not in\n" << text;
  EXPECT_NE(b, std::string::npos) << second << " not in\n" << text;
  EXPECT_LT(a, b) << text;
}

TEST(Preprocess, NotAskedForIsEmpty) {
  ConfigReadOptions o = Preprocessing();
  o.preprocess = false;
  absl::StatusOr<Config> c = ParseConfig("@version: 4.0\n", "t.conf", o);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->preprocessed, "");
}

TEST(Preprocess, PlainConfigurationIsWrittenAsIs) {
  const std::string text =
      "@version: 3.38\n"
      "# a comment, kept\n"
      "destination d {\n"
      "    python(class(\"a.B\")   options(\"k\" 'v') );  # trailing\n"
      "};\n"
      "log { source(s); destination(d); };\n";
  EXPECT_EQ(PreprocessAndReparse(text, Preprocessing()), text);
}

TEST(Preprocess, IncludedFileStandsInPlaceOfTheInclude) {
  ConfigDir dir;
  std::string part = dir.Write(
      "part.conf",
      "# the part\n"
      "destination d { python(class(\"a.B\")); };\n");
  const std::string text =
      "@version: 3.38\n"
      "@include \"part.conf\"\n"
      "log { destination(d); };\n";
  std::string out =
      PreprocessAndReparse(text, Preprocessing({dir.path().string()}));
  EXPECT_EQ(out, absl::StrCat("@version: 3.38\n"
                              "# begin: @include \"part.conf\": ",
                              part,
                              "\n"
                              "# the part\n"
                              "destination d { python(class(\"a.B\")); };\n"
                              "# end: @include \"part.conf\": ",
                              part,
                              "\n"
                              "\n"
                              "log { destination(d); };\n"));
}

TEST(Preprocess, GlobIncludeWritesEachFileInOrder) {
  ConfigDir dir;
  dir.Write("conf.d/b.conf", "destination b { python(class(\"m.B\")); };");
  dir.Write("conf.d/a.conf", "destination a { python(class(\"m.A\")); };\n");
  std::string out = PreprocessAndReparse(
      "@include \"conf.d/*.conf\"\nlog { destination(a); destination(b); };\n",
      Preprocessing({dir.path().string()}));
  ExpectInOrder(out, "destination a {", "destination b {");
  // b.conf has no final newline: its end line still starts a line.
  EXPECT_THAT(out, HasSubstr("python(class(\"m.B\")); };\n# end: @include"));
}

TEST(Preprocess, AFileNameWithALineBreakStaysInItsComment) {
  ConfigDir dir;
  dir.Write("odd\nname.conf", "destination d { python(class(\"a.B\")); };\n");
  std::string out = PreprocessAndReparse(
      "@include \"odd*.conf\"\nlog { destination(d); };\n",
      Preprocessing({dir.path().string()}));
  EXPECT_THAT(out, HasSubstr("/odd\n# name.conf\n"));
}

TEST(Preprocess, IncludeThatMatchesNothingIsCommentedOutLineByLine) {
  // Written on one line, and over two.
  EXPECT_EQ(PreprocessAndReparse(
                "@include \"nothing-here.conf\"\n@version: 4.0\n",
                Preprocessing()),
            "# @include \"nothing-here.conf\" (matched no file)\n\n"
            "@version: 4.0\n");
  EXPECT_EQ(PreprocessAndReparse(
                "@include\n  \"nothing-here.conf\"\n@version: 4.0\n",
                Preprocessing()),
            "# @include\n#   \"nothing-here.conf\" (matched no file)\n\n"
            "@version: 4.0\n");
}

TEST(Preprocess, VersionOfAnIncludedFileBecomesAComment) {
  ConfigDir dir;
  dir.Write("v.conf", "@version: 3.0\n");
  std::string out = PreprocessAndReparse(
      "@version: 4.2\n@include \"v.conf\"\n",
      Preprocessing({dir.path().string()}));
  EXPECT_THAT(out, HasSubstr("# @version: 3.0 (of the included file)"));
  EXPECT_THAT(out, testing::StartsWith("@version: 4.2\n"));
}

TEST(Preprocess, BacktickReferencesAreReplacedByTheirValues) {
  const std::string text =
      "@version: 3.38\n"
      "@define cls \"mod.Dest\"\n"
      "@define quoted \"say \\\"hi\\\"\\tnow\"\n"
      "@define tick \"a``b\"\n"
      "@define n 5\n"
      "destination d { python(class(\"`cls`\") retries(`n`)\n"
      "  options(\"q\" \"`quoted`\" \"t\" '`tick`' \"c\" \"x``y\")); };\n"
      "log { destination(d); };\n";
  std::string out = PreprocessAndReparse(text, Preprocessing());
  EXPECT_THAT(out, HasSubstr("class(\"mod.Dest\") retries(5)"));
  EXPECT_THAT(out, HasSubstr("\"q\" \"say \\\"hi\\\"\\tnow\""));
  // A literal backtick is written doubled, so it stays literal.
  EXPECT_THAT(out, HasSubstr("\"t\" \"a``b\""));
  EXPECT_THAT(out, HasSubstr("\"c\" \"x``y\""));
  // The definitions stay, as syslog-ng writes them.
  EXPECT_THAT(out, HasSubstr("@define cls \"mod.Dest\"\n"));
}

TEST(Preprocess, AWordReferenceIsReadAgainAsConfigurationText) {
  const std::string text =
      "@define opts \"retries(5) batch-lines(3)\"\n"
      "@define lit \"x``y\"\n"
      "destination d { python(class(\"a.B\") `opts`\n"
      "  options(\"k\" `lit`)); };\n"
      "log { destination(d); };\n";
  std::string out = PreprocessAndReparse(text, Preprocessing());
  EXPECT_THAT(out, HasSubstr("class(\"a.B\") retries(5) batch-lines(3)\n"));
  EXPECT_THAT(out, HasSubstr("options(\"k\" x``y)"));
  absl::StatusOr<Config> c = ParseConfig(text, "t.conf", Preprocessing());
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->destinations.size(), 1u);
  EXPECT_EQ(c->destinations[0].options.retries, 5);
  EXPECT_EQ(c->destinations[0].options.batch_lines, 3);
  EXPECT_EQ(c->destinations[0].options.options[0].second.text, "x`y");
}

TEST(Preprocess, AnUnclosedBacktickIsAnError) {
  absl::StatusOr<Config> c = ParseConfig(
      "destination d {\n python(class(\"a`b\")); };\n", "t.conf",
      Preprocessing());
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(),
              HasSubstr("t.conf:2:15: missing closing backtick (`)"));
}

TEST(Preprocess, ControlCharactersInValuesAreEscaped) {
  std::string value = "a";
  value += '\x01';
  value += "\x7f";
  value += "\\\r\n";
  setenv("PYDEST_PREPROCESS_TEST_VALUE", value.c_str(), 1);
  std::string out = PreprocessAndReparse(
      "destination d { python(class(\"a.B\") "
      "options(\"v\" \"`PYDEST_PREPROCESS_TEST_VALUE`\")); };\n",
      Preprocessing());
  EXPECT_THAT(out, HasSubstr("\"a\\x01\\x7f\\\\\\r\\n\""));
  unsetenv("PYDEST_PREPROCESS_TEST_VALUE");
}

const char kPythonBlock[] = R"(@version: 4.0
block destination py_dest(
    host("localhost") port(1234) extra-opt(...)
    ...) {
  python(
    class("mod.Dest")
    options("host" `host` "port" `port`)
    `__VARARGS__`
  );
};
)";

TEST(Preprocess, BlockUseIsReplacedByItsExpansion) {
  const std::string text = std::string(kPythonBlock) +
                           "destination d { py_dest(port(99) retries(7)); };\n"
                           "log { destination(d); };\n";
  std::string out = PreprocessAndReparse(text, Preprocessing());
  // The definition stays; the use is gone, its expansion in its place.
  EXPECT_THAT(out, HasSubstr("block destination py_dest("));
  EXPECT_THAT(out, Not(HasSubstr("py_dest(port(99)")));
  EXPECT_THAT(out, HasSubstr("destination d { \n"
                             "# begin: block destination py-dest() used at "
                             "t.conf:11:17\n"));
  EXPECT_THAT(out, HasSubstr("options(\"host\" \"localhost\" \"port\" 99)"));
  EXPECT_THAT(out, HasSubstr("retries(7)"));
  EXPECT_THAT(out,
              HasSubstr("# end: block destination py-dest() used at "
                        "t.conf:11:17\n; };\n"));
}

TEST(Preprocess, BlocksUsedInsideBlocksNest) {
  const std::string text = std::string(kPythonBlock) +
                           "block destination outer(p(1)) {\n"
                           "  py_dest(port(`p`))\n"
                           "};\n"
                           "destination d { outer(p(42)); };\n"
                           "log { destination(d); };\n";
  std::string out = PreprocessAndReparse(text, Preprocessing());
  ExpectInOrder(out, "# begin: block destination outer()",
                "# begin: block destination py-dest()");
  EXPECT_THAT(out, HasSubstr("\"port\" 42)"));
}

TEST(Preprocess, ConfigGeneratorCallIsReplacedByWhatItProduced) {
  ConfigReadOptions o = Preprocessing();
  o.config_generators = [](const ConfigGeneratorCall& call)
      -> absl::StatusOr<std::optional<std::string>> {
    if (call.name != "made") return std::nullopt;
    return std::optional<std::string>(
        "python(class(\"gen.Dest\") options(\"from\" \"generator\"))");
  };
  // Generators are registered by python {} code; without any none is asked.
  std::string out = PreprocessAndReparse(
      "python { pass };\n"
      "destination d { made(size(3)); };\nlog { destination(d); };\n", o);
  EXPECT_THAT(out, HasSubstr("# begin: config generator destination made() "
                             "used at t.conf:2:17\n"
                             "python(class(\"gen.Dest\") options(\"from\" "
                             "\"generator\"))\n"
                             "# end: config generator destination made()"));
  EXPECT_THAT(out, Not(HasSubstr("made(size(3))")));
}

TEST(Preprocess, PythonCodeBlocksAreKeptVerbatim) {
  const std::string text =
      "python {\n"
      "# a Python comment stays\n"
      "import os\n"
      "x = \"`not_a_define`\"\n"
      "};\n"
      "destination d { python(class(\"a.B\")); };\n"
      "log { destination(d); };\n";
  EXPECT_EQ(PreprocessAndReparse(text, Preprocessing()), text);
}

TEST(Preprocess, CorpusConfigurationsConfigureTheSameWhenReadAgain) {
  const char* root = std::getenv("PYDEST_SOURCE_DIR");
  fs::path corpus =
      fs::path(root != nullptr ? root : ".") / "tests/config/corpus";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    if (entry.path().extension() != ".conf") continue;
    SCOPED_TRACE(entry.path().string());
    PreprocessAndReparse(ReadFile(entry.path()),
                         Preprocessing({corpus.string()}),
                         entry.path().string());
    ++files;
  }
  fs::path main = corpus / "includes" / "main.conf";
  SCOPED_TRACE(main.string());
  std::string out = PreprocessAndReparse(
      ReadFile(main), Preprocessing({(corpus / "includes").string()}),
      main.string());
  EXPECT_THAT(out, HasSubstr("# begin: @include"));
  EXPECT_GT(files, 5);
}

TEST(Preprocess, GoldenProbeConfigurationsConfigureTheSameWhenReadAgain) {
  const char* golden = std::getenv("PYDEST_GOLDEN_DIR");
  if (golden == nullptr || !fs::is_directory(golden)) {
    GTEST_SKIP() << "PYDEST_GOLDEN_DIR not set or missing";
  }
  int probes = 0;
  for (const auto& entry :
       fs::directory_iterator(fs::path(golden) / "behaviour")) {
    fs::path conf = entry.path() / "b.conf";
    if (!fs::exists(conf)) continue;
    SCOPED_TRACE(conf.string());
    PreprocessAndReparse(ReadFile(conf), Preprocessing(), conf.string());
    ++probes;
  }
  EXPECT_GT(probes, 10);
}

TEST(Preprocess, FilesIncludedOverAndOverAreAnErrorAtTheInclude) {
  ConfigDir dir;
  // Five levels, each including the next ten times: 10^5 files, each level
  // well within kMaxIncludeDepth.
  for (int level = 1; level <= 5; ++level) {
    std::string text;
    for (int i = 0; i < 10 && level < 5; ++i) {
      text += absl::StrCat("@include \"l", level + 1, ".conf\"\n");
    }
    dir.Write(absl::StrCat("l", level, ".conf"), text);
  }
  absl::StatusOr<Config> c =
      ParseConfig("@include \"l1.conf\"\n", "t.conf",
                  Preprocessing({dir.path().string()}));
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()),
              testing::MatchesRegex(absl::StrCat(
                  ".*/l[1-5].conf:[0-9]+:1: @include reads more than ",
                  kMaxIncludedFiles, " files in one configuration.*")));
}

TEST(Preprocess, IncludedBytesHaveALimitAllFilesTogether) {
  ConfigDir dir;
  // Each file alone is within kMaxConfigFileBytes; together they are not.
  const size_t size = kMaxConfigFileBytes / 2;
  dir.Write("big.conf", "#" + std::string(size - 2, 'x') + "\n");
  std::string text;
  const size_t includes = kMaxIncludedBytes / size + 1;
  for (size_t i = 0; i < includes; ++i) text += "@include \"big.conf\"\n";
  absl::StatusOr<Config> c = ParseConfig(
      text, "t.conf", Preprocessing({dir.path().string()}));
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(),
              HasSubstr(absl::StrCat("t.conf:", includes, ":1: @include reads "
                                     "more than ",
                                     kMaxIncludedBytes, " bytes")));
}

}  // namespace
}  // namespace pydest
