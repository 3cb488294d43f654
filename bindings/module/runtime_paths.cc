#include "bindings/module/runtime_paths.h"

#include <dlfcn.h>
#include <link.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

// The configured layout (bindings/meson.build). Defaults keep a build that
// does not pass them working, as a non-relocatable /usr/local install.
#ifndef PYDEST_PREFIX
#define PYDEST_PREFIX "/usr/local"
#endif
#ifndef PYDEST_DATADIR
#define PYDEST_DATADIR "share"
#endif
#ifndef PYDEST_LIBEXECDIR
#define PYDEST_LIBEXECDIR "libexec"
#endif
#ifndef PYDEST_LIBDIR_TO_PREFIX
#define PYDEST_LIBDIR_TO_PREFIX ""
#endif
#ifndef PYDEST_BINDIR_TO_PREFIX
#define PYDEST_BINDIR_TO_PREFIX ""
#endif
#ifndef PYDEST_WORKERDIR_TO_PREFIX
#define PYDEST_WORKERDIR_TO_PREFIX ""
#endif

namespace pydest::internal {
namespace {

namespace fs = std::filesystem;

bool IsDirectory(const fs::path& path) {
  std::error_code ec;
  return !path.empty() && fs::is_directory(path, ec);
}

// `dir` under `prefix` unless it is absolute, without `..` or a trailing
// separator.
std::string Under(const fs::path& prefix, const std::string& dir) {
  fs::path joined = (prefix / dir).lexically_normal();
  if (!joined.has_filename() && joined.has_parent_path() &&
      joined != joined.root_path()) {
    joined = joined.parent_path();
  }
  return joined.string();
}

std::string PackageDir(const std::string& datadir) {
  return Under(datadir, "libpydest/python");
}

// The marker an uninstalled build leaves at the top of its build tree, in
// `start` or up to kBuildTreeLevels folders above; "" when there is none
// that `owner` wrote. Its second line names the build's pydest-worker
// (isolation(process)), returned in `worker`.
std::string BuildTreePythonDir(fs::path start, uid_t owner,
                               std::string* worker) {
  for (int level = 0; level <= kBuildTreeLevels && !start.empty(); ++level) {
    const fs::path marker = start / kUninstalledMarker;
    struct stat st;
    if (stat(marker.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_uid == owner) {
      std::string dir;
      std::ifstream in(marker);
      std::getline(in, dir);
      std::getline(in, *worker);
      return IsDirectory(fs::path(dir) / "syslogng") ? dir : "";
    }
    if (start == start.root_path()) break;
    start = start.parent_path();
  }
  return "";
}

// Where this code was loaded from: the shared library, or the main program
// (which glibc's dladdr names by its argv[0], hence /proc/self/exe).
void LocateLoadedFile(RuntimePathsInputs* inputs) {
  Dl_info info;
  link_map* map = nullptr;
  if (dladdr1(reinterpret_cast<void*>(&LocateLoadedFile), &info,
              reinterpret_cast<void**>(&map), RTLD_DL_LINKMAP) == 0) {
    return;
  }
  inputs->loaded_file_is_executable =
      map == nullptr || map->l_name == nullptr || map->l_name[0] == '\0';
  const fs::path file = inputs->loaded_file_is_executable
                            ? fs::path("/proc/self/exe")
                            : fs::path(info.dli_fname);
  std::error_code ec;
  fs::path real = fs::canonical(file, ec);
  if (!ec) inputs->loaded_file = real.string();
}

}  // namespace

InstallLayout ConfiguredLayout() {
  return InstallLayout{PYDEST_PREFIX, PYDEST_DATADIR, PYDEST_LIBEXECDIR,
                       PYDEST_LIBDIR_TO_PREFIX, PYDEST_BINDIR_TO_PREFIX,
                       PYDEST_WORKERDIR_TO_PREFIX};
}

RuntimePaths FindRuntimePaths(const InstallLayout& layout,
                              const RuntimePathsInputs& inputs) {
  RuntimePaths paths;
  const fs::path loaded_dir = fs::path(inputs.loaded_file).parent_path();
  // An executable is pydest (in <bindir>) or, by its name, the
  // isolation(process) worker (in <libexecdir>/pydest).
  const bool is_worker =
      inputs.loaded_file_is_executable &&
      fs::path(inputs.loaded_file).filename() == "pydest-worker";
  const std::string& to_prefix =
      is_worker ? layout.workerdir_to_prefix
      : inputs.loaded_file_is_executable ? layout.bindir_to_prefix
                                         : layout.libdir_to_prefix;
  // The prefix of the install this code would belong to: relative to the
  // loaded file, or the configured one when the layout is not relocatable.
  std::string prefix;
  if (to_prefix.empty()) {
    prefix = layout.prefix;
  } else if (!inputs.loaded_file.empty()) {
    prefix = Under(loaded_dir, to_prefix);
  }
  if (!prefix.empty()) {
    paths.installed_pythondir = PackageDir(Under(prefix, layout.datadir));
    if (IsDirectory(fs::path(paths.installed_pythondir) / "syslogng")) {
      paths.installed = true;
      paths.prefix = prefix;
    }
  }
  if (!paths.installed) paths.prefix = layout.prefix;
  paths.datadir = Under(paths.prefix, layout.datadir);
  paths.libexecdir = Under(paths.prefix, layout.libexecdir);

  std::string build_tree_pythondir;
  if (!paths.installed && !inputs.loaded_file.empty()) {
    struct stat st;
    if (stat(inputs.loaded_file.c_str(), &st) == 0) {
      build_tree_pythondir =
          BuildTreePythonDir(loaded_dir, st.st_uid, &paths.worker);
    }
  }
  if (paths.installed) {
    paths.worker = Under(paths.libexecdir, "pydest/pydest-worker");
  }
  if (IsDirectory(inputs.env_pythondir)) {
    paths.pythondir = inputs.env_pythondir;
  } else if (paths.installed) {
    paths.pythondir = PackageDir(paths.datadir);
  } else {
    paths.pythondir = build_tree_pythondir;
  }
  return paths;
}

const RuntimePaths& GetRuntimePaths() {
  static const RuntimePaths* const paths = [] {
    RuntimePathsInputs inputs;
    if (const char* env = std::getenv("PYDEST_PYTHONPATH"); env != nullptr) {
      inputs.env_pythondir = env;
    }
    LocateLoadedFile(&inputs);
    return new RuntimePaths(FindRuntimePaths(ConfiguredLayout(), inputs));
  }();
  return *paths;
}

}  // namespace pydest::internal
