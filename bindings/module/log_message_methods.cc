// _syslogng.LogMessage's methods (syslog-ng-behaviour.md §7.2): keys(), get(),
// get_as_str(), get_pri(), set_pri(), get_timestamp(), set_timestamp(), and
// syslog-ng's source-side set_bookmark(), set_source_ipaddress(),
// set_recvd_rawmsg_size(), parse(), which raise NotImplementedError.
// get() and get_as_str() take keyword arguments under syslog-ng's names.
#include <cstdint>
#include <string>
#include <string_view>

#include "bindings/module/log_message_object.h"
#include "bindings/module/log_message_values.h"
#include "libpydest/pyrt/host_facts.h"
#include "libpydest/pyrt/py_values.h"

namespace pydest::internal {
namespace {

constexpr const char* kReadOnly = kLogMessageReadOnly;

RequiresGil Gil() { return RequiresGil::InsidePython(); }

LogMessageData& Data(PyObject* self) { return LogMessageDataUnchecked(self); }

// Binds a METH_FASTCALL | METH_KEYWORDS call to `names` (the first
// `required` are mandatory); out[i] is borrowed, or null when not given.
// False with TypeError set on a wrong call.
bool BindArgs(const char* fn, PyObject* const* args, Py_ssize_t nargs,
              PyObject* kwnames, const char* const* names, int count,
              int required, PyObject** out) {
  if (nargs > count) {
    PyErr_Format(PyExc_TypeError,
                 "%s() takes at most %d arguments (%zd given)", fn, count,
                 nargs);
    return false;
  }
  for (int i = 0; i < count; ++i) out[i] = i < nargs ? args[i] : nullptr;
  Py_ssize_t nkw = kwnames != nullptr ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t k = 0; k < nkw; ++k) {
    PyObject* kw = PyTuple_GET_ITEM(kwnames, k);
    int slot = -1;
    for (int i = 0; i < count && slot < 0; ++i) {
      if (PyUnicode_CompareWithASCIIString(kw, names[i]) == 0) slot = i;
    }
    if (slot < 0) {
      PyErr_Format(PyExc_TypeError,
                   "%s() got an unexpected keyword argument '%U'", fn, kw);
      return false;
    }
    if (out[slot] != nullptr) {
      PyErr_Format(PyExc_TypeError,
                   "%s() got multiple values for argument '%s'", fn,
                   names[slot]);
      return false;
    }
    out[slot] = args[nargs + k];
  }
  for (int i = 0; i < required; ++i) {
    if (out[i] == nullptr) {
      PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s'",
                   fn, names[i]);
      return false;
    }
  }
  return true;
}

// A str or bytes argument as UTF-8 (encoding=, errors= of get_as_str).
bool TextArg(const char* fn, const char* arg, PyObject* obj,
             std::string_view* out) {
  if (PyUnicode_Check(obj) || PyBytes_Check(obj)) {
    return NameView(Gil(), obj, out);
  }
  PyErr_Format(PyExc_TypeError, "%s(): %s must be str, not %s", fn, arg,
               Py_TYPE(obj)->tp_name);
  return false;
}

PyObject* Keys(PyObject* self, PyObject*) {
  const LogMessageData& d = Data(self);
  PyObject* out = PyList_New(0);
  if (out == nullptr) return nullptr;
  auto append = [out](std::string_view name) {
    PyObject* b = PyBytes_FromStringAndSize(
        name.data(), static_cast<Py_ssize_t>(name.size()));
    if (b == nullptr) return false;
    int rc = PyList_Append(out, b);
    Py_DECREF(b);
    return rc == 0;
  };
  bool ok = true;
  d.message.ForEachPair([&](std::string_view name, std::string_view) {
    ok = append(name);
    return ok;
  });
  for (MacroId id : AllMacros()) {
    if (!ok) break;
    ok = append(MacroName(id));
  }
  if (!ok) {
    Py_DECREF(out);
    return nullptr;
  }
  return out;
}

PyObject* Get(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
              PyObject* kwnames) {
  static const char* const kNames[] = {"key", "default"};
  PyObject* a[2];
  if (!BindArgs("get", args, nargs, kwnames, kNames, 2, 1, a)) return nullptr;
  std::string_view name;
  if (!NameView(Gil(), a[0], &name)) return nullptr;
  PyObject* value = nullptr;
  if (LookupValue(Gil(), Data(self), name, &value) != 0) return value;
  PyObject* dflt = a[1] != nullptr ? a[1] : Py_None;
  Py_INCREF(dflt);
  return dflt;
}

