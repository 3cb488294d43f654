// Config generators: syslog-ng 4.x lets Python code define configuration
// drivers. A python {} block (or a module it imports) calls
//
//   syslogng.register_config_generator(context="destination", name="my_dest",
//                                      config_generator=generate)
//
// and `destination d { my_dest(path("/tmp/x")); };` then reads the text that
// generate({"path": '"/tmp/x"'}) returns (arguments as written, raw) in
// place of the call, as syslog-ng does.
//
// Pass the hook to the configuration parser:
//
//   pydest::ConfigReadOptions read;
//   read.config_generators = pydest::PythonConfigGenerators({"/etc/myapp"});
//   auto config = pydest::ParseConfigFile("app.conf", read);
//
// The hook starts Python only for a configuration that has python {} code.
// It runs that code (what the configuration has read so far) as the
// _syslogng_main module that PyDestinationHost::Create later reuses when the
// code is the same: python {} blocks written after the first generated
// driver make the module run again at Create, with all the blocks.
//
// Thread-safety: the hook may be called from any thread (it takes the GIL).
#ifndef PYDEST_CONFIG_GENERATORS_H_
#define PYDEST_CONFIG_GENERATORS_H_

#include <string>
#include <vector>

#include "pydest/config_generator_hook.h"
#include "pydest/export.h"

namespace pydest {

// A ConfigReadOptions::config_generators hook backed by Python:
// `python_path` directories go to the front of sys.path first (where the
// configuration's modules are). A generator that raises, or returns
// something other than str or bytes, is an error naming it, with the
// traceback.
PYDEST_EXPORT ConfigGeneratorHook PythonConfigGenerators(
    std::vector<std::string> python_path);

}  // namespace pydest

#endif  // PYDEST_CONFIG_GENERATORS_H_
