// pydest::PythonConfigGenerators: the configuration layer's generator hook,
// answered by the generators Python code registered in the syslogng
// module's registry (bindings/module/config_generators.h).
#include <Python.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "bindings/module/config_generators.h"
#include "bindings/module/syslogng_interpreter.h"
#include "libpydest/pyrt/gil.h"
#include "libpydest/pyrt/interpreter.h"
#include "libpydest/pyrt/py_error.h"
#include "libpydest/pyrt/py_ref.h"
#include "libpydest/python/class_loader.h"
#include "pydest/config_generators.h"

namespace pydest {
namespace {

using internal::GilGuard;
using internal::Ref;
using internal::RequiresGil;

// generator({"name": "raw value", ...}) -> the configuration text.
absl::StatusOr<std::string> Generate(RequiresGil gil, PyObject* generator,
                                     const ConfigGeneratorCall& call) {
  Ref args(PyDict_New());
  if (!args) {
    return internal::ErrorStatus(absl::StatusCode::kInternal,
                                 "cannot build the arguments",
                                 internal::FetchPythonError(gil));
  }
  for (const auto& [name, value] : call.args) {
    Ref v(PyUnicode_DecodeUTF8(value.data(), value.size(), "surrogateescape"));
    if (!v || PyDict_SetItemString(args.get(), name.c_str(), v.get()) != 0) {
      return internal::ErrorStatus(absl::StatusCode::kInvalidArgument,
                                   absl::StrCat("bad argument '", name, "'"),
                                   internal::FetchPythonError(gil));
    }
  }
  Ref result(PyObject_CallOneArg(generator, args.get()));
  if (!result) {
    return internal::ErrorStatus(absl::StatusCode::kInvalidArgument,
                                 "the generator raised",
                                 internal::FetchPythonError(gil));
  }
  if (PyBytes_Check(result.get())) {
    return std::string(PyBytes_AS_STRING(result.get()),
                       PyBytes_GET_SIZE(result.get()));
  }
  if (PyUnicode_Check(result.get())) {
    Py_ssize_t size = 0;
    const char* text = PyUnicode_AsUTF8AndSize(result.get(), &size);
    if (text == nullptr) {
      return internal::ErrorStatus(absl::StatusCode::kInvalidArgument,
                                   "the generator returned a str that is "
                                   "not UTF-8",
                                   internal::FetchPythonError(gil));
    }
    return std::string(text, size);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("the generator returned ", internal::Repr(gil, result.get()),
                   "; expected str or bytes"));
}

}  // namespace

ConfigGeneratorHook PythonConfigGenerators(std::vector<std::string> python_path) {
  return [python_path = std::move(python_path)](
             const ConfigGeneratorCall& call)
             -> absl::StatusOr<std::optional<std::string>> {
    if (call.python_code.empty()) return std::nullopt;
    if (absl::Status s = internal::EnsureInterpreter(); !s.ok()) return s;
    GilGuard guard;
    RequiresGil gil = guard.held();
    if (absl::Status s = internal::AddSearchPaths(gil, python_path, "");
        !s.ok()) {
      return s;
    }
    // The python {} code registers the generators (unchanged code is not
    // run again).
    DestinationOptions code;
    code.global_code = call.python_code;
    code.global_code_filename = call.python_code_filename;
    if (absl::Status s = internal::LoadGlobalCode(gil, code); !s.ok()) {
      return s;
    }
    Ref generator(internal::FindConfigGenerator(gil, call.context, call.name));
    if (!generator) return std::nullopt;
    if (!call.args_ok) {
      return absl::InvalidArgumentError(
          "its arguments must be written name(value)");
    }
    absl::StatusOr<std::string> text = Generate(gil, generator.get(), call);
    if (!text.ok()) return text.status();
    return std::optional<std::string>(std::move(*text));
  };
}

}  // namespace pydest
