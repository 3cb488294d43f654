#include "bindings/module/syslogng_interpreter.h"

#include <sys/stat.h>

#include <cstdlib>
#include <mutex>

#include "bindings/module/syslogng_module.h"
#include "libpydest/pyrt/gil.h"
#include "libpydest/pyrt/interpreter.h"
#include "libpydest/pyrt/py_error.h"

namespace pydest::internal {
namespace {

bool IsDirectory(const std::string& path) {
  struct stat st;
  return !path.empty() && stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

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
    return absl::FailedPreconditionError(
        "cannot find the syslogng Python package: set PYDEST_PYTHONPATH to "
        "the directory holding syslogng/__init__.py");
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

std::string BindingsPythonDir() {
  if (const char* env = std::getenv("PYDEST_PYTHONPATH");
      env != nullptr && IsDirectory(env)) {
    return env;
  }
#ifdef PYDEST_SOURCE_PYTHONDIR
  if (IsDirectory(PYDEST_SOURCE_PYTHONDIR "/syslogng")) {
    return PYDEST_SOURCE_PYTHONDIR;
  }
#endif
#ifdef PYDEST_INSTALLED_PYTHONDIR
  if (IsDirectory(PYDEST_INSTALLED_PYTHONDIR "/syslogng")) {
    return PYDEST_INSTALLED_PYTHONDIR;
  }
#endif
  return "";
}

}  // namespace pydest::internal
