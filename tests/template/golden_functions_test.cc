// Template functions against real syslog-ng 3.38: every template of
// tests/template/golden/templates.txt expanded for every message of
// input.log must equal, byte for byte, what scripts/record-template-goldens
// recorded from syslog-ng in expected.json (null there: syslog-ng refused
// to compile the template, so must we).
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "libpydest/template/template.h"
#include "nlohmann/json.hpp"
#include "pydest/parse.h"

namespace pydest::internal {
namespace {

std::string GoldenDir() {
  const char* src = std::getenv("PYDEST_SOURCE_DIR");
  return std::string(src ? src : ".") + "/tests/template/golden/";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream s(text);
  std::string line;
  while (std::getline(s, line)) out.push_back(line);
  return out;
}

// Templates where syslog-ng 3.38 prints undefined memory (a bug there), so
// no byte-exact answer exists; docs/compatibility.md says what we print.
const std::map<std::string, std::string>& Deviations() {
  static const auto* m = new std::map<std::string, std::string>{
      {"$(sha1 --length -1 $MSG)",
       "3.38 prints memory past the digest; we print the whole digest"},
      {"$(ipv4-to-int \"not an ip\")",
       "3.38 prints an uninitialised number; we print nothing"},
      {"$(ipv4-to-int ${.SDATA.meta@1.ip})",
       "3.38 prints an uninitialised number for invalid addresses"},
  };
  return *m;
}

// Functions syslog-ng 3.38 does not have (4.x / AxoSyslog ones).
bool FourXOnly(const std::string& text) {
  return text.rfind("$(base64-decode", 0) == 0 || text.rfind("$(tag", 0) == 0;
}

// The messages as syslog-ng's file() source with flags(syslog-protocol)
// multi-line-mode(indented) reads them: an indented line continues the
// message above; the last message is the recording script's sentinel.
std::vector<Message> ReadMessages() {
  std::vector<std::string> texts;
  for (const std::string& line : Lines(ReadFile(GoldenDir() + "input.log"))) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') &&
        !texts.empty()) {
      texts.back() += "\n" + line;
    } else {
      texts.push_back(line);
    }
  }
  if (!texts.empty()) texts.pop_back();
  ParseOptions options;
  options.received = absl::FromUnixSeconds(1700000000);
  options.local_utc_offset_seconds = 0;
  std::string host = ReadFile(GoldenDir() + "hostname");
  while (!host.empty() && host.back() == '\n') host.pop_back();
  options.host_from = host;
  options.source_name = "s_in";
  std::vector<Message> out;
  for (const std::string& t : texts) out.push_back(ParseRfc5424(t, options));
  return out;
}

std::string Expected(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  return absl::HexStringToBytes(v.at("hex").get<std::string>());
}

TEST(GoldenFunctionsTest, MatchesSyslogNg338) {
  setenv("PYDEST_TF_A", "alpha", 1);
  setenv("PYDEST_TF_B", "be ta", 1);
  nlohmann::json expected =
      nlohmann::json::parse(ReadFile(GoldenDir() + "expected.json"));
  std::vector<Message> messages = ReadMessages();
  ASSERT_FALSE(messages.empty());
  TemplateOptions topts;
  MacroContext ctx;
  ctx.template_options = &topts;
  const std::regex uuid(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  int compared = 0, matched = 0, templates = 0, mismatches = 0;
  for (const std::string& text : Lines(ReadFile(GoldenDir() + "templates.txt"))) {
    SCOPED_TRACE(text);
    ASSERT_TRUE(expected.contains(text)) << "not recorded: " << text;
    const nlohmann::json& want = expected[text];
    auto compiled = Template::Compile(text);
    if (want.is_null() && FourXOnly(text)) {
      // Not in 3.38; checked against the 4.x documentation in
      // template_test.cc.
      EXPECT_TRUE(compiled.ok()) << compiled.status().message();
      continue;
    }
    if (want.is_null()) {
      EXPECT_FALSE(compiled.ok()) << "syslog-ng rejects " << text;
      ++templates;
      continue;
    }
    if (!compiled.ok()) {
      ADD_FAILURE() << compiled.status().message();
      continue;
    }
    if (Deviations().count(text)) continue;
    ++templates;
    ASSERT_EQ(want.size(), messages.size());
    for (size_t i = 0; i < messages.size(); ++i) {
      std::string got;
      (*compiled)->Format(messages[i], ctx, &got);
      ++compared;
      bool ok = text == "$(uuid)" ? std::regex_match(got, uuid)
                                  : got == Expected(want[i]);
      if (ok) {
        ++matched;
      } else if (++mismatches <= 60) {
        ADD_FAILURE() << text << " line " << i << ":\n  want "
                      << Expected(want[i]).substr(0, 200) << "\n  got  "
                      << got.substr(0, 200);
      }
    }
  }
  std::printf("%d templates checked; %d of %d expansions match syslog-ng "
              "3.38 (%zu templates skipped as known deviations)\n",
              templates, matched, compared, Deviations().size());
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace pydest::internal
