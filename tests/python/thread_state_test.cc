// A worker keeps one Python thread state for its whole life, as a
// syslog-ng worker thread does: threading.local data a destination stores in
// send() is still there in the worker's next batch, each worker has its own,
// and it is freed when the worker ends (PythonDriver::ThreadStarted /
// ThreadEnding, called by Worker::Run). Driven end to end through
// PyDestinationHost with tests/python/classes/thread_local_probe.py; the
// classes record into module globals that the test reads with eval().
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/cleanup/cleanup.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "pydest/host.h"
#include "tests/python/python_test_util.h"

namespace pydest::internal {
namespace {

using testing::EvalRepr;
using testing::Exec;
using testing::ProbeOptions;

Message TextMessage(const std::string& text) {
  return MessageBuilder().SetText(text).SetHost("h").SetProgram("p").Build();
}

absl::Time In(absl::Duration d) { return absl::Now() + d; }

// repr() of `expr` evaluated with the probe module bound to `tlp`.
std::string Tlp(const std::string& expr) {
  return EvalRepr("(lambda tlp: " + expr +
                  ")(__import__('thread_local_probe'))");
}

// A host running thread_local_probe.<cls>, counting outcomes.
class ThreadStateHost {
 public:
  ThreadStateHost(const std::string& cls, int workers) {
    options_ = ProbeOptions(cls, nullptr);
    options_.class_name = "thread_local_probe." + cls;
    options_.workers = workers;
    options_.on_outcome = [this](const Message&, Outcome) {
      absl::MutexLock lock(&mu_);
      ++outcomes_;
      cv_.SignalAll();
    };
  }

  absl::Status Create() {
    auto host = PyDestinationHost::Create(options_);
    if (!host.ok()) return host.status();
    host_ = std::move(*host);
    return absl::OkStatus();
  }
  PyDestinationHost& host() { return *host_; }

  // Sends one message and waits until it has its outcome, so every message
  // is a batch of its own.
  absl::Status SendOneBatch(const std::string& text) {
    absl::Status s = host_->Send(TextMessage(text));
    if (!s.ok()) return s;
    return host_->Flush(In(absl::Seconds(30)));
  }

  bool WaitOutcomes(int n) {
    const absl::Time deadline = In(absl::Seconds(30));
    absl::MutexLock lock(&mu_);
    while (outcomes_ < n) {
      if (cv_.WaitWithDeadline(&mu_, deadline)) break;
    }
    return outcomes_ >= n;
  }

 private:
  DestinationOptions options_;
  std::unique_ptr<PyDestinationHost> host_;
  absl::Mutex mu_;
  absl::CondVar cv_;
  int outcomes_ ABSL_GUARDED_BY(mu_) = 0;
};

// Polls until `expr` (see Tlp) is True; false after 30 s.
bool WaitUntilTrue(const std::string& expr) {
  const absl::Time deadline = In(absl::Seconds(30));
  while (Tlp(expr) != "True") {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

class ThreadState : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(Tlp("tlp.reset()"), "None"); }
};

TEST_F(ThreadState, ThreadLocalDataSurvivesBetweenBatches) {
  ThreadStateHost run("CountingDest", 1);
  ASSERT_TRUE(run.Create().ok());
  constexpr int kBatches = 5;
  for (int i = 0; i < kBatches; ++i) {
    ASSERT_TRUE(run.SendOneBatch("m" + std::to_string(i)).ok());
  }
  // Each send() saw the count the previous batch left in the local.
  EXPECT_EQ(Tlp("[n for _, _, n in tlp.seen]"), "[0, 1, 2, 3, 4]");
  EXPECT_EQ(Tlp("len({t for _, t, _ in tlp.seen})"), "1");
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(30))).ok());
}

TEST_F(ThreadState, EachWorkerHasItsOwnThreadLocal) {
  // One module-level threading.local for both instances. Each round, the
  // first message holds its worker inside send(), so the second must go to
  // the other worker: every worker gets one batch per round.
  ThreadStateHost run("GatedDest", 2);
  // A failed round must not leave a worker waiting in send() for the host's
  // destructor to abandon.
  absl::Cleanup unblock = [] { Tlp("tlp.release.set()"); };
  ASSERT_TRUE(run.Create().ok());
  constexpr int kRounds = 3;
  for (int r = 0; r < kRounds; ++r) {
    ASSERT_EQ(Tlp("(tlp.holding.clear(), tlp.release.clear())"),
              "(None, None)");
    ASSERT_TRUE(run.host().Send(TextMessage("hold" + std::to_string(r))).ok());
    ASSERT_TRUE(WaitUntilTrue("tlp.holding.is_set()")) << "round " << r;
    ASSERT_TRUE(run.host().Send(TextMessage("free" + std::to_string(r))).ok());
    ASSERT_TRUE(run.WaitOutcomes(2 * r + 1)) << "round " << r;
    ASSERT_EQ(Tlp("tlp.release.set()"), "None");
    ASSERT_TRUE(run.WaitOutcomes(2 * r + 2)) << "round " << r;
  }
  // Per instance: (threads it ran on, counts it saw). Each worker counted
  // 0, 1, 2 in its own slot of the shared local, on one thread throughout.
  EXPECT_EQ(Tlp("sorted((len({t for j, t, _ in tlp.seen if j == i}), "
                "[n for j, _, n in tlp.seen if j == i]) "
                "for i in {i for i, _, _ in tlp.seen})"),
            "[(1, [0, 1, 2]), (1, [0, 1, 2])]");
  EXPECT_EQ(Tlp("len({t for _, t, _ in tlp.seen})"), "2");
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(30))).ok());
}

TEST_F(ThreadState, ThreadLocalIsFreedWhenTheHostShutsDown) {
  // The sentinel lives in a module-level local, so no instance going away
  // frees it: only the end of the worker's thread state does.
  ThreadStateHost run("SentinelDest", 1);
  ASSERT_TRUE(run.Create().ok());
  ASSERT_TRUE(run.SendOneBatch("a").ok());
  ASSERT_TRUE(run.SendOneBatch("b").ok());
  EXPECT_EQ(Tlp("tlp.collected"), "[]") << "freed between batches";
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(30))).ok());
  EXPECT_EQ(Tlp("tlp.collected"), "['worker-local']");
}

}  // namespace
}  // namespace pydest::internal
