#include "bindings/module/log_message.h"

#include <pybind11/pybind11.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <utility>

#include "bindings/module/registrations.h"
#include "bindings/module/syslogng_module.h"
#include "libpydest/message/macros.h"
#include "libpydest/message/message_rep.h"
#include "libpydest/python/host_facts.h"
#include "libpydest/python/py_values.h"

namespace py = pybind11;

namespace pydest::internal {
namespace {

constexpr const char* kReadOnly =
    "Log message is read only, cannot set name-value pair";

RequiresGil Gil() { return RequiresGil::InsidePython(); }

py::object Steal(PyObject* obj) {
  if (obj == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(obj);
}

py::bytes Bytes(std::string_view v) { return py::bytes(v.data(), v.size()); }

bool CompatMode(const LogMessageData& d) {
  return !d.context->version.AtLeast(4, 0);
}

// 4.x typed macro values (spec 4.2); anything that does not convert stays
// bytes, as syslog-ng falls back silently.
py::object TypedMacro(TypeHint type, const std::string& value) {
  if (value.empty()) return Bytes(value);
  switch (type) {
    case TypeHint::kInt32:
    case TypeHint::kInt64: {
      errno = 0;
      char* end = nullptr;
      long long v = std::strtoll(value.c_str(), &end, 10);
      if (errno == 0 && end != nullptr && *end == '\0') return py::int_(v);
      return Bytes(value);
    }
    case TypeHint::kList: {
      py::list out;
      for (const std::string& item : SplitSyslogList(value)) {
        out.append(Bytes(item));
      }
      return std::move(out);
    }
    case TypeHint::kDateTime: {
      char* end = nullptr;
      errno = 0;
      double secs = std::strtod(value.c_str(), &end);
      if (errno != 0 || end == nullptr || *end != '\0') return Bytes(value);
      auto micros = static_cast<int64_t>(secs * 1000.0) * 1000;  // ms precision
      return Steal(NewLocalDateTime(Gil(), micros));
    }
    default:
      return Bytes(value);
  }
}

// The value of `name`, or nullopt when it is neither a set pair nor a macro.
std::optional<py::object> Lookup(const LogMessageData& d,
                                 const std::string& name) {
  if (auto v = d.message.Get(name)) return Bytes(*v);
  auto id = LookupMacro(name);
  if (!id) return std::nullopt;
  MacroContext ctx;
  ctx.template_options = &d.context->template_options;
  ctx.seqnum = d.seqnum;
  ctx.now = NowLocal();
  ctx.processed = d.processed;
  ctx.loghost = LocalHostName();
  ctx.hostid = LocalHostId();
  ctx.sysuptime = UptimeCentiseconds();
  std::string value;
  AppendMacro(*id, d.message, ctx, &value);
  if (CompatMode(d)) return Bytes(value);
  return TypedMacro(MacroType(*id), value);
}

std::string NameOf(const py::handle& obj) {
  std::string name;
  if (!NameFromObject(Gil(), obj.ptr(), &name)) throw py::error_already_set();
  return name;
}

py::object GetItem(const LogMessageData& d, const py::handle& key) {
  std::string name = NameOf(key);
  if (auto v = Lookup(d, name)) return std::move(*v);
  if (CompatMode(d)) return py::bytes("");
  throw py::key_error("No such name-value pair " + name);
}

// A copy of `m` in a builder, to change one thing on a writable message.
MessageBuilder Rebuild(const Message& m) {
  const MessageRep& r = m.rep();
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

void RequireWritable(const LogMessageData& d) {
  if (d.read_only) throw py::type_error(kReadOnly);
}

std::string ValueText(const py::handle& value) {
  if (py::isinstance<py::bytes>(value)) return value.cast<std::string>();
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  if (py::isinstance<py::bool_>(value)) {
    return value.cast<bool>() ? "true" : "false";
  }
  if (py::isinstance<py::int_>(value) || py::isinstance<py::float_>(value)) {
    return py::str(value).cast<std::string>();
  }
  throw py::type_error("name-value pair values must be str or bytes");
}

}  // namespace

void RegisterLogMessage(py::module_& m) {
  py::class_<LogMessageData>(m, "LogMessage")
      .def(py::init([](py::object message, py::object /*bookmark*/) {
             LogMessageData d;
             d.context = CurrentDestination();
             Timestamp now = NowLocal();
             MessageBuilder b;
             b.SetStamp(now).SetReceived(now);
             if (!message.is_none()) b.SetText(ValueText(message));
             d.message = b.Build();
             d.processed = now;
             return d;
           }),
           py::arg("message") = py::none(), py::arg("bookmark") = py::none())
      .def("__getitem__", &GetItem)
      .def("__setitem__",
           [](LogMessageData& d, const py::handle& key,
              const py::handle& value) {
             RequireWritable(d);
             std::string name = NameOf(key);
             MessageBuilder b = Rebuild(d.message);
             b.Set(name, ValueText(value));
             d.message = b.Build();
           })
      .def("__contains__",
           [](const LogMessageData& d, const py::handle& key) {
             return Lookup(d, NameOf(key)).has_value();
           })
      .def("keys",
           [](const LogMessageData& d) {
             py::list out;
             d.message.ForEachPair([&](std::string_view name, std::string_view) {
               out.append(Bytes(name));
             });
             for (MacroId id : AllMacros()) out.append(Bytes(MacroName(id)));
             return out;
           })
      .def(
          "get",
          [](const LogMessageData& d, const py::handle& key,
             py::object default_value) -> py::object {
            if (auto v = Lookup(d, NameOf(key))) return std::move(*v);
            return default_value;
          },
          py::arg("key"), py::arg("default") = py::none())
      .def(
          "get_as_str",
          [](const LogMessageData& d, const py::handle& key,
             py::object default_value, const std::string& encoding,
             const std::string& errors, const std::string& /*repr*/)
              -> py::object {
            if (!default_value.is_none() &&
                !py::isinstance<py::str>(default_value)) {
              throw py::type_error("default must be str or None");
            }
            auto v = Lookup(d, NameOf(key));
            if (!v) return default_value;
            if (py::isinstance<py::bytes>(*v)) {
              return v->attr("decode")(encoding, errors);
            }
            if (py::isinstance<py::list>(*v)) {
              // syslog-ng gives a list back in its comma-separated form.
              std::string joined;
              for (const py::handle& item : py::reinterpret_borrow<py::list>(*v)) {
                if (!joined.empty()) joined += ',';
                joined += item.cast<std::string>();
              }
              return py::bytes(joined).attr("decode")(encoding, errors);
            }
            return py::str(*v);
          },
          py::arg("key"), py::arg("default") = py::none(),
          py::arg("encoding") = "utf-8", py::arg("errors") = "strict",
          py::arg("repr") = "internal")
      .def("get_pri", [](const LogMessageData& d) { return d.message.pri(); })
      .def("set_pri",
           [](LogMessageData& d, int pri) {
             RequireWritable(d);
             MessageBuilder b = Rebuild(d.message);
             b.SetPri(pri);
             d.message = b.Build();
           })
      .def("get_timestamp",
           [](const LogMessageData& d) {
             Timestamp t = d.message.stamp();
             return Steal(NewDateTimeAtOffset(Gil(), t.unix_seconds,
                                              t.microseconds,
                                              t.utc_offset_seconds));
           })
      .def("set_timestamp",
           [](LogMessageData& d, const py::handle& when) {
             RequireWritable(d);
             py::module_ datetime = py::module_::import("datetime");
             if (!py::isinstance(when, datetime.attr("datetime"))) {
               throw py::value_error("timestamp must be a datetime.datetime");
             }
             double secs = when.attr("timestamp")().cast<double>();
             py::object off = when.attr("utcoffset")();
             int32_t offset =
                 off.is_none()
                     ? NowLocal().utc_offset_seconds
                     : static_cast<int32_t>(
                           off.attr("total_seconds")().cast<double>());
             MessageBuilder b = Rebuild(d.message);
             auto whole = static_cast<int64_t>(secs);
             auto micros = static_cast<int32_t>((secs - whole) * 1e6 + 0.5);
             if (micros >= 1000000) micros = 999999;
             b.SetStamp(Timestamp{whole, micros, offset});
             d.message = b.Build();
           })
      .def("__repr__", [](const LogMessageData& d) {
        return "<LogMessage " +
               py::repr(py::bytes(std::string(d.message.text())))
                   .cast<std::string>() +
               ">";
      });
}

PyObject* NewLogMessage(RequiresGil, const Message& msg, uint64_t seqnum,
                        Timestamp processed,
                        std::shared_ptr<const DestinationContext> context) {
  return NewReferenceOrError([&] {
    LogMessageData d;
    d.message = msg;
    d.read_only = true;
    d.seqnum = seqnum;
    d.processed = processed;
    d.context = std::move(context);
    return py::cast(std::move(d));
  });
}

}  // namespace pydest::internal