// get_as_str(): a list macro ($TAGS under 4.x) in its comma-separated form,
// as syslog-ng gives it back.
PyObject* JoinList(PyObject* list) {
  std::string joined;
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); ++i) {
    std::string_view item;
    if (!NameView(Gil(), PyList_GET_ITEM(list, i), &item)) return nullptr;
    if (!joined.empty()) joined += ',';
    joined.append(item);
  }
  return PyBytes_FromStringAndSize(joined.data(),
                                   static_cast<Py_ssize_t>(joined.size()));
}

PyObject* GetAsStr(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                   PyObject* kwnames) {
  static const char* const kNames[] = {"key", "default", "encoding", "errors",
                                       "repr"};
  PyObject* a[5];
  if (!BindArgs("get_as_str", args, nargs, kwnames, kNames, 5, 1, a)) {
    return nullptr;
  }
  std::string_view encoding = "utf-8", errors = "strict", repr;
  if ((a[2] != nullptr && !TextArg("get_as_str", "encoding", a[2], &encoding)) ||
      (a[3] != nullptr && !TextArg("get_as_str", "errors", a[3], &errors)) ||
      (a[4] != nullptr && !TextArg("get_as_str", "repr", a[4], &repr))) {
    return nullptr;
  }
  PyObject* dflt = a[1] != nullptr ? a[1] : Py_None;
  if (dflt != Py_None && !PyUnicode_Check(dflt)) {
    PyErr_SetString(PyExc_TypeError, "default must be str or None");
    return nullptr;
  }
  std::string_view name;
  if (!NameView(Gil(), a[0], &name)) return nullptr;
  PyObject* value = nullptr;
  int found = LookupValue(Gil(), Data(self), name, &value);
  if (found < 0) return nullptr;
  if (found == 0) {
    Py_INCREF(dflt);
    return dflt;
  }
  if (PyList_Check(value)) {
    PyObject* joined = JoinList(value);
    Py_DECREF(value);
    if (joined == nullptr) return nullptr;
    value = joined;
  }
  PyObject* out;
  if (PyBytes_Check(value)) {
    // NUL-terminated copies: the views may point into Python objects that
    // are not NUL-terminated at the view's end.
    std::string enc(encoding), err(errors);
    out = PyUnicode_Decode(PyBytes_AS_STRING(value), PyBytes_GET_SIZE(value),
                           enc.c_str(), err.c_str());
  } else {
    out = PyObject_Str(value);
  }
  Py_DECREF(value);
  return out;
}

PyObject* GetPri(PyObject* self, PyObject*) {
  return PyLong_FromLong(Data(self).message.pri());
}

PyObject* SetPri(PyObject* self, PyObject* arg) {
  int overflow = 0;
  long pri = -1;
  if (PyLong_Check(arg) || (!PyFloat_Check(arg) && PyIndex_Check(arg))) {
    pri = PyLong_AsLongAndOverflow(arg, &overflow);
    if (pri == -1 && PyErr_Occurred()) return nullptr;
  } else {
    overflow = 1;
  }
  if (overflow != 0 || pri < INT32_MIN || pri > INT32_MAX) {
    PyErr_Format(PyExc_TypeError, "set_pri(): pri must be an int, not %s",
                 Py_TYPE(arg)->tp_name);
    return nullptr;
  }
  LogMessageData& d = Data(self);
  if (d.read_only) {
    PyErr_SetString(PyExc_TypeError, kReadOnly);
    return nullptr;
  }
  MessageBuilder b = Rebuild(d.message);
  b.SetPri(static_cast<int>(pri));
  d.message = b.Build();
  Py_RETURN_NONE;
}

PyObject* GetTimestamp(PyObject* self, PyObject*) {
  Timestamp t = Data(self).message.stamp();
  return NewDateTimeAtOffset(Gil(), t.unix_seconds, t.microseconds,
                             t.utc_offset_seconds);
}

// float(obj.method()), or false with the error set.
bool CallForDouble(PyObject* obj, const char* method, double* out) {
  PyObject* r = PyObject_CallMethod(obj, method, nullptr);
  if (r == nullptr) return false;
  *out = PyFloat_AsDouble(r);
  Py_DECREF(r);
  return !(*out == -1.0 && PyErr_Occurred());
}

