#include "libpydest/python/class_loader.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "pydest/did_you_mean.h"
#include "libpydest/pyrt/py_error.h"
#include "libpydest/pyrt/py_ref.h"

namespace pydest::internal {

std::string Repr(RequiresGil, PyObject* obj) {
  Ref r(PyObject_Repr(obj));
  const char* s = r ? PyUnicode_AsUTF8(r.get()) : nullptr;
  if (s == nullptr) {
    PyErr_Clear();
    return "?";
  }
  return s;
}

// The configuration's python {} blocks as a fresh module _syslogng_main
// (syslog-ng-behaviour.md §9.2). The same code text reuses the module
// already loaded, so the destinations of one configuration share its
// namespace.
absl::Status LoadGlobalCode(RequiresGil gil, const DestinationOptions& o) {
  if (o.global_code.empty()) return absl::OkStatus();
  PyObject* modules = PyImport_GetModuleDict();  // borrowed
  if (PyObject* existing = PyDict_GetItemString(modules, "_syslogng_main")) {
    Ref source(PyObject_GetAttrString(existing, "__pydest_source__"));
    if (!source) PyErr_Clear();
    if (source && PyUnicode_Check(source.get())) {
      const char* s = PyUnicode_AsUTF8(source.get());
      if (s != nullptr && o.global_code == s) return absl::OkStatus();
      PyErr_Clear();
    }
  }
  std::string filename = o.global_code_filename.empty()
                             ? std::string("<python-global-code>")
                             : o.global_code_filename;
  Ref code(Py_CompileString(o.global_code.c_str(), filename.c_str(),
                            Py_file_input));
  if (!code) {
    return ErrorStatus(absl::StatusCode::kInvalidArgument,
                       "Error compiling Python global code block",
                       FetchPythonError(gil));
  }
  Ref module(PyModule_New("_syslogng_main"));
  if (!module) {
    return ErrorStatus(absl::StatusCode::kInternal,
                       "cannot create _syslogng_main", FetchPythonError(gil));
  }
  PyObject* dict = PyModule_GetDict(module.get());  // borrowed
  PyDict_SetItemString(dict, "__builtins__", PyEval_GetBuiltins());
  Ref file(PyUnicode_DecodeFSDefault(filename.c_str()));
  Ref source(PyUnicode_FromString(o.global_code.c_str()));
  if (!file || !source) PyErr_Clear();
  if (file) PyDict_SetItemString(dict, "__file__", file.get());
  if (source) PyDict_SetItemString(dict, "__pydest_source__", source.get());
  // linecache serves the block's lines so tracebacks show the source.
  if (Ref linecache{PyImport_ImportModule("linecache")}; linecache && source) {
    Ref lines(PyObject_CallMethod(source.get(), "splitlines", "O", Py_True));
    Ref cache(PyObject_GetAttrString(linecache.get(), "cache"));
    if (lines && cache) {
      Ref entry(Py_BuildValue("(nOOO)", PyUnicode_GetLength(source.get()),
                              Py_None, lines.get(), file.get()));
      if (entry) PyObject_SetItem(cache.get(), file.get(), entry.get());
    }
  }
  if (PyErr_Occurred()) PyErr_Clear();
  // Registered before running so the code can import itself by name.
  PyDict_SetItemString(modules, "_syslogng_main", module.get());
  Ref result(PyEval_EvalCode(code.get(), dict, dict));
  if (!result) {
    PythonError err = FetchPythonError(gil);
    PyDict_DelItemString(modules, "_syslogng_main");
    PyErr_Clear();
    return ErrorStatus(absl::StatusCode::kInvalidArgument,
                       "Error evaluating global Python block", err);
  }
  return absl::OkStatus();
}

namespace {

// "; did you mean 'MyDest'?" when `module` has a class whose name is a
// plausible typo of `attr`, else "".
std::string ClassDidYouMean(RequiresGil /*gil*/, PyObject* module,
                            const std::string& attr) {
  Ref names(PyObject_Dir(module));
  if (!names) {
    PyErr_Clear();
    return "";
  }
  std::vector<std::string> classes;
  const Py_ssize_t n = PyList_Size(names.get());
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* name = PyList_GetItem(names.get(), i);  // borrowed
    const char* text = PyUnicode_AsUTF8(name);
    if (text == nullptr) {
      PyErr_Clear();
      continue;
    }
    if (text[0] == '_' && attr.rfind('_', 0) != 0) continue;
    Ref value(PyObject_GetAttr(module, name));
    if (!value) {
      PyErr_Clear();
      continue;
    }
    if (PyType_Check(value.get())) classes.emplace_back(text);
  }
  return DidYouMean(attr, classes);
}

}  // namespace

// class(): split at the last dot, import the left part, fetch the right
// part; no dot: from _syslogng_main (syslog-ng-behaviour.md §2.2 step 3).
absl::StatusOr<PyObject*> ResolveClass(RequiresGil gil,
                                       const std::string& class_name) {
  if (class_name.empty()) {
    return absl::InvalidArgumentError(
        "python() destination: class() is required");
  }
  if (class_name.find('\0') != std::string::npos) {
    // The C API takes names as C strings: "mod\0x.Dest" would import "mod".
    // Escaped, so that printing the message does not cut it at the NUL.
    const std::string shown =
        absl::StrReplaceAll(class_name, {{absl::string_view("\0", 1), "\\x00"}});
    return absl::InvalidArgumentError(
        absl::StrCat("Error looking up Python driver class '", shown,
                     "': the name contains a NUL byte"));
  }
  size_t dot = class_name.rfind('.');
  std::string module_name =
      dot == std::string::npos ? "_syslogng_main" : class_name.substr(0, dot);
  std::string attr =
      dot == std::string::npos ? class_name : class_name.substr(dot + 1);
  Ref module;
  if (dot == std::string::npos) {
    PyObject* m = PyDict_GetItemString(PyImport_GetModuleDict(),
                                       "_syslogng_main");  // borrowed
    if (m == nullptr) {
      return absl::NotFoundError(absl::StrCat(
          "Error looking up Python driver class '", class_name,
          "': a class without a module part is looked up in the "
          "configuration's python {} block, and there is none"));
    }
    Py_INCREF(m);
    module = Ref(m);
  } else {
    module = Ref(PyImport_ImportModule(module_name.c_str()));
    if (!module) {
      PythonError err = FetchPythonError(gil);
      std::string path = Repr(gil, PySys_GetObject("path"));
      return ErrorStatus(
          absl::StatusCode::kNotFound,
          absl::StrCat("Error looking up Python driver class '", class_name,
                       "': cannot import module '", module_name,
                       "' (sys.path searched: ", path, ")"),
          err);
    }
  }
  PyObject* cls = PyObject_GetAttrString(module.get(), attr.c_str());
  if (cls == nullptr) {
    PyErr_Clear();
    return absl::NotFoundError(absl::StrCat(
        "Error looking up Python driver class '", class_name, "': module '",
        module_name, "' has no attribute '", attr, "'",
        ClassDidYouMean(gil, module.get(), attr)));
  }
  if (!PyCallable_Check(cls)) {
    Py_DECREF(cls);
    return absl::InvalidArgumentError(absl::StrCat(
        "Error looking up Python driver class '", class_name,
        "': it is not a class"));
  }
  return cls;
}

}  // namespace pydest::internal
