#include "bindings/module/syslogng_interpreter.h"

#include <mutex>

#include "absl/strings/str_cat.h"
#include "bindings/module/runtime_paths.h"
#include "bindings/module/syslogng_module.h"
#include "libpydest/pyrt/gil.h"
#include "libpydest/pyrt/interpreter.h"
#include "libpydest/pyrt/py_error.h"

namespace pydest::internal {
namespace {

absl::Status AddSyslogngApi() {
  if (absl::Status s = EnsurePythonStarted(); !s.ok()) return s;
  GilGuard guard;
  RequiresGil gil = guard.held();
  if (!InstallSyslogngModule(gil)) {
    return ErrorStatus(absl::StatusCode::kInternal,
                       "cannot create the _syslogng module",
                       FetchPythonError(gil));
  }
  std::string dir = BindingsPythonDir();
  if (dir.empty()) {
    return absl::FailedPreconditionError(PythonDirNotFoundMessage());
  }
  return AddSearchPaths(gil, {dir}, "");
}

}  // namespace

absl::Status EnsureInterpreter() {
  static std::once_flag once;
  static absl::Status* result = nullptr;
  std::call_once(once, [] { result = new absl::Status(AddSyslogngApi()); });
  return *result;
}

std::string BindingsPythonDir() { return GetRuntimePaths().pythondir; }

std::string PythonDirNotFoundMessage() {
  const RuntimePaths& paths = GetRuntimePaths();
  std::string where =
      paths.installed_pythondir.empty()
          ? std::string("beside the library (its location is unknown)")
          : absl::StrCat("in ", paths.installed_pythondir);
  return absl::StrCat(
      "cannot find the syslogng Python package: not ", where,
      ", nor in an uninstalled build tree; set PYDEST_PYTHONPATH to the "
      "directory holding syslogng/__init__.py");
}

}  // namespace pydest::internal
