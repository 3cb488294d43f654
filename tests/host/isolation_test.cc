// isolation(process) end to end (#15): the class runs in pydest-worker
// processes; what a worker does to itself (exit, segfault, hang, memory)
// costs a try of the message in flight and a restarted worker, never the
// host, and every message still gets exactly one outcome.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/host.h"
#include "tests/host/host_test_util.h"

namespace pydest {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A HostRun of isolation_dest.IsolationDest in worker processes.
class IsolatedRun : public HostRun {
 public:
  explicit IsolatedRun(int workers = 1) : HostRun("X", MarksOption()) {
    options.class_name = "isolation_dest.IsolationDest";
    options.isolation = Isolation::kProcess;
    options.workers = workers;
    options.time_reopen = absl::Milliseconds(10);
    options.retries = 3;
  }
  ~IsolatedRun() { fs::remove_all(marks()); }

  // The folder of the class's "once-" marks (its options "marks").
  std::string marks() const {
    for (const auto& [key, value] : options.options) {
      if (key == "marks") return value.text;
    }
    return "";
  }

  // The delivered messages' texts, in the order the class recorded them.
  std::vector<std::string> Delivered() {
    std::vector<std::string> texts;
    for (const auto& call : Calls()) {
      if (call.contains("msg")) texts.push_back(call["msg"]);
    }
    return texts;
  }
  std::set<int> WorkerPids() {
    std::set<int> pids;
    for (const auto& call : Calls()) {
      if (call.contains("pid")) pids.insert(call["pid"].get<int>());
    }
    return pids;
  }

