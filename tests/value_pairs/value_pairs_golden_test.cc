// Golden conformance: for every case recorded from real syslog-ng 3.38
// (PYDEST_GOLDEN_DIR/*.json), the same inputs go through pydest::ParseLine,
// the case's config_fragment through pydest::ParsePythonOptions, and
// ValuePairs::Evaluate under @version 3.38 with the case's on-error(); the
// Record must equal the dict send() received: same keys in the same order,
// same Python type names, same repr() of each value. A message syslog-ng
// did not deliver must be dropped by on-error(drop-message).
//
// Not compared: the case's time_dependent_keys (they differed between two
// recording runs), host-dependent keys, and the deliberate differences in
// kDeviations of golden_cases.cc (each with its reason; see
// docs/compatibility.md).
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libpydest/value_pairs/value_pairs.h"
#include "nlohmann/json.hpp"
#include "py_repr.h"
#include "tests/message/golden_case.h"
#include "tests/value_pairs/golden_cases.h"

namespace pydest::internal {
namespace {

using pydest::testing::CaseResult;
using pydest::testing::DiffOutput;
using pydest::testing::CompileGoldenCase;
using pydest::testing::Deviation;
using pydest::testing::FindDeviation;
using pydest::testing::GoldenCase;
using pydest::testing::GoldenCaseFiles;
using pydest::testing::GoldenDir;
using pydest::testing::GoldenPipeline;
using pydest::testing::GoldenResult;
using pydest::testing::IsComparedKey;
using pydest::testing::LoadGoldenCase;
using pydest::testing::TypedValue;

// The "Casting error" lines syslog-ng logged in the recording runs, with
// the "syslog-ng[pid]: " prefix removed.
std::set<std::string> RecordedCastingErrors(const std::string& dir) {
  std::set<std::string> out;
  std::ifstream in(dir + "/_internal-messages.json");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return out;
  for (const auto& [set, runs] : j.items()) {
    for (const auto& [run, lines] : runs.items()) {
      for (const auto& line : lines) {
        std::string text = line.get<std::string>();
        size_t p = text.find("Casting error");
        if (p != std::string::npos) out.insert(text.substr(p));
      }
    }
  }
  return out;
}

// A LogRecord the way syslog-ng prints an internal message:
// "text; tag='value', tag='value'" with ' and \\ escaped.
std::string FormatInternal(const LogRecord& r) {
  std::string s = r.text + ";";
  for (size_t i = 0; i < r.tags.size(); ++i) {
    s += (i == 0 ? " " : ", ") + r.tags[i].first + "='";
    for (char c : r.tags[i].second) {
      if (c == '\'' || c == '\\') s.push_back('\\');
      s.push_back(c);
    }
    s += "'";
  }
  return s;
}

class ValuePairsGoldenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = GoldenDir();
    if (dir_.empty()) GTEST_SKIP() << "PYDEST_GOLDEN_DIR not set or missing";
    std::string error;
    ASSERT_TRUE(pipeline_.Load(dir_, &error)) << error;
  }

  std::string dir_;
  GoldenPipeline pipeline_;
};

TEST_F(ValuePairsGoldenTest, EveryCaseMatchesSyslogNg338) {
  int cases = 0, cases_matched = 0, cases_skipped = 0;
  int keys = 0, keys_matched = 0;
  TemplateOptions template_options;  // ts-format(rfc3164), frac-digits(0)
  const std::set<std::string> recorded_errors = RecordedCastingErrors(dir_);
  int casting_errors = 0;
  for (const std::string& file : GoldenCaseFiles(dir_)) {
    GoldenCase c;
    ASSERT_TRUE(LoadGoldenCase(dir_ + "/" + file, &c)) << file;
    ++cases;
    if (const Deviation* d = FindDeviation(c.name, "*")) {
      std::printf("[ skipped ] %s: %s\n", c.name.c_str(), d->reason);
      ++cases_skipped;
      continue;
    }
    auto vp = CompileGoldenCase(c);
    ASSERT_TRUE(vp.ok()) << c.name << ": " << vp.status();

    bool case_ok = true;
    std::map<std::string, uint64_t> seqnum;
    for (const CaseResult& r : c.results) {
      std::string where = c.name + " " + r.input_set + "#" +
                          std::to_string(r.input_index);
      uint64_t seq = ++seqnum[r.input_set];
      const GoldenResult* rich = pipeline_.Rich(r);
      ASSERT_NE(rich, nullptr) << where;
      Message msg = pipeline_.BuildMessage(r, *rich);
      MacroContext ctx = pipeline_.Context(*rich, seq, &template_options);

      Record record;
      EvaluationReport report;
      (*vp)->Evaluate(msg, ctx, &record, &report);
      // Every "Casting error" we report is one syslog-ng logged, word for
      // word; the silently-* policies report none.
      for (const LogRecord& log : report.log) {
        ++casting_errors;
        EXPECT_EQ(recorded_errors.count(FormatInternal(log)), 1u)
            << where << ": syslog-ng never logged: " << FormatInternal(log);
      }
      if (c.fragment.find("silently-") != std::string::npos) {
        EXPECT_TRUE(report.log.empty()) << where;
      }
      if (!r.delivered) {
        ++keys;
        if (report.drop_message) {
          ++keys_matched;
        } else {
          case_ok = false;
          ADD_FAILURE() << where << ": syslog-ng did not deliver it; ours "
                        << "did not drop it";
        }
        continue;
      }
      if (report.drop_message) {
        case_ok = false;
        ADD_FAILURE() << where << ": dropped, but syslog-ng delivered it";
        continue;
      }
      std::map<std::string, TypedValue> ours;
      std::vector<std::string> our_order;
      for (const RecordEntry& e : record.entries) {
        std::string key((*vp)->keys().Name(e.key));
        ours[key] = TypedValue{pydest::testing::PyTypeName(e.kind),
                               pydest::testing::PyRepr(record, e)};
        our_order.push_back(key);
      }
      EXPECT_TRUE(std::is_sorted(our_order.begin(), our_order.end()))
          << where << ": entries not in strcmp order";
      for (const std::string& diff :
           DiffOutput(c, r.output, ours, &keys, &keys_matched)) {
        case_ok = false;
        ADD_FAILURE() << where << ": " << diff;
      }
    }
    if (case_ok) ++cases_matched;
  }
  std::printf(
      "value-pairs golden conformance: %d/%d cases matched (%d skipped), "
      "%d/%d keys matched, %d casting errors reported\n",
      cases_matched, cases - cases_skipped, cases_skipped, keys_matched, keys,
      casting_errors);
  EXPECT_FALSE(recorded_errors.empty());
  EXPECT_GT(cases, 0);
}

}  // namespace
}  // namespace pydest::internal
