// Many sends leave no Python objects or memory behind.
#include <gtest/gtest.h>

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

void SendMany(PythonDestination& dest, int n) {
  QueuedMessage m = MakeQueued("leak check");
  for (int i = 0; i < n; ++i) {
    dest.driver(0)->BeginBatch();
    testing::SendPrepared(dest, m);
    dest.driver(0)->EndBatch();
  }
}

void ExpectNoGrowth(std::shared_ptr<const ValuePairs> vp,
                    const std::string& cls) {
  auto d = PythonDestination::CreateWithValuePairs(ProbeOptions(cls, nullptr),
                                                   vp);
  ASSERT_TRUE(d.ok()) << d.status();
  SendMany(**d, 200);  // warm caches
  ASSERT_TRUE(Exec("import gc, tracemalloc\ngc.collect()\n"
                   "tracemalloc.start()\n"
                   "_objs0 = len(gc.get_objects())\n"
                   "_rc0 = __import__('sys').getrefcount('MESSAGE')\n"
                   "_mem0 = tracemalloc.get_traced_memory()[0]\n"));
  SendMany(**d, 5000);
  EXPECT_EQ(EvalRepr("(gc.collect(), len(gc.get_objects()) - _objs0 < 50)[1]"),
            "True");
  // The cached key object: each dict holds it while alive, none keeps it.
  EXPECT_EQ(EvalRepr("__import__('sys').getrefcount('MESSAGE') - _rc0"), "0");
  // 5000 leaked dicts or messages would be far above 64 KiB.
  EXPECT_EQ(EvalRepr("tracemalloc.get_traced_memory()[0] - _mem0 < 65536"),
            "True")
      << EvalRepr("tracemalloc.get_traced_memory()[0] - _mem0");
  Exec("tracemalloc.stop()\n");
}

TEST(Leaks, DictSendsAreStable) {
  auto vp = std::make_shared<FakeValuePairs>();
  vp->AddBytes("MESSAGE", "text");
  vp->AddInt("n", 1);
  vp->AddList("l", {"a", "b"});
  vp->AddDateTime("t", 1700000000000000);
  ExpectNoGrowth(vp, "Counter");
}

TEST(Leaks, LogMessageSendsAreStable) { ExpectNoGrowth(nullptr, "Counter"); }

TEST(Leaks, FailingSendsAreStable) {
  auto d = PythonDestination::CreateWithValuePairs(
      [] {
        DestinationOptions o = ProbeOptions("ResultDest", nullptr);
        o.options = {{"ret", {OptionValue::Kind::kString, "raise", {}}}};
        o.log_sink = [](const LogRecord&) {};
        return o;
      }(),
      nullptr);
  ASSERT_TRUE(d.ok());
  SendMany(**d, 100);
  ASSERT_TRUE(Exec("import gc\ngc.collect()\n_objs0 = len(gc.get_objects())\n"));
  SendMany(**d, 2000);
  EXPECT_EQ(EvalRepr("(gc.collect(), len(gc.get_objects()) - _objs0 < 50)[1]"),
            "True");
}

}  // namespace
}  // namespace pydest::internal
