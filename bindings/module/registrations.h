// Private to bindings/module: each file of the `_syslogng` module adds its
// types to the module object here. Called once, with the GIL held.
#ifndef BINDINGS_MODULE_REGISTRATIONS_H_
#define BINDINGS_MODULE_REGISTRATIONS_H_

#include <pybind11/pybind11.h>

namespace pydest::internal {

void RegisterLogMessage(pybind11::module_& m);
void RegisterLogTemplate(pybind11::module_& m);
void RegisterLogger(pybind11::module_& m);
void RegisterPersist(pybind11::module_& m);

}  // namespace pydest::internal

#endif  // BINDINGS_MODULE_REGISTRATIONS_H_
