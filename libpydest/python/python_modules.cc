// pydest::ForgetPythonModules (pydest/python_modules.h): the sys.modules
// entries of a configuration's code removed, so that the next import reads
// the files again.
#include "pydest/python_modules.h"

#include <Python.h>
#include <limits.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bindings/module/syslogng_interpreter.h"
#include "libpydest/pyrt/gil.h"
#include "libpydest/pyrt/py_error.h"
#include "libpydest/pyrt/py_ref.h"

namespace pydest {
namespace {

using internal::GilGuard;
using internal::Ref;
using internal::RequiresGil;

// The path with symbolic links resolved when it exists (a module's file
// and a python-path entry may name one folder two ways), else as given;
// without a trailing slash either way.
std::string Canonical(const std::string& path) {
  char resolved[PATH_MAX];
  std::string out =
      realpath(path.c_str(), resolved) != nullptr ? resolved : path;
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool Under(const std::string& file, const std::string& dir) {
  if (dir.empty()) return false;
  if (dir == "/") return absl::StartsWith(file, "/");
  return file.size() > dir.size() && absl::StartsWith(file, dir) &&
         file[dir.size()] == '/';
}

// Whether `name` is `parent` or one of its submodules.
bool InPackage(const std::string& name, const std::string& parent) {
  return name == parent ||
         (absl::StartsWith(name, parent) && name.size() > parent.size() &&
          name[parent.size()] == '.');
}

// A C extension's shared object stays loaded whatever sys.modules says,
// and most refuse a second initialisation: never re-imported.
bool IsExtension(const std::string& file) {
  return absl::EndsWith(file, ".so") || absl::EndsWith(file, ".pyd");
}

bool IsInstalled(const std::string& file) {
  return absl::StrContains(file, "/site-packages/") ||
         absl::StrContains(file, "/dist-packages/");
}

// The module's __file__ as a filesystem path; "" when it has none.
std::string FileOf(RequiresGil, PyObject* module) {
  Ref file(PyObject_GetAttrString(module, "__file__"));
  if (!file || !PyUnicode_Check(file.get())) {
    PyErr_Clear();
    return "";
  }
  Ref bytes(PyUnicode_EncodeFSDefault(file.get()));
  if (!bytes) {
    PyErr_Clear();
    return "";
  }
  return std::string(PyBytes_AS_STRING(bytes.get()),
                     static_cast<size_t>(PyBytes_GET_SIZE(bytes.get())));
}

}  // namespace

absl::Status ForgetPythonModules(const std::vector<std::string>& module_names,
                                 const std::vector<std::string>& directories) {
  // Nothing was imported yet; starting Python only to find that out would
  // cost a host that never runs one its start-up.
  if (!Py_IsInitialized()) return absl::OkStatus();
  std::vector<std::string> dirs;
  for (const std::string& d : directories) {
    if (!d.empty()) dirs.push_back(Canonical(d));
  }
  const std::string own_package_dir = internal::BindingsPythonDir().empty()
                                          ? std::string()
                                          : Canonical(internal::BindingsPythonDir());
  GilGuard guard;
  RequiresGil gil = guard.held();
  PyObject* modules = PyImport_GetModuleDict();  // borrowed
  if (modules == nullptr || !PyDict_Check(modules)) {
    return absl::InternalError("sys.modules is not a dict");
  }
  // A copy: entries go while we look.
  Ref items(PyDict_Items(modules));
  if (!items) {
    return internal::ErrorStatus(absl::StatusCode::kInternal,
                                 "cannot list sys.modules",
                                 internal::FetchPythonError(gil));
  }
  std::vector<std::string> forget;
  const Py_ssize_t n = PyList_GET_SIZE(items.get());
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* item = PyList_GET_ITEM(items.get(), i);   // borrowed
    PyObject* key = PyTuple_GET_ITEM(item, 0);          // borrowed
    PyObject* module = PyTuple_GET_ITEM(item, 1);       // borrowed
    const char* name_text = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key)
                                                 : nullptr;
    if (name_text == nullptr) {
      PyErr_Clear();
      continue;
    }
    const std::string name = name_text;
    std::string file = FileOf(gil, module);
    if (file.empty() || IsExtension(file)) continue;
    file = Canonical(file);
    if (Under(file, own_package_dir)) continue;
    bool named = false;
    for (const std::string& parent : module_names) {
      if (!parent.empty() && InPackage(name, parent)) named = true;
    }
    bool in_dir = false;
    if (!named && !IsInstalled(file)) {
      for (const std::string& d : dirs) {
        if (Under(file, d)) in_dir = true;
      }
    }
    if (named || in_dir) forget.push_back(name);
  }
  for (const std::string& name : forget) {
    if (PyDict_DelItemString(modules, name.c_str()) != 0) PyErr_Clear();
  }
  // The path finders cache each folder's listing (refreshed by its mtime,
  // which may not have moved within the same second): forget those too.
  Ref importlib(PyImport_ImportModule("importlib"));
  Ref done(importlib ? PyObject_CallMethod(importlib.get(), "invalidate_caches",
                                           nullptr)
                     : nullptr);
  if (!done) {
    return internal::ErrorStatus(absl::StatusCode::kInternal,
                                 "importlib.invalidate_caches() failed",
                                 internal::FetchPythonError(gil));
  }
  return absl::OkStatus();
}

}  // namespace pydest
