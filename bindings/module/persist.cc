// syslogng.Persist (syslog-ng-behaviour.md §7.5): a dict-like Python face
// over a PersistStore of the current destination's state_dir.
#include <pybind11/pybind11.h>

#include <memory>
#include <string>

#include "bindings/module/persist_store.h"
#include "bindings/module/registrations.h"
#include "libpydest/pyrt/destination_context.h"

namespace py = pybind11;

namespace pydest::internal {
namespace {

struct PyPersist {
  std::shared_ptr<PersistStore> store;
  std::string persist_name;
};

PersistValue ToValue(const py::handle& v) {
  PersistValue out;
  if (py::isinstance<py::bool_>(v)) {
    throw py::type_error("Persist values must be str, int or bytes");
  }
  if (py::isinstance<py::str>(v)) {
    out.kind = PersistValue::Kind::kStr;
    out.text = v.cast<std::string>();
  } else if (py::isinstance<py::bytes>(v)) {
    out.kind = PersistValue::Kind::kBytes;
    out.text = v.cast<std::string>();
  } else if (py::isinstance<py::int_>(v)) {
    out.kind = PersistValue::Kind::kInt;
    out.integer = v.cast<int64_t>();
  } else {
    throw py::type_error("Persist values must be str, int or bytes");
  }
  return out;
}

py::object FromValue(const PersistValue& v) {
  switch (v.kind) {
    case PersistValue::Kind::kStr:
      return py::str(v.text);
    case PersistValue::Kind::kInt:
      return py::int_(v.integer);
    case PersistValue::Kind::kBytes:
      return py::bytes(v.text);
  }
  return py::none();
}

void Store(PyPersist& p, const std::string& key, const py::handle& value) {
  absl::Status s = p.store->Set(key, ToValue(value));
  if (!s.ok()) throw std::runtime_error(std::string(s.message()));
}

}  // namespace

void RegisterPersist(py::module_& m) {
  py::class_<PyPersist>(m, "Persist")
      .def(py::init([](const std::string& persist_name, py::object defaults) {
             auto context = CurrentDestination();
             auto store = PersistStore::Open(context->state_dir, persist_name);
             if (!store.ok()) {
               if (absl::IsInvalidArgument(store.status())) {
                 throw py::value_error(std::string(store.status().message()));
               }
               throw std::runtime_error(std::string(store.status().message()));
             }
             PyPersist p{*store, persist_name};
             if (!defaults.is_none()) {
               py::dict d = defaults.cast<py::dict>();
               for (auto item : d) {
                 std::string key = py::str(item.first).cast<std::string>();
                 if (!p.store->Get(key)) Store(p, key, item.second);
               }
             }
             return p;
           }),
           py::arg("persist_name"), py::arg("defaults") = py::none())
      .def("__getitem__",
           [](const PyPersist& p, const std::string& key) {
             auto v = p.store->Get(key);
             if (!v) throw py::key_error(key);
             return FromValue(*v);
           })
      .def("__setitem__", &Store)
      .def("__contains__",
           [](const PyPersist& p, const std::string& key) {
             return p.store->Get(key).has_value();
           })
      .def("keys",
           [](const PyPersist& p) {
             py::list out;
             for (const std::string& k : p.store->Keys()) out.append(k);
             return out;
           })
      .def(
          "get",
          [](const PyPersist& p, const std::string& key,
             py::object default_value) -> py::object {
            auto v = p.store->Get(key);
            return v ? FromValue(*v) : default_value;
          },
          py::arg("key"), py::arg("default") = py::none())
      .def_property_readonly("persist_name",
                             [](const PyPersist& p) { return p.persist_name; })
      .def_property_readonly(
          "path", [](const PyPersist& p) { return p.store->path(); });
}

}  // namespace pydest::internal