PyObject* SetTimestamp(PyObject* self, PyObject* when) {
  LogMessageData& d = Data(self);
  if (d.read_only) {
    PyErr_SetString(PyExc_TypeError, kReadOnly);
    return nullptr;
  }
  static PyObject* datetime_type = [] {
    PyObject* mod = PyImport_ImportModule("datetime");
    if (mod == nullptr) return static_cast<PyObject*>(nullptr);
    PyObject* type = PyObject_GetAttrString(mod, "datetime");
    Py_DECREF(mod);
    return type;  // kept for the process lifetime
  }();
  if (datetime_type == nullptr) return nullptr;
  int is_datetime = PyObject_IsInstance(when, datetime_type);
  if (is_datetime < 0) return nullptr;
  if (is_datetime == 0) {
    PyErr_SetString(PyExc_ValueError, "timestamp must be a datetime.datetime");
    return nullptr;
  }
  double secs = 0;
  if (!CallForDouble(when, "timestamp", &secs)) return nullptr;
  PyObject* off = PyObject_CallMethod(when, "utcoffset", nullptr);
  if (off == nullptr) return nullptr;
  int32_t offset = 0;
  if (off == Py_None) {
    offset = NowLocal().utc_offset_seconds;
  } else {
    double off_secs = 0;
    bool ok = CallForDouble(off, "total_seconds", &off_secs);
    if (!ok) {
      Py_DECREF(off);
      return nullptr;
    }
    offset = static_cast<int32_t>(off_secs);
  }
  Py_DECREF(off);
  MessageBuilder b = Rebuild(d.message);
  auto whole = static_cast<int64_t>(secs);
  auto micros = static_cast<int32_t>((secs - whole) * 1e6 + 0.5);
  if (micros >= 1000000) micros = 999999;
  b.SetStamp(Timestamp{whole, micros, offset});
  d.message = b.Build();
  Py_RETURN_NONE;
}

// set_bookmark(), set_source_ipaddress(), set_recvd_rawmsg_size() and the
// static parse() serve python() sources, which run inside syslog-ng only.
PyObject* SourceOnly(const char* what) {
  PyErr_Format(PyExc_NotImplementedError,
               "LogMessage.%s() is only available inside syslog-ng: libpydest "
               "runs python() destinations, not sources",
               what);
  return nullptr;
}
PyObject* SetBookmark(PyObject*, PyObject*, PyObject*) {
  return SourceOnly("set_bookmark");
}
PyObject* SetSourceIpAddress(PyObject*, PyObject*, PyObject*) {
  return SourceOnly("set_source_ipaddress");
}
PyObject* SetRecvdRawmsgSize(PyObject*, PyObject*, PyObject*) {
  return SourceOnly("set_recvd_rawmsg_size");
}
PyObject* Parse(PyObject*, PyObject*, PyObject*) { return SourceOnly("parse"); }

template <typename Fn>
PyCFunction AsCFunction(Fn fn) {
  return reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fn));
}

}  // namespace

PyMethodDef kLogMessageMethods[] = {
    {"keys", Keys, METH_NOARGS,
     "keys() -> list of bytes: the set name-value pairs, then every macro"},
    {"get", AsCFunction(Get), METH_FASTCALL | METH_KEYWORDS,
     "get(key, default=None): the value of key, or default"},
    {"get_as_str", AsCFunction(GetAsStr), METH_FASTCALL | METH_KEYWORDS,
     "get_as_str(key, default=None, encoding='utf-8', errors='strict', "
     "repr='internal'): the value of key as str, or default"},
    {"get_pri", GetPri, METH_NOARGS, "get_pri() -> int: the PRI"},
    {"set_pri", SetPri, METH_O, "set_pri(pri): writable messages only"},
    {"get_timestamp", GetTimestamp, METH_NOARGS,
     "get_timestamp() -> naive datetime in the message's own UTC offset"},
    {"set_timestamp", SetTimestamp, METH_O,
     "set_timestamp(datetime): writable messages only"},
    {"set_bookmark", AsCFunction(SetBookmark), METH_VARARGS | METH_KEYWORDS,
     "sources only: raises NotImplementedError"},
    {"set_source_ipaddress", AsCFunction(SetSourceIpAddress),
     METH_VARARGS | METH_KEYWORDS, "sources only: raises NotImplementedError"},
    {"set_recvd_rawmsg_size", AsCFunction(SetRecvdRawmsgSize),
     METH_VARARGS | METH_KEYWORDS, "sources only: raises NotImplementedError"},
    {"parse", AsCFunction(Parse), METH_STATIC | METH_VARARGS | METH_KEYWORDS,
     "sources only: raises NotImplementedError"},
    {nullptr, nullptr, 0, nullptr},
};

}  // namespace pydest::internal
