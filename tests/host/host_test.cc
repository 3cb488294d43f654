// PyDestinationHost end to end, with real Python classes
// (tests/host/classes/behave.py): the call order and thread split of the
// golden call-order probes, and the failure modes a destination can throw
// at the host — none of which may crash the test process or leave a
// message without exactly one outcome.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "pydest/host.h"

namespace pydest {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<nlohmann::json> ReadJsonLines(const fs::path& path) {
  std::vector<nlohmann::json> out;
  std::istringstream lines(ReadFile(path));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

Message TextMessage(const std::string& text) {
  return MessageBuilder().SetText(text).SetHost("h").SetProgram("p").Build();
}

// One destination under test: its options, outcomes and log records.
class HostRun {
 public:
  HostRun(const std::string& cls,
          std::vector<std::pair<std::string, std::string>> opts) {
    static int counter = 0;
    out_ = fs::temp_directory_path() /
           absl::StrCat("pydest_host_test_", ::getpid(), "_", ++counter,
                        ".jsonl");
    fs::remove(out_);
    options.name = "d_py#0";
    options.class_name = "behave." + cls;
    options.python_path = {PYDEST_TEST_CLASSES_DIR};
    options.version = ConfigVersion{3, 38};
    options.state_dir = fs::temp_directory_path().string();
    opts.emplace_back("out", out_.string());
    for (auto& [k, v] : opts) {
      OptionValue value;
      value.text = v;
      options.options.emplace_back(k, value);
    }
    options.on_outcome = [this](const Message& m, Outcome o) {
      absl::MutexLock lock(&mu_);
      outcomes_[std::string(m.text())].push_back(o);
      ++count_;
      cv_.SignalAll();
    };
    options.log_sink = [this](const LogRecord& r) {
      absl::MutexLock lock(&mu_);
      logs_.push_back(r);
    };
  }
  ~HostRun() { fs::remove(out_); }

  absl::Status Create() {
    auto host = PyDestinationHost::Create(options);
    if (!host.ok()) return host.status();
    host_ = std::move(*host);
    return absl::OkStatus();
  }
  PyDestinationHost& host() { return *host_; }

  bool WaitOutcomes(size_t n, absl::Duration timeout = absl::Seconds(30)) {
    const absl::Time deadline = absl::Now() + timeout;
    absl::MutexLock lock(&mu_);
    while (count_ < n) {
      if (cv_.WaitWithDeadline(&mu_, deadline)) break;
    }
    return count_ >= n;
  }
  // text -> its outcomes (exactly one expected).
  std::map<std::string, std::vector<Outcome>> outcomes() {
    absl::MutexLock lock(&mu_);
    return outcomes_;
  }
  void ExpectOneOutcomeEach(const std::vector<std::string>& texts,
                            Outcome expected) {
    auto all = outcomes();
    for (const std::string& t : texts) {
      ASSERT_EQ(all[t].size(), 1u) << t;
      EXPECT_EQ(all[t][0], expected)
          << t << ": " << OutcomeName(all[t][0]);
    }
  }
  int CountLogs(const std::string& text) {
    absl::MutexLock lock(&mu_);
    int n = 0;
    for (const LogRecord& r : logs_) n += r.text.find(text) != std::string::npos;
    return n;
  }
  std::vector<nlohmann::json> Calls() { return ReadJsonLines(out_); }

  DestinationOptions options;

 private:
  fs::path out_;
  std::unique_ptr<PyDestinationHost> host_;
  absl::Mutex mu_;
  absl::CondVar cv_;
  size_t count_ = 0;
  std::map<std::string, std::vector<Outcome>> outcomes_;
  std::vector<LogRecord> logs_;
};

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

void SendAll(PyDestinationHost& host, const std::vector<std::string>& texts) {
  for (const std::string& t : texts) {
    ASSERT_TRUE(host.Send(TextMessage(t)).ok());
  }
}

absl::Time In(absl::Duration d) { return absl::Now() + d; }

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
    run.options.batch_timeout_ms = 500;
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

TEST(HostTest, ModuleThatDoesNotImportFailsCreate) {
  HostRun run("X", {});
  run.options.class_name = "pydest_no_such_module.Dest";
  const absl::Status st = run.Create();
  EXPECT_FALSE(st.ok());
  EXPECT_THAT(std::string(st.message()), HasSubstr("pydest_no_such_module"));
}

TEST(HostTest, InitReturningFalseFailsCreateWithoutWorkers) {
  HostRun run("BehaveDest", {{"init_ret", "false"}});
  const absl::Status st = run.Create();
  EXPECT_FALSE(st.ok());
  EXPECT_THAT(std::string(st.message()), HasSubstr("init()"));
  // As the init-false probe: __init__ and init, nothing on a worker.
  std::string calls;
  for (const auto& c : run.Calls()) calls += c["call"].get<std::string>() + " ";
  EXPECT_EQ(calls, "__init__ init ");
}

TEST(HostTest, InitRaisingFailsCreateWithTraceback) {
  HostRun run("BehaveDest", {{"init_ret", "raise"}});
  const absl::Status st = run.Create();
  EXPECT_FALSE(st.ok());
  EXPECT_THAT(std::string(st.message()), HasSubstr("init raised on purpose"));
}

TEST(HostTest, OpenFalseForeverShutdownReturnsByDeadline) {
  HostRun run("BehaveDest", {{"open_ret", "false"}});
  run.options.time_reopen = absl::Milliseconds(50);
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"m1"});
  const absl::Time deadline = In(absl::Milliseconds(500));
  EXPECT_TRUE(run.host().Shutdown(deadline).ok());
  EXPECT_LE(absl::Now(), deadline + absl::Milliseconds(200));
  run.ExpectOneOutcomeEach({"m1"}, Outcome::kDroppedShutdown);
}

