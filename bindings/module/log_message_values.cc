#include "bindings/module/log_message_values.h"

#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "libpydest/message/message_rep.h"
#include "libpydest/pyrt/host_facts.h"
#include "libpydest/pyrt/py_values.h"

namespace pydest::internal {
namespace {

PyObject* Bytes(std::string_view v) {
  return PyBytes_FromStringAndSize(v.data(), static_cast<Py_ssize_t>(v.size()));
}

// 4.x typed macro values (syslog-ng-behaviour.md §4.2); a failed one stays
// bytes, as syslog-ng falls back silently. `value` is NUL-terminated.
PyObject* TypedMacro(RequiresGil gil, TypeHint type, const std::string& value) {
  if (value.empty()) return Bytes(value);
  switch (type) {
    case TypeHint::kInt32:
    case TypeHint::kInt64: {
      errno = 0;
      char* end = nullptr;
      long long v = std::strtoll(value.c_str(), &end, 10);
      if (errno == 0 && end != nullptr && *end == '\0') {
        return PyLong_FromLongLong(v);
      }
      return Bytes(value);
    }
    case TypeHint::kList: {
      std::vector<std::string> items = SplitSyslogList(value);
      PyObject* out = PyList_New(static_cast<Py_ssize_t>(items.size()));
      if (out == nullptr) return nullptr;
      for (size_t i = 0; i < items.size(); ++i) {
        PyObject* item = Bytes(items[i]);
        if (item == nullptr) {
          Py_DECREF(out);
          return nullptr;
        }
        PyList_SET_ITEM(out, static_cast<Py_ssize_t>(i), item);
      }
      return out;
    }
    case TypeHint::kDateTime: {
      char* end = nullptr;
      errno = 0;
      double secs = std::strtod(value.c_str(), &end);
      if (errno != 0 || end == nullptr || *end != '\0') return Bytes(value);
      auto micros = static_cast<int64_t>(secs * 1000.0) * 1000;  // ms precision
      return NewLocalDateTime(gil, micros);
    }
    default:
      return Bytes(value);
  }
}

// Which macros show the clock, by id. The macro layer names them by family:
// $C_* is the current time, $P_* falls back to it when the message has no
// processing time, and $SYSUPTIME counts from start-up.
// tests/bindings/log_message_test.cc checks this against AppendMacro itself.
const std::vector<bool>& ClockMacros() {
  static const std::vector<bool>* table = [] {
    auto* t = new std::vector<bool>(MacroCount());
    for (size_t i = 0; i < t->size(); ++i) {
      std::string_view name = MacroName(static_cast<MacroId>(i));
      (*t)[i] = name.substr(0, 2) == "C_" || name.substr(0, 2) == "P_" ||
                name == "SYSUPTIME";
    }
    return t;
  }();
  return *table;
}

}  // namespace

bool NameView(RequiresGil, PyObject* key, std::string_view* name) {
  if (PyUnicode_Check(key)) {
    Py_ssize_t n = 0;
    const char* p = PyUnicode_AsUTF8AndSize(key, &n);
    if (p == nullptr) return false;
    *name = std::string_view(p, static_cast<size_t>(n));
    return true;
  }
  if (PyBytes_Check(key)) {
    *name = std::string_view(PyBytes_AS_STRING(key),
                             static_cast<size_t>(PyBytes_GET_SIZE(key)));
    return true;
  }
  PyErr_Format(PyExc_TypeError, "name must be str or bytes, not %s",
               Py_TYPE(key)->tp_name);
  return false;
}

bool CompatMode(const LogMessageData& d) {
  return !d.context->version.AtLeast(4, 0);
}

bool MacroReadsClock(MacroId id) {
  const std::vector<bool>& t = ClockMacros();
  return id < t.size() && t[id];
}

int LookupValue(RequiresGil gil, const LogMessageData& d,
                std::string_view name, PyObject** value) {
  if (auto v = MessageAccess::Rep(d.message).Get(name)) {
    *value = Bytes(*v);
    return *value != nullptr ? 1 : -1;
  }
  auto id = LookupMacro(name);
  if (!id) return 0;
  MacroContext ctx;
  ctx.template_options = &d.context->template_options;
  ctx.seqnum = d.seqnum;
  ctx.processed = d.processed;
  ctx.loghost = LocalHostName();
  ctx.hostid = LocalHostId();
  if (MacroReadsClock(*id)) {
    ctx.now = NowLocal();
    ctx.sysuptime = UptimeCentiseconds();
  }
  // Reused across calls: a macro value needs no allocation once the
  // buffer has grown. AppendMacro runs no Python, so no call nests here.
  thread_local std::string buffer;
  buffer.clear();
  AppendMacro(*id, d.message, ctx, &buffer);
  *value = CompatMode(d) ? Bytes(buffer)
                         : TypedMacro(gil, MacroType(*id), buffer);
  return *value != nullptr ? 1 : -1;
}

bool HasName(const LogMessageData& d, std::string_view name) {
  // Every macro has a value (possibly empty), so a macro name is present.
  return MessageAccess::Rep(d.message).Get(name).has_value() ||
         LookupMacro(name).has_value();
}

bool ValueText(RequiresGil, PyObject* value, std::string* text) {
  if (PyBytes_Check(value)) {
    text->assign(PyBytes_AS_STRING(value),
                 static_cast<size_t>(PyBytes_GET_SIZE(value)));
    return true;
  }
  if (PyUnicode_Check(value)) {
    Py_ssize_t n = 0;
    const char* p = PyUnicode_AsUTF8AndSize(value, &n);
    if (p == nullptr) return false;
    text->assign(p, static_cast<size_t>(n));
    return true;
  }
  if (PyBool_Check(value)) {
    *text = value == Py_True ? "true" : "false";
    return true;
  }
  if (PyLong_Check(value) || PyFloat_Check(value)) {
    PyObject* s = PyObject_Str(value);
    if (s == nullptr) return false;
    Py_ssize_t n = 0;
    const char* p = PyUnicode_AsUTF8AndSize(s, &n);
    if (p != nullptr) text->assign(p, static_cast<size_t>(n));
    Py_DECREF(s);
    return p != nullptr;
  }
  PyErr_SetString(PyExc_TypeError,
                  "name-value pair values must be str or bytes");
  return false;
}

MessageBuilder Rebuild(const Message& m) {
  const MessageRep& r = MessageAccess::Rep(m);
  MessageBuilder b;
  b.SetStamp(r.stamp).SetReceived(r.received).SetFacility(r.facility);
  b.SetSeverity(r.severity).AddFlags(r.flags);
  for (int i = 0; i < kBuiltinPairCount; ++i) {
    auto p = static_cast<BuiltinPair>(i);
    if (r.has_builtin(p)) b.Set(kBuiltinPairNames[i], r.builtin_value(p));
  }
  for (const auto& [name, value] : r.pairs) b.Set(name, value);
  for (const SdElement& e : r.sd) {
    for (const auto& [name, value] : e.params) b.AddSdParam(e.id, name, value);
  }
  for (const std::string& t : r.tags) b.AddTag(t);
  b.SetSourceIp(r.source_ip).SetDestIp(r.dest_ip);
  b.SetDestPort(r.dest_port).SetProto(r.proto);
  return b;
}

}  // namespace pydest::internal
