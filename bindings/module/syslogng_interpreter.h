// The interpreter destinations run in: the Python runtime's one interpreter
// (libpydest/pyrt/interpreter.h) with syslog-ng's Python API added — the
// `_syslogng` module in sys.modules and the directory of the `syslogng`
// package at the front of sys.path — so that `import syslogng` works in a
// destination's module, its python {} block and a config generator.
//
// The runtime below knows nothing of this module; this layer adds it on top,
// once, whichever of the two was asked for first.
//
// Where `import syslogng` finds its package: $PYDEST_PYTHONPATH, else the
// installed <datadir>/libpydest/python found relative to the library, else
// an uninstalled build's source tree (runtime_paths.h).
//
// Thread-safety: EnsureInterpreter may be called from any thread, any number
// of times, without the GIL.
#ifndef BINDINGS_MODULE_SYSLOGNG_INTERPRETER_H_
#define BINDINGS_MODULE_SYSLOGNG_INTERPRETER_H_

#include <string>

#include "absl/status/status.h"

namespace pydest::internal {

// Starts (or adopts) the interpreter and adds the syslogng API to it once;
// later calls return the first result. On return the calling thread does
// not hold the GIL (unless it held it before, in a host that runs Python
// itself).
absl::Status EnsureInterpreter();

// The directory that holds the `syslogng` package (see above); "" if none
// of the candidates exists.
std::string BindingsPythonDir();

// Why BindingsPythonDir() is "": where the package was looked for, and the
// override to use.
std::string PythonDirNotFoundMessage();

}  // namespace pydest::internal

#endif  // BINDINGS_MODULE_SYSLOGNG_INTERPRETER_H_
