// syslogng.Logger (spec 7.4): error/warning/info/debug/trace(str) become
// LogRecords of the destination that created the Logger (its
// DestinationOptions::log_sink), as syslog-ng turns them into internal
// messages.
#include <pybind11/pybind11.h>

#include <memory>
#include <string>

#include "bindings/module/registrations.h"
#include "libpydest/python/destination_context.h"

namespace py = pybind11;

namespace pydest::internal {
namespace {

struct PyLogger {
  std::shared_ptr<const DestinationContext> context;
};

auto Emitter(LogRecord::Level level) {
  return [level](const PyLogger& logger, const py::handle& text) {
    LogRecord r;
    r.level = level;
    r.text = py::str(text).cast<std::string>();
    // Released while the host's sink runs: it may block on I/O, and other
    // workers should keep running Python meanwhile.
    py::gil_scoped_release release;
    logger.context->Log(r);
  };
}

}  // namespace

void RegisterLogger(py::module_& m) {
  py::class_<PyLogger>(m, "Logger")
      .def(py::init([] { return PyLogger{CurrentDestination()}; }))
      .def("error", Emitter(LogRecord::Level::kError))
      .def("warning", Emitter(LogRecord::Level::kWarning))
      .def("info", Emitter(LogRecord::Level::kInfo))
      .def("debug", Emitter(LogRecord::Level::kDebug))
      .def("trace", Emitter(LogRecord::Level::kTrace));
}

}  // namespace pydest::internal
