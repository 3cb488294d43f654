// syslogng.get_installation_path_for(template) (syslog-ng 4.x,
// python-reloc.c): resolves syslog-ng's configure-time path variables in
// `template`, here with libpydest's own paths — those of the install the
// library was loaded from, found at run time (runtime_paths.h), or, in an
// uninstalled build, the configured ones:
//
//   ${prefix}, ${exec_prefix}       libpydest's install prefix
//   ${datarootdir}, ${datadir}      <prefix>/<datadir>
//   ${pkgdatadir}, ${moduledir}     <prefix>/<datadir>/libpydest, whose
//                                   python/ holds the installed syslogng
//                                   package (syslog-ng keeps its Python
//                                   modules in ${moduledir}/python too)
//   ${libexecdir}                   <prefix>/<libexecdir>
//   ${localstatedir}                the destination's state_dir
//                                   (DestinationOptions::state_dir), where
//                                   libpydest keeps durable state, as
//                                   syslog-ng keeps its persist file in
//                                   ${localstatedir}
//
// Other text, and unknown ${...} variables, stay as written.
#include <pybind11/pybind11.h>

#include <string>
#include <utility>

#include "absl/strings/str_replace.h"
#include "bindings/module/registrations.h"
#include "bindings/module/runtime_paths.h"
#include "libpydest/pyrt/destination_context.h"

namespace py = pybind11;

namespace pydest::internal {

std::string InstallationPathFor(const std::string& path_template) {
  const RuntimePaths& paths = GetRuntimePaths();
  const std::string pkgdatadir = paths.datadir + "/libpydest";
  return absl::StrReplaceAll(
      path_template,
      {{"${prefix}", paths.prefix},
       {"${exec_prefix}", paths.prefix},
       {"${datarootdir}", paths.datadir},
       {"${datadir}", paths.datadir},
       {"${pkgdatadir}", pkgdatadir},
       {"${moduledir}", pkgdatadir},
       {"${libexecdir}", paths.libexecdir},
       {"${localstatedir}", CurrentDestination()->state_dir}});
}

void RegisterInstallationPaths(py::module_& m) {
  m.def("get_installation_path_for", &InstallationPathFor,
        py::arg("template"),
        "Resolves ${prefix}, ${datadir}, ${localstatedir}, ... with "
        "libpydest's own paths.");
}

}  // namespace pydest::internal
