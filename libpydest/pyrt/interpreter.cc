#include "libpydest/pyrt/interpreter.h"

#include <Python.h>
#include <sys/stat.h>

#include <csignal>

#include <mutex>

#include "absl/strings/str_cat.h"
#include "libpydest/pyrt/process_guard.h"
#include "libpydest/pyrt/py_error.h"

namespace pydest::internal {
namespace {

bool IsDirectory(const std::string& path) {
  struct stat st;
  return !path.empty() && stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

absl::Status StartInterpreter() {
  if (Py_IsInitialized()) {
    // The host runs Python itself: adopt its interpreter as it is. Its own
    // Python may use signal.signal and os._exit as it likes; only calls made
    // inside a destination's methods are diverted (process_guard.h).
    GilGuard guard;
    return InstallPythonGuards(guard.held(), /*adopted=*/true);
  }
  // CPython's `_signal` module puts its own SIGINT handler in place the
  // first time anything imports it (subprocess, asyncio, ...) when SIGINT
  // had the default disposition at start-up — even with signal handlers
  // disabled. Import it now and put the host's disposition back, so no later
  // import can take SIGINT from the host.
  struct sigaction host_sigint;
  sigaction(SIGINT, nullptr, &host_sigint);
  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  config.install_signal_handlers = 0;
  config.parse_argv = 0;
  char arg0[] = "pydest";
  char* argv[] = {arg0};
  PyStatus status = PyConfig_SetBytesArgv(&config, 1, argv);
  if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) {
    return absl::InternalError(absl::StrCat(
        "cannot start the Python interpreter: ",
        status.err_msg ? status.err_msg : "unknown error"));
  }
  if (PyObject* sig = PyImport_ImportModule("signal")) {
    Py_DECREF(sig);
  } else {
    PyErr_Clear();
  }
  sigaction(SIGINT, &host_sigint, nullptr);
  absl::Status prepared =
      InstallPythonGuards(RequiresGil::InsidePython(), /*adopted=*/false);
  // Release the GIL for good: from now on every thread, this one included,
  // takes it with a GilGuard only while it calls into Python.
  PyEval_SaveThread();
  return prepared;
}

}  // namespace

absl::Status EnsurePythonStarted() {
  static std::once_flag once;
  static absl::Status* result = nullptr;
  std::call_once(once, [] { result = new absl::Status(StartInterpreter()); });
  return *result;
}

absl::Status AddSearchPaths(RequiresGil gil,
                            const std::vector<std::string>& paths,
                            const std::string& virtualenv) {
  PyObject* sys_path = PySys_GetObject("path");  // borrowed
  if (sys_path == nullptr || !PyList_Check(sys_path)) {
    return absl::InternalError("sys.path is not a list");
  }
  Py_ssize_t insert_at = 0;
  for (const std::string& p : paths) {
    PyObject* item = PyUnicode_DecodeFSDefault(p.c_str());
    if (item == nullptr) {
      return ErrorStatus(absl::StatusCode::kInvalidArgument,
                         absl::StrCat("bad python path '", p, "'"),
                         FetchPythonError(gil));
    }
    int present = PySequence_Contains(sys_path, item);
    if (present == 0) {
      PyList_Insert(sys_path, insert_at++, item);
    }
    Py_DECREF(item);
  }
  if (!virtualenv.empty()) {
    std::string site = absl::StrCat(virtualenv, "/lib/python", PY_MAJOR_VERSION,
                                    ".", PY_MINOR_VERSION, "/site-packages");
    if (!IsDirectory(site)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "virtualenv '", virtualenv, "' has no ", site));
    }
    PyObject* site_mod = PyImport_ImportModule("site");
    PyObject* r = site_mod == nullptr
                      ? nullptr
                      : PyObject_CallMethod(site_mod, "addsitedir", "s",
                                            site.c_str());
    Py_XDECREF(site_mod);
    if (r == nullptr) {
      return ErrorStatus(absl::StatusCode::kInvalidArgument,
                         absl::StrCat("cannot add virtualenv '", virtualenv,
                                      "'"),
                         FetchPythonError(gil));
    }
    Py_DECREF(r);
  }
  return absl::OkStatus();
}

}  // namespace pydest::internal