 private:
  static std::vector<std::pair<std::string, std::string>> MarksOption() {
    static int counter = 0;
    const fs::path dir = fs::temp_directory_path() /
                         absl::StrCat("pydest_isolation_", getpid(), "_",
                                      ++counter);
    fs::create_directories(dir);
    return {{"marks", dir.string()}};
  }
};

std::vector<std::string> Numbered(const std::string& prefix, int n) {
  std::vector<std::string> texts;
  for (int i = 0; i < n; ++i) texts.push_back(absl::StrCat(prefix, i));
  return texts;
}

TEST(IsolationTest, DeliversEveryMessageInOrderFromAnotherProcess) {
  IsolatedRun run;
  ASSERT_TRUE(run.Create().ok());
  const std::vector<std::string> texts = Numbered("m", 500);
  SendAll(run.host(), texts);
  ASSERT_TRUE(run.WaitOutcomes(texts.size()));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  run.ExpectOneOutcomeEach(texts, Outcome::kDelivered);
  EXPECT_EQ(run.Delivered(), texts);
  const std::set<int> pids = run.WorkerPids();
  ASSERT_EQ(pids.size(), 1u);
  EXPECT_NE(*pids.begin(), getpid());
  EXPECT_EQ(run.host().stats().worker_restarts, 0u);
}

TEST(IsolationTest, ExitInSendIsRetriedOnARestartedWorker) {
  IsolatedRun run;
  ASSERT_TRUE(run.Create().ok());
  std::vector<std::string> texts = Numbered("a", 20);
  texts.push_back("once-exit:x");
  for (const std::string& t : Numbered("b", 20)) texts.push_back(t);
  SendAll(run.host(), texts);
  ASSERT_TRUE(run.WaitOutcomes(texts.size()));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  run.ExpectOneOutcomeEach(texts, Outcome::kDelivered);
  // Nothing before the crash is delivered twice: the worker's progress
  // page says which sends finished.
  EXPECT_EQ(run.Delivered(), texts);
  EXPECT_EQ(run.WorkerPids().size(), 2u);
  const DestinationStats stats = run.host().stats();
  EXPECT_EQ(stats.worker_restarts, 1u);
  EXPECT_GE(stats.retries, 1u);
  EXPECT_GE(run.CountLogs("Worker process ended"), 1);
}

TEST(IsolationTest, SegfaultInSendCostsOnlyTheWorker) {
  IsolatedRun run;
  ASSERT_TRUE(run.Create().ok());
  const std::vector<std::string> texts = {"s1", "once-segv:y", "s2"};
  SendAll(run.host(), texts);
  ASSERT_TRUE(run.WaitOutcomes(texts.size()));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  run.ExpectOneOutcomeEach(texts, Outcome::kDelivered);
  EXPECT_EQ(run.host().stats().worker_restarts, 1u);
  EXPECT_GE(run.CountLogs("Worker process ended"), 1);
}

TEST(IsolationTest, AMessageThatKillsEveryWorkerIsDroppedAsPoison) {
  IsolatedRun run;
  run.options.retries = 3;
  ASSERT_TRUE(run.Create().ok());
  const std::vector<std::string> before = Numbered("p", 5);
  const std::vector<std::string> after = Numbered("q", 5);
  std::vector<std::string> texts = before;
  texts.push_back("exit");
  texts.insert(texts.end(), after.begin(), after.end());
  SendAll(run.host(), texts);
  ASSERT_TRUE(run.WaitOutcomes(texts.size()));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  run.ExpectOneOutcomeEach({"exit"}, Outcome::kDroppedPoison);
  run.ExpectOneOutcomeEach(before, Outcome::kDelivered);
  run.ExpectOneOutcomeEach(after, Outcome::kDelivered);
  const DestinationStats stats = run.host().stats();
  EXPECT_EQ(stats.dropped_poison, 1u);
  EXPECT_EQ(stats.worker_restarts, 3u);
  EXPECT_EQ(run.CountLogs("poison"), 1);
}

TEST(IsolationTest, SendTimeoutKillsTheWorkerAndCountsATry) {
  IsolatedRun run;
  run.options.send_timeout = absl::Milliseconds(300);
  run.options.retries = 2;
  ASSERT_TRUE(run.Create().ok());
  const absl::Time start = absl::Now();
  SendAll(run.host(), {"t1", "hang", "t2"});
  ASSERT_TRUE(run.WaitOutcomes(3));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  run.ExpectOneOutcomeEach({"hang"}, Outcome::kDroppedPoison);
  run.ExpectOneOutcomeEach({"t1", "t2"}, Outcome::kDelivered);
  EXPECT_GE(run.CountLogs("send-timeout()"), 2);
  EXPECT_LT(absl::Now() - start, absl::Seconds(20));
}

TEST(IsolationTest, MemoryLimitMakesAHugeAllocationAFailedTry) {
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  // The worker is instrumented too, and its shadow memory alone is far
  // more address space than any RLIMIT_AS here allows.
  GTEST_SKIP() << "a sanitizer's shadow memory does not fit memory-limit()";
#endif
  IsolatedRun run;
  run.options.memory_limit_mib = 512;
  run.options.retries = 2;
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"u1", "big", "u2"});
  ASSERT_TRUE(run.WaitOutcomes(3));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  run.ExpectOneOutcomeEach({"u1", "u2"}, Outcome::kDelivered);
  run.ExpectOneOutcomeEach({"big"}, Outcome::kDroppedRetriesExhausted);
  EXPECT_GE(run.host().stats().python_exceptions, 2u);
  EXPECT_GE(run.CountLogs("Exception while calling a Python function"), 2);
}

TEST(IsolationTest, AMemoryLimitTheInterpreterDoesNotFitInFailsCreateSaySo) {
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "a sanitizer's shadow memory does not fit memory-limit()";
#endif
  IsolatedRun run;
  run.options.memory_limit_mib = 16;  // the least the parser accepts
  const absl::Status st = run.Create();
  EXPECT_FALSE(st.ok());
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("memory-limit(16) may be too small for its Python "
                        "interpreter and libraries to start"));
}

TEST(IsolationTest, ABackgroundThreadLogsWhileNoCallRunsWithoutBlocking) {
  // 3000 records of about 300 bytes: far more than a socket holds, logged
  // by a thread of the class while the host sends nothing.
  IsolatedRun run;
  OptionValue chatty;
  chatty.text = "3000";
  run.options.options.emplace_back("chatty", chatty);
  ASSERT_TRUE(run.Create().ok());
  const fs::path done = fs::path(run.marks()) / "chatty-done";
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  while ((!fs::exists(done) ||
          run.CountLogs("background record") < 3000) &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_TRUE(fs::exists(done)) << "the logging thread was held up";
  EXPECT_EQ(run.CountLogs("background record"), 3000);
  EXPECT_EQ(run.CountLogs("Worker process output"), 0);
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
}

TEST(IsolationTest, AHungSendDoesNotHoldShutdownPastItsDeadline) {
  IsolatedRun run;
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"hang", "v1"});
  absl::SleepFor(absl::Milliseconds(300));
  const absl::Time start = absl::Now();
  const absl::Status st = run.host().Shutdown(In(absl::Seconds(1)));
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(1800));
  // The worker was killed, not abandoned: its thread finished in time.
  EXPECT_TRUE(st.ok()) << st;
  run.ExpectOneOutcomeEach({"hang", "v1"}, Outcome::kDroppedShutdown);
  EXPECT_EQ(run.host().stats().late_completions, 0u);
}

