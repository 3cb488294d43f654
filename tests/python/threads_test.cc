// Several workers sending at once: each holds the GIL only inside its
// batch, and nothing is lost or crashes (DESIGN.md rules 2, 3).
#include <Python.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>
#include <vector>

#include "libpydest/python/python_destination.h"
#include "tests/python/python_test_util.h"

namespace pydest::internal {
namespace {

using testing::EvalRepr;
using testing::Exec;
using testing::FakeValuePairs;
using testing::MakeQueued;
using testing::SendPrepared;
using testing::ProbeOptions;

TEST(Threads, WorkersSendConcurrentlyWithoutLosingCalls) {
  auto vp = std::make_shared<FakeValuePairs>();
  vp->AddBytes("MESSAGE", "text");
  vp->AddInt("n", 7);
  DestinationOptions o = ProbeOptions("Counter", nullptr);
  o.workers = 4;
  auto d = PythonDestination::CreateWithValuePairs(o, vp);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_TRUE(Exec("Counter.count = 0\n"));
  constexpr int kBatches = 200, kBatchSize = 5;
  // Prepared here: the preparer is the prepare thread's, not the workers'.
  std::vector<std::vector<QueuedMessage>> per_worker(
      4, std::vector<QueuedMessage>(kBatchSize, MakeQueued("m")));
  for (auto& msgs : per_worker) {
    for (QueuedMessage& m : msgs) {
      QueuedMessage* one = &m;
      (*d)->preparer()->Prepare(&one, 1);
    }
  }
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      Driver* drv = (*d)->driver(w);
      const std::vector<QueuedMessage>& msgs = per_worker[w];
      EXPECT_TRUE(drv->Open());
      for (int b = 0; b < kBatches; ++b) {
        drv->BeginBatch();
        for (const QueuedMessage& m : msgs) {
          EXPECT_EQ(drv->Send(m), DeliveryResult::kSuccess);
        }
        EXPECT_EQ(drv->Flush(), DeliveryResult::kSuccess);
        drv->EndBatch();
      }
      drv->Close();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(EvalRepr("Counter.count"), std::to_string(4 * kBatches * kBatchSize));
}

TEST(Threads, HostThreadDoesNotHoldTheGilBetweenCalls) {
  auto d = PythonDestination::CreateWithValuePairs(
      ProbeOptions("Recorder", nullptr), nullptr);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(PyGILState_Check(), 0);
  QueuedMessage m = MakeQueued("x");
  SendPrepared(**d, m);
  EXPECT_EQ(PyGILState_Check(), 0);
}

TEST(SearchPath, VirtualenvSitePackagesAreImportable) {
  char dir[] = "/tmp/pydest-venv-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string site = std::string(dir) + "/lib";
  mkdir(site.c_str(), 0700);
  site += "/python" + std::to_string(PY_MAJOR_VERSION) + "." +
          std::to_string(PY_MINOR_VERSION);
  mkdir(site.c_str(), 0700);
  site += "/site-packages";
  mkdir(site.c_str(), 0700);
  std::ofstream(site + "/venvdest.py")
      << "class Dest:\n    def send(self, msg):\n        return True\n";
  DestinationOptions o = ProbeOptions("X", nullptr);
  o.class_name = "venvdest.Dest";
  o.virtualenv = dir;
  auto d = PythonDestination::CreateWithValuePairs(o, nullptr);
  EXPECT_TRUE(d.ok()) << d.status();
}

TEST(SearchPath, MissingVirtualenvIsAnError) {
  DestinationOptions o = ProbeOptions("Recorder", nullptr);
  o.virtualenv = "/nonexistent/venv";
  auto d = PythonDestination::CreateWithValuePairs(o, nullptr);
  ASSERT_FALSE(d.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(d.status()));
}

}  // namespace
}  // namespace pydest::internal