TEST(HostTest, OpenRaisingIsRetriedLikeFalse) {
  HostRun run("BehaveDest", {{"open_ret", "raise"}});
  run.options.time_reopen = absl::Milliseconds(20);
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"m1"});
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_TRUE(run.host().Shutdown(In(absl::Seconds(2))).ok());
  run.ExpectOneOutcomeEach({"m1"}, Outcome::kDroppedShutdown);
  EXPECT_GE(run.CountLogs("Exception while calling a Python function"), 2);
  EXPECT_GE(run.host().stats().python_exceptions, 2u);
}

class SendResultTest : public testing::TestWithParam<const char*> {};

// send() raising, returning False/None/a string/a float/an out-of-range
// int, SystemExit and KeyboardInterrupt: all are ERROR (spec 3.1), so the
// message is retried and dropped, and the process lives on.
TEST_P(SendResultTest, ErrorResultsRetryThenDrop) {
  HostRun run("BehaveDest", {{"send_ret", GetParam()}});
  run.options.time_reopen = absl::Milliseconds(10);
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"m1", "m2"});
  ASSERT_TRUE(run.WaitOutcomes(2));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  run.ExpectOneOutcomeEach({"m1", "m2"}, Outcome::kDroppedRetriesExhausted);
  int sends = 0;
  for (const auto& c : run.Calls()) sends += c["call"] == "send";
  EXPECT_EQ(sends, 6);  // retries(3) per message
  EXPECT_EQ(run.host().stats().dropped_retries_exhausted, 2u);
}

INSTANTIATE_TEST_SUITE_P(Results, SendResultTest,
                         testing::Values("false", "none", "str", "float", "7",
                                         "-1", "1", "raise", "exit",
                                         "keyboard"),
                         [](const auto& info) {
                           std::string n = info.param;
                           return n == "-1" ? std::string("minus1")
                                            : "ret_" + n;
                         });

TEST(HostTest, SendReturningDropConstantDropsMessage) {
  HostRun run("BehaveDest", {{"send_ret", "0"}});
  run.options.time_reopen = absl::Milliseconds(10);
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"m1"});
  ASSERT_TRUE(run.WaitOutcomes(1));
  run.ExpectOneOutcomeEach({"m1"}, Outcome::kDroppedByDestination);
}

TEST(HostTest, SendBlockingLongShutdownDeadlineHonoured) {
  HostRun run("BehaveDest", {{"send_ret", "sleep"}, {"sleep", "20"}});
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"m1", "m2"});
  // Let the worker get into send().
  for (int i = 0; i < 200; ++i) {
    bool in_send = false;
    for (const auto& c : run.Calls()) in_send |= c["call"] == "send";
    if (in_send) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  const absl::Time deadline = In(absl::Milliseconds(300));
  const absl::Status st = run.host().Shutdown(deadline);
  EXPECT_EQ(st.code(), absl::StatusCode::kDeadlineExceeded) << st;
  EXPECT_THAT(std::string(st.message()), HasSubstr("send"));
  EXPECT_LE(absl::Now(), deadline + absl::Seconds(1));
  run.ExpectOneOutcomeEach({"m1", "m2"}, Outcome::kDroppedShutdown);
}

TEST(HostTest, ClassStartingNonDaemonThreadDoesNotHangShutdown) {
  HostRun run("BehaveDest", {{"init_ret", "thread"}});
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"m1"});
  ASSERT_TRUE(run.host().Flush(In(absl::Seconds(30))).ok());
  EXPECT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  run.ExpectOneOutcomeEach({"m1"}, Outcome::kDelivered);
}

