// Where libpydest's own files are, found at run time: the folder of the
// `syslogng` package and the answers of syslogng.get_installation_path_for().
//
// No path of the build or source tree is compiled into the library, and
// the configured prefix only answers for an uninstalled build: an installed
// libpydest finds its files relative to itself, so an install moved to
// another prefix keeps working. The code asks the dynamic loader which file it was loaded
// from (libpydest.so, or an executable that linked libpydest statically),
// goes from that file's folder back to the prefix by the way meson knows at
// configure time (from <libdir> `../..` for lib/x86_64-linux-gnu, from
// <bindir> `..`), and looks for <datadir>/libpydest/python/syslogng there.
//
// The `syslogng` package, first match wins:
//   1. $PYDEST_PYTHONPATH, when it names a folder (an override, e.g. for a
//      package kept somewhere else);
//   2. the installed <prefix>/<datadir>/libpydest/python, found as above;
//   3. an uninstalled build: the file libpydest-uninstalled-pythondir.txt
//      that meson writes at the top of the build tree (never installed)
//      names the source tree's bindings/python. It is looked for in the
//      loaded file's folder and up to kBuildTreeLevels folders above it
//      (build/tests/bindings/ → build/), and only believed when it belongs
//      to the owner of the loaded file.
//
// Thread-safety: GetRuntimePaths() may be called from any thread; it looks
// once and then returns the same answer. FindRuntimePaths() is a pure
// function of its arguments (apart from reading the file system).
#ifndef BINDINGS_MODULE_RUNTIME_PATHS_H_
#define BINDINGS_MODULE_RUNTIME_PATHS_H_

#include <string>

namespace pydest::internal {

// How far above the loaded file's folder an uninstalled build's marker file
// is looked for.
inline constexpr int kBuildTreeLevels = 3;
inline constexpr char kUninstalledMarker[] =
    "libpydest-uninstalled-pythondir.txt";

// The install layout meson was configured with (bindings/meson.build).
struct InstallLayout {
  std::string prefix;            // configured prefix, e.g. /usr/local
  std::string datadir;           // relative to the prefix, or absolute
  std::string libexecdir;        // relative to the prefix, or absolute
  // From <libdir> (resp. <bindir>) back to the prefix, e.g. "../..";
  // "" when that folder was configured outside the prefix: the install is
  // then not relocatable and is looked for at the configured prefix.
  std::string libdir_to_prefix;
  std::string bindir_to_prefix;
  // The same from <libexecdir>/pydest, for the pydest-worker executable.
  std::string workerdir_to_prefix;
};

// The layout compiled into this library.
InstallLayout ConfiguredLayout();

// What the lookup starts from.
struct RuntimePathsInputs {
  std::string env_pythondir;  // $PYDEST_PYTHONPATH; "" when unset
  // The file this code was loaded from, with symlinks resolved; "" when the
  // loader cannot say.
  std::string loaded_file;
  bool loaded_file_is_executable = false;
};

struct RuntimePaths {
  // The folder holding syslogng/ (see the order above); "" when none.
  std::string pythondir;
  // True when the loaded file sits in an install with the package at
  // <prefix>/<datadir>/libpydest/python: the paths below are then that
  // install's. Otherwise they are the configured ones.
  bool installed = false;
  std::string prefix;      // ${prefix}, ${exec_prefix}
  std::string datadir;     // ${datadir}, ${datarootdir}
  std::string libexecdir;  // ${libexecdir}
  // The pydest-worker executable of isolation(process): an install's
  // <libexecdir>/pydest/pydest-worker, or what an uninstalled build's
  // marker file names on its second line; "" when neither.
  std::string worker;
  // Where the installed package was looked for, for error messages; ""
  // when the loaded file is unknown.
  std::string installed_pythondir;
};

// The lookup described at the top, from explicit inputs.
RuntimePaths FindRuntimePaths(const InstallLayout& layout,
                              const RuntimePathsInputs& inputs);

// The lookup for this process ($PYDEST_PYTHONPATH, the loaded file as the
// dynamic loader reports it, ConfiguredLayout()), done on the first call.
const RuntimePaths& GetRuntimePaths();

}  // namespace pydest::internal

#endif  // BINDINGS_MODULE_RUNTIME_PATHS_H_
