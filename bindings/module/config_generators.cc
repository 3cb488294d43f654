// syslogng.register_config_generator and its registry (config_generators.h).
#include "bindings/module/config_generators.h"

#include <pybind11/pybind11.h>

#include <algorithm>
#include <string>

#include "bindings/module/registrations.h"

namespace py = pybind11;

namespace pydest::internal {
namespace {

struct Entry {
  std::string context;
  std::string name;
  PyObject* generator;  // owned; never released (the interpreter is not
                        // finalised, interpreter.h)
};

// Guarded by the GIL.
std::vector<Entry>& Registry() {
  static auto* registry = new std::vector<Entry>();
  return *registry;
}

}  // namespace

const std::vector<std::string_view>& ConfigGeneratorContexts() {
  static const auto* const kContexts = new std::vector<std::string_view>{
      "root",          "destination",  "source",     "parser",
      "rewrite",       "filter",       "log",        "block-def",
      "block-arg",     "block-ref",    "block-content", "block-func-arg",
      "pragma",        "format",       "template-func", "inner-dest",
      "inner-src",     "client-proto", "server-proto",  "options",
      "config",        "template-ref"};
  return *kContexts;
}

std::vector<ConfigGenerator> ConfigGenerators(RequiresGil) {
  std::vector<ConfigGenerator> out;
  for (const Entry& e : Registry()) {
    Py_INCREF(e.generator);
    out.push_back({e.context, e.name, e.generator});
  }
  return out;
}

PyObject* FindConfigGenerator(RequiresGil, std::string_view context,
                              std::string_view name) {
  for (const Entry& e : Registry()) {
    if (e.context == context && e.name == name) {
      Py_INCREF(e.generator);
      return e.generator;
    }
  }
  return nullptr;
}

bool RegisterConfigGenerator(RequiresGil, const std::string& context,
                             const std::string& name, PyObject* generator) {
  const auto& contexts = ConfigGeneratorContexts();
  if (std::find(contexts.begin(), contexts.end(), context) == contexts.end()) {
    std::string known;
    for (std::string_view c : contexts) {
      if (!known.empty()) known += ", ";
      known.append(c.data(), c.size());
    }
    PyErr_Format(PyExc_ValueError, "unknown context value %s (one of: %s)",
                 context.c_str(), known.c_str());
    return false;
  }
  if (!PyCallable_Check(generator)) {
    PyErr_Format(PyExc_TypeError,
                 "register_config_generator(): config_generator must be "
                 "callable, not %s",
                 Py_TYPE(generator)->tp_name);
    return false;
  }
  Py_INCREF(generator);
  for (Entry& e : Registry()) {
    if (e.context == context && e.name == name) {
      PyObject* old = e.generator;
      e.generator = generator;
      Py_DECREF(old);  // last: its __del__ may run Python
      return true;
    }
  }
  Registry().push_back({context, name, generator});
  return true;
}

void ClearConfigGenerators(RequiresGil) {
  std::vector<Entry> old;
  old.swap(Registry());  // a generator's __del__ may register again
  for (Entry& e : old) Py_DECREF(e.generator);
}

void RegisterConfigGenerators(py::module_& m) {
  m.def(
      "register_config_generator",
      [](const std::string& context, const std::string& name,
         py::object config_generator) {
        if (!RegisterConfigGenerator(RequiresGil::InsidePython(), context,
                                     name, config_generator.ptr())) {
          throw py::error_already_set();
        }
      },
      py::arg("context"), py::arg("name"), py::arg("config_generator"),
      "Records a config generator for NAME(...) in `context`; libpydest's "
      "configuration layer reads the registry.");
  m.def("_config_generators", [] {
    py::list out;
    for (const Entry& e : Registry()) {
      out.append(py::make_tuple(e.context, e.name,
                                py::reinterpret_borrow<py::object>(
                                    e.generator)));
    }
    return out;
  });
}

}  // namespace pydest::internal
