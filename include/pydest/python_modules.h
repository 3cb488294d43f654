// ForgetPythonModules: makes the next import of a configuration's Python
// modules read their files again. A program that reloads its configuration
// while it runs (pydest on SIGHUP, docs/pydest.md) calls it before it
// creates the new hosts, so that an edited module takes effect: Python
// imports a module once per process and serves sys.modules after that, and
// syslog-ng's reload keeps those modules (a common complaint) — this is the
// way not to.
//
//   pydest::ForgetPythonModules({"mymodule"}, {"/etc/myapp/python"});
//   auto host = pydest::PyDestinationHost::Create(options);  // imports anew
//
// Hosts that are running keep the classes they already loaded (and the
// modules those classes use); only later imports see the files again.
// isolation(process) workers are processes of their own and import afresh
// anyway.
//
// Thread-safety: may be called from any thread, with or without hosts
// running; takes the GIL itself.
#ifndef PYDEST_PYTHON_MODULES_H_
#define PYDEST_PYTHON_MODULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "pydest/export.h"

namespace pydest {

// Removes from sys.modules each module of `module_names` (e.g. the module
// part of class("mymodule.Dest"), a loaders() module) with its submodules
// ("mymodule.*"), and every module whose file lies under one of
// `directories` (absolute paths, e.g. DestinationOptions::python_path),
// then clears importlib's finder caches so new files are seen too.
//
// Kept whatever the arguments say: modules without a file (built into
// Python, namespace packages), extension modules (a .so cannot be loaded
// twice into one process) and libpydest's own syslogng package. A
// directory does not take the installed packages under it (a file in a
// site-packages or dist-packages folder: a virtualenv next to the
// configuration is not the configuration's code); a name does. The
// configuration's python {} code (module _syslogng_main) goes when named,
// or when its file (the configuration's) is under a directory: the next
// host runs it again.
//
// Returns OK, also when the interpreter was never started (there is
// nothing to forget, and it is not started for this); Internal when Python
// failed along the way (sys.modules is not a dict, an error was raised),
// with what it said.
PYDEST_EXPORT absl::Status ForgetPythonModules(
    const std::vector<std::string>& module_names,
    const std::vector<std::string>& directories);

}  // namespace pydest

#endif  // PYDEST_PYTHON_MODULES_H_
