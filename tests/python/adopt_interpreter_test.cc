// A host that started Python itself: libpydest uses that interpreter
// instead of starting another, and leaves it running.
#include <Python.h>

#include <gtest/gtest.h>

#include "libpydest/python/python_destination.h"
#include "tests/python/python_test_util.h"

namespace pydest::internal {
namespace {

TEST(AdoptInterpreter, HostInitialisedPythonIsUsed) {
  ASSERT_FALSE(Py_IsInitialized());
  Py_InitializeEx(0);
  PyRun_SimpleString("import sys\nsys.host_marker = 'host'\n");
  PyThreadState* host = PyEval_SaveThread();

  auto d = PythonDestination::CreateWithValuePairs(
      testing::ProbeOptions("Recorder", nullptr), nullptr);
  ASSERT_TRUE(d.ok()) << d.status();
  QueuedMessage m = testing::MakeQueued("x");
  EXPECT_EQ(testing::SendPrepared(**d, m), DeliveryResult::kSuccess);
  EXPECT_EQ(testing::EvalRepr("__import__('sys').host_marker"), "'host'");
  d->reset();

  PyEval_RestoreThread(host);
  EXPECT_TRUE(Py_IsInitialized());
  EXPECT_EQ(PyRun_SimpleString("import syslogng\n"), 0);
}

}  // namespace
}  // namespace pydest::internal
