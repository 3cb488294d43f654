// The registry behind syslogng.register_config_generator(context, name,
// config_generator) (syslog-ng 4.x, python-confgen.c): Python code — a
// configuration's python {} block or an imported module — records a
// generator for a driver name in a configuration context, and a
// configuration layer reads the registry to expand `NAME(...)` itself.
//
// What syslog-ng does with an entry, for whoever wires it into the
// configuration parser: when `NAME(arg(value) ...)` appears where `context`
// expects a driver ("destination", "source", ...), it calls
// config_generator(args) with one argument, a dict of the arguments as
// written (str -> str), and parses the str (or bytes) it returns in place of
// the reference. A generator that raises or returns anything else is a
// configuration error naming NAME.
//
// Registering the same (context, name) again replaces the generator. The
// context must be one of syslog-ng's configuration contexts
// (ConfigGeneratorContexts()); anything else is a ValueError in Python.
//
// Thread-safety: every function needs the GIL, which also guards the
// registry.
#ifndef BINDINGS_MODULE_CONFIG_GENERATORS_H_
#define BINDINGS_MODULE_CONFIG_GENERATORS_H_

#include <Python.h>

#include <string>
#include <string_view>
#include <vector>

#include "libpydest/pyrt/gil.h"

namespace pydest::internal {

struct ConfigGenerator {
  std::string context;  // "destination", "source", "parser", "root", ...
  std::string name;     // the driver name the generator defines
  PyObject* generator;  // a new reference: the caller drops it (GIL held)
};

// Every registered generator, in registration order.
std::vector<ConfigGenerator> ConfigGenerators(RequiresGil gil);

// A new reference to the generator of (context, name), or nullptr (no
// Python error set) when none is registered.
PyObject* FindConfigGenerator(RequiresGil gil, std::string_view context,
                              std::string_view name);

// Records `generator` (a new reference is taken). False, with ValueError
// set, when `context` is not a syslog-ng context; TypeError when the
// generator is not callable.
bool RegisterConfigGenerator(RequiresGil gil, const std::string& context,
                             const std::string& name, PyObject* generator);

// Forgets every generator (for a configuration reload, and tests).
void ClearConfigGenerators(RequiresGil gil);

// syslog-ng's configuration context names (cfg-lexer.c), in its order.
const std::vector<std::string_view>& ConfigGeneratorContexts();

}  // namespace pydest::internal

#endif  // BINDINGS_MODULE_CONFIG_GENERATORS_H_
