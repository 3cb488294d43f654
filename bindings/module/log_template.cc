// syslogng.LogTemplate, LogTemplateOptions and LogTemplateException
// (syslog-ng-behaviour.md §7.3): a syslog-ng template compiled by the
// template layer and formatted against a LogMessage.
//
// format() returns str as syslog-ng 4.x does, bytes as AxoSyslog does: the
// target() of the destination whose code created the template decides
// (DestinationContext::target, read when the LogTemplate is made).
//
// Differences from syslog-ng: the `tz` argument of format() is accepted
// but the local time zone of the options is always used (libpydest has
// no separate send-time-zone()).
#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <utility>

#include "bindings/module/log_message.h"
#include "bindings/module/registrations.h"
#include "bindings/module/syslogng_module.h"
#include "libpydest/pyrt/host_facts.h"
#include "libpydest/pyrt/py_values.h"
#include "libpydest/template/template.h"

namespace py = pybind11;

namespace pydest::internal {
namespace {

struct PyTemplateOptions {
  TemplateOptions options;
};

using CompiledTemplate = std::shared_ptr<const Template>;

struct PyLogTemplate {
  std::string text;
  CompiledTemplate compiled;
  std::optional<TemplateOptions> options;
  Target target = Target::kSyslogNg;  // kAxoSyslog: format() gives bytes
};

PyObject* template_exception = nullptr;  // _syslogng.LogTemplateException

[[noreturn]] void RaiseTemplateError(const std::string& what) {
  PyErr_SetString(template_exception, what.c_str());
  throw py::error_already_set();
}

PyLogTemplate Compile(const std::string& text,
                      std::optional<TemplateOptions> options) {
  auto compiled = Template::Compile(text);
  if (!compiled.ok()) RaiseTemplateError(std::string(compiled.status().message()));
  return PyLogTemplate{text, *std::move(compiled), std::move(options),
                       CurrentDestination()->target};
}

std::optional<TemplateOptions> OptionsFrom(const py::object& obj) {
  if (obj.is_none()) return std::nullopt;
  return obj.cast<const PyTemplateOptions&>().options;
}

py::object Format(const PyLogTemplate& t, py::handle msg_obj,
               py::object options, int /*tz*/, uint64_t seqnum) {
  const LogMessageData* msg_data =
      LogMessageDataOf(RequiresGil::InsidePython(), msg_obj.ptr());
  if (msg_data == nullptr) {
    throw py::type_error("LogTemplate.format(): msg must be a LogMessage");
  }
  const LogMessageData& msg = *msg_data;
  std::optional<TemplateOptions> opts = OptionsFrom(options);
  if (!opts) opts = t.options;
  if (!opts) {
    if (msg.context->version.AtLeast(4, 0)) {
      throw std::runtime_error(
          "LogTemplate.format(): no template options; pass "
          "self.template_options to LogTemplate() or format()");
    }
    opts = msg.context->template_options;
  }
  std::string out;
  MacroContext ctx;
  ctx.template_options = &*opts;
  ctx.seqnum = seqnum != 0 ? seqnum : msg.seqnum;
  ctx.now = NowLocal();
  ctx.processed = msg.processed;
  ctx.loghost = LocalHostName();
  ctx.hostid = LocalHostId();
  ctx.sysuptime = UptimeCentiseconds();
  {
    // Formatting is pure C++: let other threads run Python meanwhile. The
    // copy keeps the message alive while another thread assigns to the
    // same LogMessage (which replaces msg.message).
    const Message message = msg.message;
    py::gil_scoped_release release;
    t.compiled->Format(message, ctx, &out);
  }
  if (t.target == Target::kAxoSyslog) return py::bytes(out);
  PyObject* s = NewStrSurrogateEscape(RequiresGil::InsidePython(), out);
  if (s == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(s);
}

}  // namespace

void RegisterLogTemplate(py::module_& m) {
  template_exception = PyErr_NewException("_syslogng.LogTemplateException",
                                          PyExc_Exception, nullptr);
  if (template_exception == nullptr) throw py::error_already_set();
  m.attr("LogTemplateException") = py::handle(template_exception);

  py::class_<PyTemplateOptions>(m, "LogTemplateOptions")
      .def(py::init([] { return PyTemplateOptions{}; }))
      .def_property_readonly(
          "frac_digits",
          [](const PyTemplateOptions& o) { return o.options.frac_digits; })
      .def_property_readonly(
          "ts_format",
          [](const PyTemplateOptions& o) { return o.options.ts_format; })
      .def_property_readonly("local_time_zone",
                             [](const PyTemplateOptions& o) {
                               return o.options.local_time_zone;
                             });

  py::class_<PyLogTemplate>(m, "LogTemplate")
      .def(py::init([](const std::string& text, py::object options) {
             return Compile(text, OptionsFrom(options));
           }),
           py::arg("template"), py::arg("options") = py::none())
      .def("format", &Format, py::arg("msg"), py::arg("options") = py::none(),
           py::arg("tz") = 1, py::arg("seqnum") = 0)
      .def("__str__", [](const PyLogTemplate& t) { return t.text; })
      .def("__repr__", [](const PyLogTemplate& t) {
        return "LogTemplate(" + py::repr(py::str(t.text)).cast<std::string>() +
               ")";
      });
}

PyObject* NewLogTemplateOptions(RequiresGil, const TemplateOptions& options) {
  return NewReferenceOrError([&] {
    return py::cast(PyTemplateOptions{options});
  });
}

PyObject* NewLogTemplate(RequiresGil, const std::string& text,
                         const TemplateOptions& options) {
  return NewReferenceOrError([&] {
    return py::cast(Compile(text, options));
  });
}

}  // namespace pydest::internal
