// The Python runtime on its own (no bindings, no destination): the
// interpreter starts without any libpydest module, gives the GIL back, and a
// destination's SystemExit is an error of that call, not the end of the
// process (DESIGN.md rule 6).
#include <Python.h>

#include <gtest/gtest.h>

#include "libpydest/pyrt/gil.h"
#include "libpydest/pyrt/interpreter.h"
#include "libpydest/pyrt/py_error.h"
#include "libpydest/pyrt/py_ref.h"

namespace pydest::internal {
namespace {

TEST(Interpreter, StartsOnceAndReturnsWithoutTheGil) {
  ASSERT_TRUE(EnsurePythonStarted().ok());
  EXPECT_TRUE(EnsurePythonStarted().ok());
  EXPECT_TRUE(Py_IsInitialized());
  EXPECT_EQ(PyGILState_Check(), 0);
}

TEST(Interpreter, KnowsNoModuleOfTheLayersAbove) {
  ASSERT_TRUE(EnsurePythonStarted().ok());
  GilGuard gil;
  Ref module(PyImport_ImportModule("_syslogng"));
  EXPECT_FALSE(module);
  PythonError err = FetchPythonError(gil.held());
  EXPECT_EQ(err.type_name, "ModuleNotFoundError");
  EXPECT_TRUE(err.is_import_error);
}

TEST(Interpreter, SystemExitIsFetchedAsAnErrorWithItsTraceback) {
  ASSERT_TRUE(EnsurePythonStarted().ok());
  GilGuard gil;
  Ref globals(PyDict_New());
  PyDict_SetItemString(globals.get(), "__builtins__", PyEval_GetBuiltins());
  Ref result(PyRun_String("def stop():\n    raise SystemExit(3)\nstop()\n",
                          Py_file_input, globals.get(), globals.get()));
  ASSERT_FALSE(result);
  PythonError err = FetchPythonError(gil.held());
  EXPECT_EQ(err.Summary(), "SystemExit: 3");
  EXPECT_NE(err.traceback.find("in stop"), std::string::npos);
  EXPECT_EQ(PyErr_Occurred(), nullptr);
}

TEST(Interpreter, FetchWithNothingPendingSaysSo) {
  ASSERT_TRUE(EnsurePythonStarted().ok());
  GilGuard gil;
  EXPECT_EQ(FetchPythonError(gil.held()).type_name, "SystemError");
}

TEST(Interpreter, MissingVirtualenvIsAnInvalidArgument) {
  ASSERT_TRUE(EnsurePythonStarted().ok());
  GilGuard gil;
  absl::Status s =
      AddSearchPaths(gil.held(), {}, "/nonexistent/pydest-pyrt-venv");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pydest::internal