TEST(IsolationTest, WorkerStderrAndExceptionsReachTheHost) {
  IsolatedRun run;
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"stderr", "raise", "w1"});
  ASSERT_TRUE(run.WaitOutcomes(3));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  run.ExpectOneOutcomeEach({"stderr", "w1"}, Outcome::kDelivered);
  run.ExpectOneOutcomeEach({"raise"}, Outcome::kDroppedRetriesExhausted);
  EXPECT_GE(run.CountLogs("Worker process output"), 1);
  EXPECT_GE(run.CountLogs("Exception while calling a Python function"), 3);
  EXPECT_EQ(run.host().stats().python_exceptions, 3u);
}

TEST(IsolationTest, TheWorkerGetsNoFdsOrBlockedSignalsOfTheHost) {
  // A descriptor and a blocked signal of the host's own.
  const int leaked = dup(1);
  ASSERT_GE(leaked, 0);
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  IsolatedRun run;
  ASSERT_TRUE(run.Create().ok());
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  SendAll(run.host(), {"facts"});
  ASSERT_TRUE(run.WaitOutcomes(1));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  close(leaked);
  bool found = false;
  for (const auto& call : run.Calls()) {
    if (!call.contains("fds")) continue;
    found = true;
    std::vector<int> fds = call["fds"];
    // 0-2, the channel (3), the lifeline (5), the class's own open file and the one listdir
    // itself opened (gone by the time the targets were read).
    EXPECT_EQ(fds.size(), 7u) << call.dump();
    EXPECT_EQ(fds[3], 3);
    for (const auto& [fd, target] : call["targets"].items()) {
      if (std::stoi(fd) > 5) {
        EXPECT_THAT(target.get<std::string>(), HasSubstr("pydest_host_test_"))
            << call.dump();
      }
    }
    EXPECT_EQ(call["sigblk"], "0000000000000000");
    EXPECT_TRUE(call["pgid_is_own"].get<bool>());
    EXPECT_EQ(call["ppid"].get<int>(), getpid());
  }
  EXPECT_TRUE(found);
}

// The worker processes that are children of this process.
std::vector<pid_t> WorkerChildren() {
  std::vector<pid_t> pids;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    const size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == getpid() && state != "Z" &&
        line.find("(pydest-worker)") != std::string::npos) {
      pids.push_back(static_cast<pid_t>(std::stoi(name)));
    }
  }
  return pids;
}

TEST(IsolationTest, KillsFromOutsideAtRandomMomentsLoseNothing) {
  IsolatedRun run;
  run.options.retries = 1000;  // a kill is not the message's fault here
  run.options.time_reopen = absl::Milliseconds(1);
  ASSERT_TRUE(run.Create().ok());
  const std::vector<std::string> texts = Numbered("k", 3000);
  std::atomic<bool> done{false};
  int kills = 0;
  std::thread killer([&] {
    uint32_t seed = 12345;
    while (!done.load() && kills < 25) {
      seed = seed * 1103515245 + 12345;
      absl::SleepFor(absl::Microseconds(2000 + seed % 20000));
      for (pid_t pid : WorkerChildren()) {
        if (kill(pid, SIGKILL) == 0) ++kills;
      }
    }
  });
  for (const std::string& t : texts) {
    ASSERT_TRUE(run.host().Send(TextMessage(t)).ok());
    if (t.back() == '0') absl::SleepFor(absl::Microseconds(300));
  }
  ASSERT_TRUE(run.WaitOutcomes(texts.size(), absl::Seconds(120)));
  done = true;
  killer.join();
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  // Exactly one outcome each, every one delivered (at least once).
  run.ExpectOneOutcomeEach(texts, Outcome::kDelivered);
  std::set<std::string> delivered;
  for (const std::string& t : run.Delivered()) delivered.insert(t);
  EXPECT_EQ(delivered.size(), texts.size());
  EXPECT_GE(kills, 5);
  EXPECT_GE(run.host().stats().worker_restarts, 1u);
  EXPECT_LE(run.host().stats().worker_restarts, static_cast<uint64_t>(kills));
}

