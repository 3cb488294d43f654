#include "libpydest/python/options_dict.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "bindings/module/syslogng_module.h"

namespace pydest::internal {
namespace {

PyObject* Str(const std::string& s) {
  return PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()),
                              "surrogateescape");
}

PyObject* TypedValue(RequiresGil gil, const OptionValue& v,
                     const DestinationOptions& options) {
  switch (v.kind) {
    case OptionValue::Kind::kInteger: {
      PyObject* n = PyLong_FromString(v.text.c_str(), nullptr, 0);
      if (n != nullptr) return n;
      PyErr_Clear();
      return Str(v.text);
    }
    case OptionValue::Kind::kDouble: {
      PyObject* s = Str(v.text);
      if (s == nullptr) return nullptr;
      PyObject* f = PyFloat_FromString(s);
      Py_DECREF(s);
      if (f != nullptr) return f;
      PyErr_Clear();
      return Str(v.text);
    }
    case OptionValue::Kind::kBoolean: {
      std::string t = absl::AsciiStrToLower(v.text);
      return PyBool_FromLong(t == "yes" || t == "true" || t == "on" ||
                             t == "1");
    }
    case OptionValue::Kind::kList: {
      PyObject* list = PyList_New(0);
      for (const std::string& item : v.items) {
        PyObject* s = Str(item);
        if (s == nullptr || PyList_Append(list, s) != 0) {
          Py_XDECREF(s);
          Py_DECREF(list);
          return nullptr;
        }
        Py_DECREF(s);
      }
      return list;
    }
    case OptionValue::Kind::kTemplate:
      return NewLogTemplate(gil, v.text, options.template_options);
    case OptionValue::Kind::kString:
      break;
  }
  return Str(v.text);
}

}  // namespace

PyObject* NewOptionsDict(RequiresGil gil, const DestinationOptions& options) {
  // options() values are typed from syslog-ng 4.2 on; before, every value is
  // its text (a list as its items joined with commas).
  const bool typed = options.version.AtLeast(4, 2);
  PyObject* dict = PyDict_New();
  if (dict == nullptr) return nullptr;
  for (const auto& [key, value] : options.options) {
    PyObject* v = nullptr;
    if (typed) {
      v = TypedValue(gil, value, options);
    } else if (value.kind == OptionValue::Kind::kList) {
      v = Str(absl::StrJoin(value.items, ","));
    } else {
      v = Str(value.text);
    }
    if (v == nullptr || PyDict_SetItemString(dict, key.c_str(), v) != 0) {
      Py_XDECREF(v);
      Py_DECREF(dict);
      return nullptr;
    }
    Py_DECREF(v);
  }
  return dict;
}

}  // namespace pydest::internal
