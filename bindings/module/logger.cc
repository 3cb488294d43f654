// syslogng.Logger (syslog-ng-behaviour.md §7.4): error/warning/info/debug/
// trace(str) become LogRecords of the destination that created the Logger
// (its DestinationOptions::log_sink), as syslog-ng turns them into internal
// messages.
#include <pybind11/pybind11.h>

#include <memory>
#include <utility>
#include <string>

#include "bindings/module/registrations.h"
#include "libpydest/pyrt/destination_context.h"

namespace py = pybind11;

namespace pydest::internal {
namespace {

struct PyLogger {
  std::shared_ptr<const DestinationContext> context;
};

// The destination a Python thread belongs to: taken by Thread.start() on
// the starting thread (None outside a destination's call), made current on
// the new thread for its whole run (syslogng/_threads.py), so that Logger,
// logging and get_installation_path_for() on a thread the destination
// started itself (a ThreadPoolExecutor, a threading.Timer) reach that
// destination's log sink and paths, as syslog-ng's msg_*() do from any
// thread.
struct ThreadDestination {
  std::shared_ptr<const DestinationContext> context;
  std::unique_ptr<DestinationScope> scope;  // entered on the new thread
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

  py::class_<ThreadDestination>(m, "_ThreadDestination")
      .def("__enter__",
           [](ThreadDestination& t) {
             if (!t.scope) t.scope = std::make_unique<DestinationScope>(t.context);
           })
      .def("__exit__",
           [](ThreadDestination& t, const py::args&) { t.scope.reset(); });
  m.def("_capture_destination", []() -> py::object {
    if (!InDestinationScope()) return py::none();
    return py::cast(ThreadDestination{CurrentDestination(), nullptr});
  });
}

}  // namespace pydest::internal