TEST(IsolationTest, APoisonMessageIsDeadLettered) {
  IsolatedRun run;
  run.options.retries = 2;
  const fs::path dead = fs::temp_directory_path() /
                        absl::StrCat("pydest_isolation_dead_", getpid(),
                                     ".jsonl");
  fs::remove(dead);
  DeadLetterSpec spec;
  spec.file = dead.string();
  run.options.dead_letter = spec;
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"d1", "exit", "d2"});
  ASSERT_TRUE(run.WaitOutcomes(3));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  run.ExpectOneOutcomeEach({"exit"}, Outcome::kDroppedPoison);
  const std::string letters = ReadFile(dead);
  EXPECT_THAT(letters, HasSubstr("\"reason\":\"dropped_poison\""));
  EXPECT_THAT(letters, HasSubstr("\"MESSAGE\":\"exit\""));
  EXPECT_EQ(run.host().stats().dead_lettered, 1u);
  fs::remove(dead);
}

TEST(IsolationTest, InitFailureFailsCreateWithTheSameError) {
  HostRun run("BehaveDest", {{"init_ret", "raise"}});
  run.options.isolation = Isolation::kProcess;
  const absl::Status st = run.Create();
  EXPECT_FALSE(st.ok());
  EXPECT_THAT(std::string(st.message()), HasSubstr("init raised on purpose"));
}

TEST(IsolationTest, AMissingWorkerExecutableIsAClearError) {
  IsolatedRun run;
  run.options.worker_executable = "/nonexistent/pydest-worker";
  const absl::Status st = run.Create();
  EXPECT_TRUE(absl::IsNotFound(st)) << st;
  EXPECT_THAT(std::string(st.message()), HasSubstr("/nonexistent/pydest-worker"));
}

TEST(IsolationTest, ProcessOptionsWithoutProcessIsolationAreRefused) {
  // They would do nothing in-process: Create says so, as the parser does.
  HostRun timeout("BehaveDest", {});
  timeout.options.send_timeout = absl::Seconds(1);
  absl::Status st = timeout.Create();
  EXPECT_TRUE(absl::IsInvalidArgument(st)) << st;
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("send-timeout() needs isolation(process)"));
  HostRun limit("BehaveDest", {});
  limit.options.memory_limit_mib = 512;
  st = limit.Create();
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("memory-limit() needs isolation(process)"));
  HostRun worker("BehaveDest", {});
  worker.options.worker_executable = "/bin/true";
  st = worker.Create();
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("worker-executable() needs isolation(process)"));
}

TEST(IsolationTest, ProcessOptionsOutOfRangeAreRefused) {
  IsolatedRun zero;
  zero.options.send_timeout = absl::ZeroDuration();
  absl::Status st = zero.Create();
  EXPECT_TRUE(absl::IsInvalidArgument(st)) << st;
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("send-timeout() expects a positive number of seconds"));
  IsolatedRun tiny;
  tiny.options.memory_limit_mib = 1;
  st = tiny.Create();
  EXPECT_TRUE(absl::IsInvalidArgument(st)) << st;
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("memory-limit() expects at least"));
  IsolatedRun huge;
  huge.options.memory_limit_mib = UINT64_MAX;
  st = huge.Create();
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("memory-limit() expects at most"));
}

TEST(IsolationTest, WorkersRunInSeparateProcesses) {
  IsolatedRun run(/*workers=*/2);
  ASSERT_TRUE(run.Create().ok());
  const std::vector<std::string> texts = Numbered("n", 2000);
  SendAll(run.host(), texts);
  ASSERT_TRUE(run.WaitOutcomes(texts.size()));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  run.ExpectOneOutcomeEach(texts, Outcome::kDelivered);
  EXPECT_EQ(run.WorkerPids().size(), 2u);
}

}  // namespace
}  // namespace pydest