TEST(HostTest, TenHostThreadsSendConcurrently) {
  HostRun run("BehaveDest", {});
  run.options.workers = 2;
  ASSERT_TRUE(run.Create().ok());
  constexpr int kThreads = 10, kPerThread = 100;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&run, t] {
      for (int i = 0; i < kPerThread; ++i) {
        EXPECT_TRUE(run.host()
                        .Send(TextMessage(absl::StrCat("t", t, "-", i)))
                        .ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_TRUE(run.host().Flush(In(absl::Seconds(60))).ok());
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(10))).ok());
  auto all = run.outcomes();
  ASSERT_EQ(all.size(), size_t{kThreads * kPerThread});
  for (auto& [text, list] : all) {
    ASSERT_EQ(list.size(), 1u) << text;
    EXPECT_EQ(list[0], Outcome::kDelivered) << text;
  }
  const DestinationStats s = run.host().stats();
  EXPECT_EQ(s.delivered, uint64_t{kThreads * kPerThread});
  EXPECT_EQ(s.processed, s.queued);
}

TEST(HostTest, SendAfterShutdownIsNotAccepted) {
  HostRun run("BehaveDest", {});
  ASSERT_TRUE(run.Create().ok());
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  EXPECT_EQ(run.host().Send(TextMessage("late")).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(run.host().TrySend(TextMessage("later")));
  run.ExpectOneOutcomeEach({"late"}, Outcome::kDroppedNotAccepted);
  // A second Shutdown returns the first one's status.
  EXPECT_TRUE(run.host().Shutdown(In(absl::Seconds(1))).ok());
}

TEST(HostTest, TrySendBatchReachesPythonInOrderWithOneOutcomeEach) {
  HostRun run("BehaveDest", {});
  ASSERT_TRUE(run.Create().ok());
  std::vector<std::string> texts;
  std::vector<Message> batch;
  for (int i = 0; i < 300; ++i) {  // more than one 256-message slice
    texts.push_back(absl::StrCat("m", i));
    batch.push_back(TextMessage(texts.back()));
  }
  ASSERT_EQ(run.host().TrySendBatch(batch), batch.size());
  ASSERT_TRUE(run.host().Flush(In(absl::Seconds(60))).ok());
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(10))).ok());
  run.ExpectOneOutcomeEach(texts, Outcome::kDelivered);
  EXPECT_EQ(run.outcomes().size(), texts.size());
  std::vector<std::string> sent;
  for (const auto& c : run.Calls()) {
    if (c["call"] == "send") sent.push_back(c["msg"].get<std::string>());
  }
  EXPECT_EQ(sent, texts);
}

// A host that implements only TrySend: accepts the first `room` messages.
class TrySendOnlyHost : public PyDestinationHost {
 public:
  explicit TrySendOnlyHost(size_t room) : room_(room) {}
  absl::Status Send(Message) override { return absl::UnimplementedError(""); }
  bool TrySend(Message message) override {
    tried.emplace_back(message.text());
    if (room_ == 0) return false;
    --room_;
    return true;
  }
  absl::Status Flush(absl::Time) override { return absl::OkStatus(); }
  absl::Status Shutdown(absl::Time) override { return absl::OkStatus(); }
  DestinationStats stats() const override { return {}; }

  std::vector<std::string> tried;

 private:
  size_t room_;
};

TEST(HostTest, DefaultTrySendBatchStopsAtTheFirstRefusal) {
  TrySendOnlyHost host(/*room=*/2);
  const std::vector<Message> batch = {TextMessage("a"), TextMessage("b"),
                                      TextMessage("c"), TextMessage("d")};
  EXPECT_EQ(host.TrySendBatch(batch), 2u);
  // c was refused; d was never offered.
  EXPECT_THAT(host.tried, testing::ElementsAre("a", "b", "c"));
  EXPECT_EQ(host.TrySendBatch({}), 0u);
  EXPECT_EQ(TrySendOnlyHost(10).TrySendBatch(batch), 4u);
}

TEST(HostTest, StatsToJsonHasEveryCounter) {
  DestinationStats s;
  s.queued = 5;
  s.delivered = 3;
  s.dropped_shutdown = 2;
  s.processed = 5;
  const auto j = nlohmann::json::parse(s.ToJson());
  for (const char* key :
       {"queued", "processed", "delivered", "dropped", "dropped_by_destination",
        "dropped_retries_exhausted", "dropped_on_error",
        "dropped_queue_overflow", "dropped_shutdown", "dropped_not_accepted",
        "retries", "reopens", "suspended_ms", "python_exceptions", "batches",
        "casting_errors", "queue_depth", "queue_capacity",
        "late_completions", "written_bytes"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["delivered"], 3);
  EXPECT_EQ(j["dropped"], 2);
}

TEST(HostTest, OutcomeNameNamesEveryOutcome) {
  EXPECT_STREQ(OutcomeName(Outcome::kDelivered), "delivered");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedByDestination),
               "dropped_by_destination");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedRetriesExhausted),
               "dropped_retries_exhausted");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedOnError), "dropped_on_error");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedQueueOverflow),
               "dropped_queue_overflow");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedShutdown), "dropped_shutdown");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedNotAccepted),
               "dropped_not_accepted");
}

}  // namespace
}  // namespace pydest
