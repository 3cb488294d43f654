#include "libpydest/pyrt/py_error.h"

#include "absl/strings/str_cat.h"

namespace pydest::internal {
namespace {

std::string ToUtf8(PyObject* obj) {
  if (obj == nullptr) return "";
  PyObject* s = PyObject_Str(obj);
  if (s == nullptr) {
    PyErr_Clear();
    return "<unprintable>";
  }
  Py_ssize_t n = 0;
  const char* p = PyUnicode_AsUTF8AndSize(s, &n);
  std::string out;
  if (p != nullptr) {
    out.assign(p, static_cast<size_t>(n));
  } else {
    PyErr_Clear();
    out = "<unprintable>";
  }
  Py_DECREF(s);
  return out;
}

// traceback.format_exception(exc) joined; "" when formatting fails.
std::string FormatTraceback(PyObject* exc) {
  PyObject* tb_mod = PyImport_ImportModule("traceback");
  if (tb_mod == nullptr) {
    PyErr_Clear();
    return "";
  }
  std::string out;
  PyObject* lines =
      PyObject_CallMethod(tb_mod, "format_exception", "O", exc);
  if (lines != nullptr) {
    PyObject* empty = PyUnicode_FromString("");
    PyObject* joined = PyUnicode_Join(empty, lines);
    Py_DECREF(empty);
    if (joined != nullptr) {
      out = ToUtf8(joined);
      Py_DECREF(joined);
    }
    Py_DECREF(lines);
  }
  if (PyErr_Occurred()) PyErr_Clear();
  Py_DECREF(tb_mod);
  return out;
}

}  // namespace

std::string PythonError::Summary() const {
  std::string s = absl::StrCat(type_name, ": ", text);
  if (s.size() > 255) s.resize(255);
  return s;
}

PythonError FetchPythonError(RequiresGil) {
  PythonError err;
  PyObject* type = nullptr;
  PyObject* exc = nullptr;
  PyObject* tb = nullptr;
  PyErr_Fetch(&type, &exc, &tb);
  if (type == nullptr) {
    err.type_name = "SystemError";
    err.text = "error return without exception set";
    return err;
  }
  PyErr_NormalizeException(&type, &exc, &tb);
  if (tb != nullptr && exc != nullptr) PyException_SetTraceback(exc, tb);
  Py_XDECREF(tb);
  Py_XDECREF(type);
  if (exc == nullptr) {
    err.type_name = "SystemError";
    err.text = "exception without a value";
    return err;
  }
  err.type_name = Py_TYPE(exc)->tp_name;
  // tp_name of builtins is bare; of others "module.Name": keep the last part,
  // as syslog-ng prints the class __name__.
  if (auto dot = err.type_name.rfind('.'); dot != std::string::npos) {
    err.type_name = err.type_name.substr(dot + 1);
  }
  err.text = ToUtf8(exc);
  err.is_import_error = PyErr_GivenExceptionMatches(exc, PyExc_ImportError);
  err.traceback = FormatTraceback(exc);
  Py_DECREF(exc);
  return err;
}

LogRecord ExceptionRecord(std::string_view caller, std::string_view class_name,
                          std::string_view function, const PythonError& err) {
  LogRecord r;
  r.level = LogRecord::Level::kError;
  r.text = "Exception while calling a Python function";
  r.tags = {{"caller", std::string(caller)},
            {"class", std::string(class_name)},
            {"function", std::string(function)},
            {"exception", err.Summary()}};
  r.traceback = err.traceback;
  return r;
}

absl::Status ErrorStatus(absl::StatusCode code, std::string_view what,
                         const PythonError& err) {
  std::string msg = absl::StrCat(absl::string_view(what.data(), what.size()),
                                 ": ", err.Summary());
  if (!err.traceback.empty()) absl::StrAppend(&msg, "\n", err.traceback);
  return absl::Status(code, msg);
}

}  // namespace pydest::internal
