// Replays every lifecycle probe of golden/behaviour (what syslog-ng 3.38
// really called, in which order, on which thread) with a FakeDriver scripted
// like the probe's class (anchordest.BehaveDest, options from b.conf), in
// simulated time: the messages arrive at t_feed and the stop comes at
// t_stop, both relative to the worker's first call. The worker's call
// sequence must equal the probe's.
//
// The init-* probes never reach a worker (init fails on the main thread);
// the host tests cover them.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/delivery/harness.h"

namespace pydest::internal {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<fs::path> BehaviourDir() {
  const char* golden = std::getenv("PYDEST_GOLDEN_DIR");
  if (golden == nullptr) return std::nullopt;
  fs::path dir = fs::path(golden) / "behaviour";
  if (!fs::is_directory(dir)) return std::nullopt;
  return dir;
}

std::vector<std::string> ProbeNames() {
  std::vector<std::string> names;
  if (auto dir = BehaviourDir()) {
    for (const auto& entry : fs::directory_iterator(*dir)) {
      if (entry.is_directory() && fs::exists(entry.path() / "calls.jsonl")) {
        names.push_back(entry.path().filename().string());
      }
    }
  }
  std::sort(names.begin(), names.end());
  if (names.empty()) names.push_back("none");  // reported as skipped
  return names;
}

// The value of option "key" in b.conf's options("k" "v" ...) list.
std::string ProbeOption(const std::string& conf, const std::string& key) {
  std::smatch m;
  std::regex re("\"" + key + "\" \"([^\"]*)\"");
  return std::regex_search(conf, m, re) ? m[1].str() : "";
}

// The integer option `name(N)` of `conf`, or nullopt when it has none.
std::optional<int> FindIntOption(const std::string& conf,
                                 const std::string& name) {
  std::smatch m;
  std::regex re(name + "\\((-?[0-9]+)\\)");
  if (!std::regex_search(conf, m, re)) return std::nullopt;
  return std::stoi(m[1].str());
}

int IntOption(const std::string& conf, const std::string& name, int def) {
  return FindIntOption(conf, name).value_or(def);
}

// BehaveDest's knobs, as the fake driver's script.
FakeDriver::Script ScriptFor(const std::string& conf) {
  FakeDriver::Script s;
  s.has_is_opened = conf.find("BehaveDestNoIsOpened") == std::string::npos;
  const std::string open = ProbeOption(conf, "open_ret");
  if (open == "false" || open == "raise") {
    s.open = [](int) { return false; };
  } else if (open == "false-first-2") {
    s.open = [](int n) { return n > 2; };
  }
  if (ProbeOption(conf, "is_opened_ret") == "false") {
    s.is_opened = [](int) { return false; };
  }
  const std::string send = ProbeOption(conf, "send_ret");
  if (send == "false" || send == "none" || send == "raise" ||
      send == "error") {
    s.send = [](const std::string&, int) {
      return DeliveryResult::kError;
    };
  } else if (send == "drop") {
    s.send = [](const std::string&, int) {
      return DeliveryResult::kDrop;
    };
  } else if (send == "not_connected") {
    s.send = [](const std::string&, int) {
      return DeliveryResult::kNotConnected;
    };
  } else if (send == "retry") {
    s.send = [](const std::string&, int) {
      return DeliveryResult::kRetry;
    };
  } else if (send == "queued") {
    s.send = [](const std::string&, int) {
      return DeliveryResult::kQueued;
    };
  } else if (send == "fail-first-2-false") {
    s.send = [](const std::string&, int n) {
      return n <= 2 ? DeliveryResult::kError
                          : DeliveryResult::kSuccess;
    };
  }
  if (ProbeOption(conf, "flush_ret") == "false") {
    s.flush = [](int) { return DeliveryResult::kError; };
  }
  return s;
}

class GoldenBehaviourTest : public testing::TestWithParam<std::string> {};

TEST_P(GoldenBehaviourTest, WorkerCallSequenceMatchesSyslogNg) {
  auto dir = BehaviourDir();
  if (!dir) GTEST_SKIP() << "PYDEST_GOLDEN_DIR/behaviour not found";
  const fs::path probe = *dir / GetParam();
  const std::string conf = ReadFile(probe / "b.conf");

  // The worker thread is the one that called open() first.
  std::vector<nlohmann::json> calls;
  std::istringstream lines(ReadFile(probe / "calls.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) calls.push_back(nlohmann::json::parse(line));
  }
  std::optional<uint64_t> worker_tid;
  double t0 = 0;
  for (const auto& c : calls) {
    if (c["call"] == "open") {
      worker_tid = c["tid"].get<uint64_t>();
      t0 = c["t"].get<double>();
      break;
    }
  }
  if (!worker_tid) GTEST_SKIP() << "init failed in this probe: no worker";
  std::string expected;
  for (const auto& c : calls) {
    if (c["tid"].get<uint64_t>() != *worker_tid) {
      // init/deinit/__init__ ran on the main thread only.
      EXPECT_TRUE(c["call"] == "__init__" || c["call"] == "init" ||
                  c["call"] == "deinit")
          << c.dump();
      continue;
    }
    if (!expected.empty()) expected += ' ';
    std::string name = c["call"].get<std::string>();
    if (name == "send") name += "(" + c["msg"].get<std::string>() + ")";
    expected += name;
  }
  const double feed = std::stod(ReadFile(probe / "t_feed")) - t0;
  const double stop = std::stod(ReadFile(probe / "t_stop")) - t0;

  Harness h;
  // syslog-ng 3.38's python() forces time-reopen to 1 s whatever the
  // configuration says (syslog-ng-behaviour.md §1.3); libpydest honours
  // explicit values, so the replay uses what 3.38 used.
  h.options.time_reopen = absl::Seconds(1);
  h.options.retries = IntOption(conf, "retries", 3);
  h.options.batch_lines = FindIntOption(conf, "batch-lines");
  if (std::optional<int> ms = FindIntOption(conf, "batch-timeout")) {
    h.options.batch_timeout = absl::Milliseconds(*ms);
  }
  h.AddDriver(ScriptFor(conf));
  const absl::Time start = h.clock().Now();
  h.clock().SetHorizon(start + absl::Seconds(feed));
  h.Start();
  ASSERT_TRUE(h.clock().WaitIdle(1));
  // The probe appended the three lines at once: queue them before the
  // worker can wake up for the first.
  h.clock().Pause();
  for (const char* m : {"m1", "m2", "m3"}) h.Send(m);
  h.clock().Resume();
  h.clock().SetHorizon(start + absl::Seconds(stop));
  ASSERT_TRUE(h.clock().WaitIdle(1));
  ASSERT_TRUE(h.ShutdownNow().ok());

  EXPECT_EQ(h.driver().Sequence(), expected) << "probe " << GetParam();
  // Every message has exactly one outcome, whatever the probe did.
  EXPECT_EQ(h.OutcomeByText().size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(
    Probes, GoldenBehaviourTest, testing::ValuesIn(ProbeNames()),
    [](const testing::TestParamInfo<std::string>& info) {
      std::string name = info.param;
      for (char& c : name) {
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

}  // namespace
}  // namespace pydest::internal
