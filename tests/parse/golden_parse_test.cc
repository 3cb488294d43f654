// Parses the 13 inputs of the golden data (scope-everything.json: what
// syslog-ng 3.38 made of them) and checks the message fields against what
// syslog-ng passed to Python.
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "pydest/parse.h"
#include "tests/parse/py_bytes_repr.h"

namespace pydest {
namespace {

using nlohmann::json;

std::optional<json> LoadGolden(const std::string& name) {
  const char* dir = std::getenv("PYDEST_GOLDEN_DIR");
  if (dir == nullptr) return std::nullopt;
  std::ifstream in(std::string(dir) + "/" + name);
  if (!in) return std::nullopt;
  return json::parse(in);
}

// The value syslog-ng passed for `key`, or nullopt when it was not there.
std::optional<std::string> GoldenValue(const json& output,
                                       const std::string& key) {
  if (!output.contains(key)) return std::nullopt;
  return test::DecodePyBytesRepr(output[key][1].get<std::string>());
}

ParseOptions GoldenOptions() {
  ParseOptions o;
  // The golden machine: clock at 2026-11-24T09:41:52Z, UTC, hostname "vm".
  o.received = absl::FromCivil(absl::CivilSecond(2026, 11, 24, 9, 41, 52),
                               absl::UTCTimeZone());
  o.local_utc_offset_seconds = 0;
  o.host_from = "vm";
  return o;
}

void ExpectPair(const Message& m, const json& output, const std::string& key,
                const std::string& context) {
  std::optional<std::string> want = GoldenValue(output, key);
  std::optional<std::string_view> got = m.Get(key);
  if (!want.has_value()) {
    EXPECT_FALSE(got.has_value()) << context << ": " << key << " should be unset";
    return;
  }
  ASSERT_TRUE(got.has_value()) << context << ": " << key << " unset";
  EXPECT_EQ(std::string(*got), *want) << context << ": " << key;
}

TEST(GoldenParseTest, AllGoldenInputsParseLikeSyslogNg) {
  std::optional<json> golden = LoadGolden("scope-everything.json");
  if (!golden) GTEST_SKIP() << "PYDEST_GOLDEN_DIR not set or missing";
  const ParseOptions options = GoldenOptions();
  int checked = 0;
  for (const json& r : (*golden)["results"]) {
    if (r["output"].is_null()) continue;
    const json& out = r["output"];
    std::string input =
        test::DecodePyBytesRepr(r["input_bytes_repr"].get<std::string>());
    bool rfc5424 = r["input_set"] == "rfc5424";
    std::string context = r["input_set"].get<std::string>() + " #" +
                          std::to_string(r["input_index"].get<int>());
    Message m = ParseLine(
        input, rfc5424 ? InputFormat::kRfc5424 : InputFormat::kRfc3164,
        options);
    // The same result through auto-detection.
    Message m_auto = ParseLine(input, InputFormat::kAuto, options);
    EXPECT_EQ(m_auto.text(), m.text()) << context;
    EXPECT_EQ(m_auto.program(), m.program()) << context;

    EXPECT_EQ(m.flags() & kMessageParseError, 0u) << context;
    for (const char* key : {"HOST", "HOST_FROM", "PROGRAM", "PID", "MSGID",
                            "MESSAGE", "LEGACY_MSGHDR"}) {
      ExpectPair(m, out, key, context);
    }
    EXPECT_EQ(std::to_string(m.facility()), *GoldenValue(out, "FACILITY_NUM"))
        << context;
    EXPECT_EQ(std::to_string(m.severity()), *GoldenValue(out, "LEVEL_NUM"))
        << context;
    EXPECT_EQ(std::to_string(m.pri()), *GoldenValue(out, "PRI")) << context;

    bool no_header = input.empty() || input[0] != '<';
    if (no_header) {
      // No header: the event time is the receive time (time-dependent in
      // the golden runs, so compared with our own receive time).
      EXPECT_EQ(m.stamp(), m.received()) << context;
    } else {
      EXPECT_EQ(std::to_string(m.stamp().unix_seconds),
                *GoldenValue(out, "UNIXTIME"))
          << context;
      char usec[8];
      std::snprintf(usec, sizeof(usec), "%06d", m.stamp().microseconds);
      EXPECT_EQ(usec, *GoldenValue(out, "USEC")) << context;
      int off = m.stamp().utc_offset_seconds;
      char tz[8];
      std::snprintf(tz, sizeof(tz), "%c%02d:%02d", off < 0 ? '-' : '+',
                    std::abs(off) / 3600, std::abs(off) % 3600 / 60);
      EXPECT_EQ(tz, *GoldenValue(out, "TZOFFSET")) << context;
    }
    // Structured data from the line (syslog-ng adds its own
    // [meta sequenceId] on top, which is not the reader's business).
    for (const auto& [key, value] : out.items()) {
      if (key.rfind(".SDATA.", 0) != 0 || key == ".SDATA.meta.sequenceId") {
        continue;
      }
      std::optional<std::string_view> got = m.Get(key);
      ASSERT_TRUE(got.has_value()) << context << ": " << key;
      EXPECT_EQ(std::string(*got),
                test::DecodePyBytesRepr(value[1].get<std::string>()))
          << context << ": " << key;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 13);
}

// syslog-ng's json-parser(prefix(".json.")) ran on every golden message whose
// MESSAGE is JSON; the JSON reader renders ordinary fields the same way.
TEST(GoldenParseTest, JsonFieldsRenderLikeSyslogNgJsonParser) {
  std::optional<json> golden = LoadGolden("scope-everything.json");
  if (!golden) GTEST_SKIP() << "PYDEST_GOLDEN_DIR not set or missing";
  ParseOptions options = GoldenOptions();
  options.json_prefix = ".json.";
  int checked = 0;
  for (const json& r : (*golden)["results"]) {
    if (r["output"].is_null()) continue;
    const json& out = r["output"];
    std::optional<std::string> text = GoldenValue(out, "MESSAGE");
    if (!text || text->empty() || (*text)[0] != '{') continue;
    Message m = ParseJsonLine(*text, options);
    ASSERT_EQ(m.flags(), 0u) << *text;
    for (const auto& [key, value] : out.items()) {
      if (key.rfind(".json.", 0) != 0) continue;
      std::optional<std::string_view> got = m.Get(key);
      ASSERT_TRUE(got.has_value()) << key;
      EXPECT_EQ(std::string(*got),
                test::DecodePyBytesRepr(value[1].get<std::string>()))
          << key;
      ++checked;
    }
    // And nothing beyond what syslog-ng made.
    m.ForEachPair([&](std::string_view name, std::string_view) {
      if (name.substr(0, 6) == ".json.") {
        EXPECT_TRUE(out.contains(std::string(name))) << name;
      }
    });
  }
  EXPECT_EQ(checked, 6);
}

}  // namespace
}  // namespace pydest
