// The golden call-order probes replayed against the real Python classes
// (tests/host/classes/behave.py): the calls a destination sees, in order,
// and the thread each runs on, must be those real syslog-ng made.
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "pydest/host.h"
#include "tests/host/host_test_util.h"

namespace pydest {
namespace {

namespace fs = std::filesystem;

// The worker's calls ("open is_opened send(m1) ..."), and checks that
// __init__/init/deinit ran on one other thread (the creating one).
std::string WorkerSequence(const std::vector<nlohmann::json>& calls) {
  std::optional<uint64_t> worker, main;
  std::string seq;
  for (const auto& c : calls) {
    const std::string name = c["call"];
    const uint64_t tid = c["tid"];
    if (name == "__init__" || name == "init" || name == "deinit") {
      if (!main) main = tid;
      EXPECT_EQ(tid, *main) << name;
      continue;
    }
    if (!worker) worker = tid;
    EXPECT_EQ(tid, *worker) << name;
    if (!seq.empty()) seq += ' ';
    seq += name == "send" ? "send(" + c["msg"].get<std::string>() + ")" : name;
  }
  if (main && worker) {
    EXPECT_NE(*main, *worker);
  }
  return seq;
}

std::string GoldenWorkerSequence(const std::string& probe) {
  const char* golden = std::getenv("PYDEST_GOLDEN_DIR");
  if (golden == nullptr) return "";
  const fs::path calls = fs::path(golden) / "behaviour" / probe / "calls.jsonl";
  if (!fs::exists(calls)) return "";
  return WorkerSequence(ReadJsonLines(calls));
}

class CallOrderTest : public testing::TestWithParam<
                          std::pair<const char*, const char*>> {};

TEST_P(CallOrderTest, CallOrderAndThreadsMatchGoldenProbe) {
  const auto [probe, cls] = GetParam();
  const std::string expected = GoldenWorkerSequence(probe);
  if (expected.empty()) GTEST_SKIP() << "golden probe " << probe << " missing";
  // open() takes a moment, so the three messages wait together, as the
  // probe's three lines did.
  HostRun run(cls, {{"open_delay", "0.3"}});
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"m1", "m2", "m3"});
  ASSERT_TRUE(run.host().Flush(In(absl::Seconds(30))).ok());
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(30))).ok());
  const auto calls = run.Calls();
  EXPECT_EQ(WorkerSequence(calls), expected);
  ASSERT_GE(calls.size(), 3u);
  EXPECT_EQ(calls[0]["call"], "__init__");
  EXPECT_EQ(calls[1]["call"], "init");
  EXPECT_EQ(calls.back()["call"], "deinit");
  run.ExpectOneOutcomeEach({"m1", "m2", "m3"}, Outcome::kDelivered);
}

INSTANTIATE_TEST_SUITE_P(
    Golden, CallOrderTest,
    testing::Values(std::make_pair("call-order", "BehaveDest"),
                    std::make_pair("call-order-noisopened",
                                   "BehaveDestNoIsOpened")),
    [](const auto& info) {
      return std::string(info.param.second);
    });

// The golden probes whose call sequence does not depend on how long the
// probe ran (every message reaches an outcome), replayed with the probe's
// options against the real class, with a 20 ms time-reopen instead of 1 s.
class GoldenProbeTest : public testing::TestWithParam<const char*> {};

TEST_P(GoldenProbeTest, CallSequenceMatchesGoldenProbe) {
  const std::string probe = GetParam();
  const std::string expected = GoldenWorkerSequence(probe);
  if (expected.empty()) GTEST_SKIP() << "golden probe " << probe << " missing";
  const fs::path conf =
      fs::path(std::getenv("PYDEST_GOLDEN_DIR")) / "behaviour" / probe /
      "b.conf";
  const std::string text = ReadFile(conf);
  std::vector<std::pair<std::string, std::string>> opts = {
      {"open_delay", "0.3"}};
  for (const char* key : {"send_ret", "open_ret", "flush_ret"}) {
    const std::string quoted = std::string("\"") + key + "\" \"";
    const size_t at = text.find(quoted);
    if (at == std::string::npos) continue;
    const size_t begin = at + quoted.size();
    opts.emplace_back(key, text.substr(begin, text.find('"', begin) - begin));
  }
  HostRun run("BehaveDest", opts);
  run.options.time_reopen = absl::Milliseconds(20);
  if (text.find("retries(1)") != std::string::npos) run.options.retries = 1;
  if (text.find("batch-lines(2)") != std::string::npos) {
    run.options.batch_lines = 2;
    run.options.batch_timeout = absl::Milliseconds(500);
  }
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"m1", "m2", "m3"});
  ASSERT_TRUE(run.WaitOutcomes(3));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(30))).ok());
  EXPECT_EQ(WorkerSequence(run.Calls()), expected);
  EXPECT_EQ(run.outcomes().size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(
    Golden, GoldenProbeTest,
    testing::Values("send-false", "send-none", "send-raise",
                    "send-error-const", "send-fail-first-2-false",
                    "send-false-retries1", "send-drop-const", "open-none",
                    "open-false-first-2"),
    [](const auto& info) {
      std::string name = info.param;
      for (char& c : name) {
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

}  // namespace
}  // namespace pydest
