// Private to bindings/module: each file of the `_syslogng` module adds its
// types to the module object here. Called once, with the GIL held.
#ifndef BINDINGS_MODULE_REGISTRATIONS_H_
#define BINDINGS_MODULE_REGISTRATIONS_H_

#include <pybind11/pybind11.h>

#include <exception>

namespace pydest::internal {

void RegisterLogMessage(pybind11::module_& m);
void RegisterLogTemplate(pybind11::module_& m);
void RegisterLogger(pybind11::module_& m);
void RegisterPersist(pybind11::module_& m);
void RegisterDriverBases(pybind11::module_& m);        // driver_bases.cc
void RegisterConfigGenerators(pybind11::module_& m);   // config_generators.cc
void RegisterInstallationPaths(pybind11::module_& m);  // installation_paths.cc

// Hands a C API caller a new reference to the object `make()` returns, or
// nullptr with the Python error set: no C++ or pybind11 exception may
// escape into the C callers of this module.
template <typename Make>
PyObject* NewReferenceOrError(Make&& make) {
  try {
    return make().release().ptr();
  } catch (pybind11::error_already_set& e) {
    e.restore();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
  return nullptr;
}

}  // namespace pydest::internal

#endif  // BINDINGS_MODULE_REGISTRATIONS_H_
