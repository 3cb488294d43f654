// The driver base classes of `_syslogng` that syslog-ng 4.x and AxoSyslog
// build in C (python-dest.c, python-logparser.c, python-source.c,
// python-fetcher.c, python-ack-tracker.c, python-bookmark.c):
// LogDestination, LogDestinationResult, LogParser, LogSource, LogFetcher,
// LogFetcherResult, AckTrackerFactory and its Instant/Consecutive/Batched
// variants, and Bookmark.
//
// libpydest runs python() destinations only. The parser-, source- and
// fetcher-side classes are here so that modules written for syslog-ng 4.x
// import and can subclass them (a module often defines a destination and a
// source side by side); their methods that only make sense inside syslog-ng
// (LogSource.post_message(), close_batch(), ...) raise NotImplementedError
// naming the limitation.
//
// They are plain Python classes (bindings/python/syslogng/_driver_bases.py,
// also what the standalone package uses), executed into the module's
// namespace, rather than C types: a user's subclass may override __init__ without
// calling the base's, exactly as syslog-ng's C types (tp_new =
// PyType_GenericNew) allow, which pybind11 types would refuse.
#include <pybind11/pybind11.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "bindings/module/registrations.h"
#include "bindings/module/syslogng_interpreter.h"

namespace py = pybind11;

namespace pydest::internal {
namespace {

// The classes' one definition, shared with the standalone package.
constexpr char kDriverBasesFile[] = "/syslogng/_driver_bases.py";

}  // namespace

void RegisterDriverBases(py::module_& m) {
  const std::string dir = BindingsPythonDir();
  const std::string path = dir + kDriverBasesFile;
  std::ifstream file(path);
  if (dir.empty()) throw std::runtime_error(PythonDirNotFoundMessage());
  if (!file) {
    throw std::runtime_error(
        "cannot read " + path +
        ": set PYDEST_PYTHONPATH to the directory holding syslogng/");
  }
  std::stringstream text;
  text << file.rdbuf();
  py::object ns = m.attr("__dict__");
  // Compiled under its file name, so tracebacks show its lines.
  py::module_ builtins = py::module_::import("builtins");
  py::object code = builtins.attr("compile")(text.str(), path, "exec");
  builtins.attr("exec")(code, ns);
}

}  // namespace pydest::internal
