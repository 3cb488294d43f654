// syslogng.get_installation_path_for(template) (syslog-ng 4.x,
// python-reloc.c): resolves syslog-ng's configure-time path variables in
// `template`, here with libpydest's own paths:
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
#include "libpydest/pyrt/destination_context.h"

#ifndef PYDEST_INSTALL_PREFIX
#define PYDEST_INSTALL_PREFIX "/usr/local"
#endif
#ifndef PYDEST_INSTALL_DATADIR
#define PYDEST_INSTALL_DATADIR PYDEST_INSTALL_PREFIX "/share"
#endif
#ifndef PYDEST_INSTALL_LIBEXECDIR
#define PYDEST_INSTALL_LIBEXECDIR PYDEST_INSTALL_PREFIX "/libexec"
#endif

namespace py = pybind11;

namespace pydest::internal {

std::string InstallationPathFor(const std::string& path_template) {
  const std::string pkgdatadir = PYDEST_INSTALL_DATADIR "/libpydest";
  return absl::StrReplaceAll(
      path_template,
      {{"${prefix}", PYDEST_INSTALL_PREFIX},
       {"${exec_prefix}", PYDEST_INSTALL_PREFIX},
       {"${datarootdir}", PYDEST_INSTALL_DATADIR},
       {"${datadir}", PYDEST_INSTALL_DATADIR},
       {"${pkgdatadir}", pkgdatadir},
       {"${moduledir}", pkgdatadir},
       {"${libexecdir}", PYDEST_INSTALL_LIBEXECDIR},
       {"${localstatedir}", CurrentDestination()->state_dir}});
}

void RegisterInstallationPaths(py::module_& m) {
  m.def("get_installation_path_for", &InstallationPathFor,
        py::arg("template"),
        "Resolves ${prefix}, ${datadir}, ${localstatedir}, ... with "
        "libpydest's own paths.");
}

}  // namespace pydest::internal
