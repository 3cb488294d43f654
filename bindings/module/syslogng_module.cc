#include "bindings/module/syslogng_module.h"

#include <pybind11/pybind11.h>

#include <utility>

#include "bindings/module/registrations.h"

namespace py = pybind11;

namespace pydest::internal {
namespace {

// The `seqnum` class attribute (syslog-ng-behaviour.md §2.2 step 4): an
// object whose int() is the worker's current sequence number.
struct SeqNum {
  std::shared_ptr<const std::atomic<uint64_t>> counter;
  uint64_t value() const { return counter ? counter->load() : 0; }
};

void RegisterSeqNum(py::module_& m) {
  py::class_<SeqNum>(m, "SeqNum")
      .def("__int__", &SeqNum::value)
      .def("__index__", &SeqNum::value)
      .def("__repr__",
           [](const SeqNum& s) { return std::to_string(s.value()); });
}

}  // namespace

bool InstallSyslogngModule(RequiresGil) {
  PyObject* modules = PyImport_GetModuleDict();  // borrowed
  if (PyDict_GetItemString(modules, "_syslogng") != nullptr) return true;
  try {
    static py::module_::module_def def;
    py::module_ m = py::module_::create_extension_module(
        "_syslogng", "libpydest's implementation of syslog-ng's Python API",
        &def);
    m.attr("LTZ_LOCAL") = 0;
    m.attr("LTZ_SEND") = 1;
    RegisterSeqNum(m);
    m.def("stats_written_bytes_add", [](int64_t n) {
      if (n > 0) {
        CurrentDestination()->counters->written_bytes.fetch_add(
            static_cast<uint64_t>(n), std::memory_order_relaxed);
      }
    });
    RegisterLogMessage(m);
    RegisterLogTemplate(m);
    RegisterLogger(m);
    RegisterPersist(m);
    RegisterConfigGenerators(m);
    RegisterInstallationPaths(m);
    RegisterDriverBases(m);  // last: its classes use the functions above
    return PyDict_SetItemString(modules, "_syslogng", m.ptr()) == 0;
  } catch (py::error_already_set& e) {
    e.restore();
    return false;
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
    return false;
  }
}

PyObject* NewSeqNum(RequiresGil,
                    std::shared_ptr<const std::atomic<uint64_t>> counter) {
  return NewReferenceOrError([&] {
    return py::cast(SeqNum{std::move(counter)});
  });
}

}  // namespace pydest::internal
