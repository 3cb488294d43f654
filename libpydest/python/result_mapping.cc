#include "libpydest/python/result_mapping.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace pydest::internal {

MappedResult MapResult(RequiresGil, PyObject* value,
                       const ConfigVersion& version) {
  MappedResult out;
  // bool is a subclass of int: test it first, or True would be ERROR (1).
  if (PyBool_Check(value)) {
    out.result = value == Py_True ? DeliveryResult::kSuccess
                                  : DeliveryResult::kError;
    return out;
  }
  const bool v4 = version.AtLeast(4, 0);
  if (PyLong_Check(value)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (PyErr_Occurred()) PyErr_Clear();
    if (overflow == 0 && v >= 0 && v <= 6) {
      out.result = static_cast<DeliveryResult>(v);
      return out;
    }
    LogRecord r;
    r.level = LogRecord::Level::kError;
    r.text = absl::StrCat(v4 ? "python-dest: " : "",
                          "Result of send() is out of range. Retrying "
                          "message later");
    PyObject* repr = PyObject_Repr(value);
    const char* text = repr ? PyUnicode_AsUTF8(repr) : nullptr;
    r.tags = {{"result", text ? text : "?"}};
    if (PyErr_Occurred()) PyErr_Clear();
    Py_XDECREF(repr);
    out.log = std::move(r);
    return out;
  }
  LogRecord r;
  r.level = LogRecord::Level::kError;
  r.text = v4 ? "python-dest: Error converting the result of send() to a "
                "LogDestinationResult enum. Retrying message later"
              : "Error converting PyObject to int. Retrying message later";
  // The text CPython's int conversion gives, as syslog-ng logs it.
  r.tags = {{"exception",
             absl::StrCat("TypeError: '", Py_TYPE(value)->tp_name,
                          "' object cannot be interpreted as an integer")}};
  out.log = std::move(r);
  return out;
}

}  // namespace pydest::internal
