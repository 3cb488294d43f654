// pydest::ForgetPythonModules (pydest/python_modules.h): what it forgets,
// what it keeps, and that an edited module is imported anew afterwards.
// Its own executable: the first test needs a process where Python never
// started.
#include "pydest/python_modules.h"

#include <Python.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "bindings/module/syslogng_interpreter.h"
#include "gtest/gtest.h"
#include "libpydest/pyrt/gil.h"
#include "libpydest/pyrt/py_ref.h"

namespace pydest {
namespace {

namespace fs = std::filesystem;
using internal::GilGuard;
using internal::Ref;

// A fresh folder under $TMPDIR, put at the front of sys.path.
class ModulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(internal::EnsureInterpreter().ok());
    dir_ = fs::temp_directory_path() /
           ("forget_modules_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Run("import sys; sys.path.insert(0, " + Quoted(dir_.string()) + ")");
  }
  void TearDown() override {
    Run("import sys; sys.path.remove(" + Quoted(dir_.string()) + ")");
    fs::remove_all(dir_);
  }

  static std::string Quoted(const std::string& s) { return "'" + s + "'"; }

  void WriteFile(const std::string& relative, const std::string& text) {
    fs::create_directories((dir_ / relative).parent_path());
    std::ofstream(dir_ / relative) << text;
  }

  // Runs statements in a scratch namespace; false if they raised.
  static bool Run(const std::string& code) {
    GilGuard guard;
    Ref globals(PyDict_New());
    PyDict_SetItemString(globals.get(), "__builtins__", PyEval_GetBuiltins());
    Ref result(PyRun_String(code.c_str(), Py_file_input, globals.get(),
                            globals.get()));
    if (!result) {
      PyErr_Print();
      return false;
    }
    return true;
  }

  // str(eval(expr)) in a namespace where sys is imported.
  static std::string Eval(const std::string& expr) {
    GilGuard guard;
    Ref globals(PyDict_New());
    PyDict_SetItemString(globals.get(), "__builtins__", PyEval_GetBuiltins());
    Ref ok(PyRun_String("import sys, importlib", Py_file_input, globals.get(),
                        globals.get()));
    Ref value(ok ? PyRun_String(expr.c_str(), Py_eval_input, globals.get(),
                                globals.get())
                 : nullptr);
    Ref text(value ? PyObject_Str(value.get()) : nullptr);
    const char* s = text ? PyUnicode_AsUTF8(text.get()) : nullptr;
    if (s == nullptr) {
      PyErr_Print();
      return "<error>";
    }
    return s;
  }

  static bool Loaded(const std::string& module) {
    return Eval("'" + module + "' in sys.modules") == "True";
  }

  fs::path dir_;
};

// Declared first: gtest runs a file's tests in order, so no other test has
// started the interpreter yet.
TEST(ForgetPythonModulesBeforePython, DoesNothingWhenTheInterpreterNeverStarted) {
  if (Py_IsInitialized()) GTEST_SKIP() << "Python already runs";
  EXPECT_TRUE(ForgetPythonModules({"json"}, {"/"}).ok());
  EXPECT_FALSE(Py_IsInitialized());
}

TEST_F(ModulesTest, AnEditedModuleUnderADirectoryIsImportedAnew) {
  WriteFile("reload_me.py", "VALUE = 1\n");
  ASSERT_EQ(Eval("importlib.import_module('reload_me').VALUE"), "1");
  // Another size: the cached bytecode is checked by mtime and size, and
  // the mtime may not have moved within this second.
  WriteFile("reload_me.py", "VALUE = 222\n");
  ASSERT_TRUE(ForgetPythonModules({}, {dir_.string()}).ok());
  EXPECT_FALSE(Loaded("reload_me"));
  EXPECT_EQ(Eval("importlib.import_module('reload_me').VALUE"), "222");
}

TEST_F(ModulesTest, ANamedModuleGoesWithItsSubmodulesAndNothingElse) {
  WriteFile("pkg_named/__init__.py", "");
  WriteFile("pkg_named/sub.py", "X = 1\n");
  WriteFile("pkg_namedother.py", "Y = 1\n");
  ASSERT_TRUE(Run("import pkg_named.sub, pkg_namedother, json"));
  ASSERT_TRUE(ForgetPythonModules({"pkg_named"}, {}).ok());
  EXPECT_FALSE(Loaded("pkg_named"));
  EXPECT_FALSE(Loaded("pkg_named.sub"));
  // Only a dot makes a submodule: a longer name is another module.
  EXPECT_TRUE(Loaded("pkg_namedother"));
  EXPECT_TRUE(Loaded("json"));
}

TEST_F(ModulesTest, ModulesOutsideTheDirectoriesStay) {
  WriteFile("inside/mod_inside.py", "A = 1\n");
  WriteFile("outside/mod_outside.py", "B = 1\n");
  ASSERT_TRUE(Run("import sys; sys.path[:0] = [" +
                  Quoted((dir_ / "inside").string()) + ", " +
                  Quoted((dir_ / "outside").string()) + "]"));
  ASSERT_TRUE(Run("import mod_inside, mod_outside, json"));
  ASSERT_TRUE(ForgetPythonModules({}, {(dir_ / "inside").string()}).ok());
  EXPECT_FALSE(Loaded("mod_inside"));
  EXPECT_TRUE(Loaded("mod_outside"));
  EXPECT_TRUE(Loaded("json"));
}

TEST_F(ModulesTest, InstalledPackagesUnderADirectoryStayUnlessNamed) {
  // A virtualenv beside the configuration.
  WriteFile("venv/lib/python3/site-packages/installed_mod.py", "C = 1\n");
  ASSERT_TRUE(Run("import sys; sys.path.insert(0, " +
                  Quoted((dir_ / "venv/lib/python3/site-packages").string()) +
                  ")"));
  ASSERT_TRUE(Run("import installed_mod"));
  ASSERT_TRUE(ForgetPythonModules({}, {dir_.string()}).ok());
  EXPECT_TRUE(Loaded("installed_mod"));
  ASSERT_TRUE(ForgetPythonModules({"installed_mod"}, {}).ok());
  EXPECT_FALSE(Loaded("installed_mod"));
}

TEST_F(ModulesTest, ExtensionModulesAndTheSyslogngPackageStay) {
  ASSERT_TRUE(Run("import _json, syslogng"));
  const std::string json_dir = Eval("__import__('os').path.dirname("
                                    "__import__('_json').__file__)");
  const std::string syslogng_dir =
      Eval("__import__('os').path.dirname(__import__('syslogng').__file__)");
  ASSERT_TRUE(
      ForgetPythonModules({"_json", "syslogng"}, {json_dir, syslogng_dir})
          .ok());
  EXPECT_TRUE(Loaded("_json"));
  EXPECT_TRUE(Loaded("syslogng"));
}

TEST_F(ModulesTest, ANewFileInAKnownFolderIsFound) {
  // The folder's listing is cached by the path finder: a module created
  // after a failed import is found once the caches are cleared.
  ASSERT_FALSE(Run("import brand_new_mod"));
  WriteFile("brand_new_mod.py", "D = 4\n");
  ASSERT_TRUE(ForgetPythonModules({}, {dir_.string()}).ok());
  EXPECT_EQ(Eval("importlib.import_module('brand_new_mod').D"), "4");
}

}  // namespace
}  // namespace pydest
