// Every python() destination syslog-ng 3.38 ran for the golden vectors
// (PYDEST_GOLDEN_DIR) parses, with the fields it was run with.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "pydest/config.h"

namespace pydest {
namespace {

namespace fs = std::filesystem;

std::string GoldenDir() {
  const char* dir = std::getenv("PYDEST_GOLDEN_DIR");
  if (dir == nullptr || !fs::is_directory(dir)) return "";
  return dir;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(GoldenConfigTest, EveryCaseDestinationAndFragmentParses) {
  std::string dir = GoldenDir();
  if (dir.empty()) GTEST_SKIP() << "PYDEST_GOLDEN_DIR not set or missing";
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name[0] == '_') continue;
    nlohmann::json doc = nlohmann::json::parse(ReadFile(entry.path()));
    std::string destination = doc.at("destination").get<std::string>();
    absl::StatusOr<DestinationOptions> options =
        ParsePythonOptions(destination, name);
    ASSERT_TRUE(options.ok()) << name << ": " << options.status();
    EXPECT_EQ(options->class_name, "anchordest.GoldenDest") << name;
    EXPECT_EQ(options->persist_name, doc.at("case").get<std::string>())
        << name;
    ASSERT_FALSE(options->options.empty()) << name;
    EXPECT_EQ(options->options.back().first, "case") << name;

    // The fragment alone (with a class added, as it cannot stand without).
    std::string fragment = doc.at("config_fragment").get<std::string>();
    absl::StatusOr<DestinationOptions> from_fragment =
        ParsePythonOptions("class(\"x.Y\") " + fragment, name);
    ASSERT_TRUE(from_fragment.ok()) << name << ": " << from_fragment.status();
    EXPECT_EQ(from_fragment->value_pairs.has_value(),
              options->value_pairs.has_value())
        << name;
    ++cases;
  }
  EXPECT_GT(cases, 50);
}

TEST(GoldenConfigTest, FragmentFieldsMatchTheirCaseNames) {
  std::string dir = GoldenDir();
  if (dir.empty()) GTEST_SKIP() << "PYDEST_GOLDEN_DIR not set or missing";
  auto load = [&](const std::string& c) {
    nlohmann::json doc =
        nlohmann::json::parse(ReadFile(fs::path(dir) / (c + ".json")));
    absl::StatusOr<DestinationOptions> options =
        ParsePythonOptions(doc.at("destination").get<std::string>(), c);
    EXPECT_TRUE(options.ok()) << options.status();
    return options.ok() ? *options : DestinationOptions();
  };
  EXPECT_FALSE(load("no-value-pairs").value_pairs.has_value());
  EXPECT_EQ(load("scope-syslog-proto").value_pairs->scopes,
            static_cast<uint32_t>(kScopeRfc5424));
  EXPECT_EQ(load("bad-int--silently-drop-property").on_error,
            OnError::kSilentlyDropProperty);
  DestinationOptions typed = load("bad-int32--default");
  ASSERT_EQ(typed.value_pairs->pairs.size(), 2u);
  EXPECT_EQ(typed.value_pairs->pairs[1].hint, TypeHint::kInt32);
  EXPECT_EQ(typed.value_pairs->pairs[1].template_text, "99999999999");
  EXPECT_EQ(typed.on_error, OnError::kDropMessage);
}

TEST(GoldenConfigTest, EveryBehaviourProbeConfigurationParses) {
  std::string dir = GoldenDir();
  if (dir.empty()) GTEST_SKIP() << "PYDEST_GOLDEN_DIR not set or missing";
  int probes = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(dir) / "behaviour")) {
    fs::path conf = entry.path() / "b.conf";
    if (!fs::exists(conf)) continue;
    std::string probe = entry.path().filename().string();
    absl::StatusOr<Config> config = ParseConfig(ReadFile(conf), probe);
    ASSERT_TRUE(config.ok()) << probe << ": " << config.status();
    EXPECT_EQ(config->version.major, 3) << probe;
    EXPECT_EQ(config->version.minor, 38) << probe;
    ASSERT_EQ(config->destinations.size(), 1u) << probe;
    const DestinationOptions& o = config->destinations[0].options;
    EXPECT_EQ(config->destinations[0].name, "d_py");
    EXPECT_EQ(o.class_name.rfind("anchordest.BehaveDest", 0), 0u) << probe;
    EXPECT_EQ(o.value_pairs->scopes, static_cast<uint32_t>(kScopeRfc5424));
    EXPECT_EQ(o.options.front().first, "out") << probe;
    EXPECT_EQ(config->used_in_log_paths,
              std::vector<std::string>{"d_py"});
    if (probe == "open-false-global-reopen3") {
      EXPECT_EQ(o.time_reopen, absl::Seconds(3));
    }
    if (probe == "batch-queued") {
      EXPECT_EQ(o.batch_lines, 2);
      EXPECT_EQ(o.batch_timeout, absl::Milliseconds(500));
    }
    if (probe == "send-false-retries1") {
      EXPECT_EQ(o.retries, 1);
    }
    ++probes;
  }
  EXPECT_GT(probes, 10);
}

}  // namespace
}  // namespace pydest
