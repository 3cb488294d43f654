// Where libpydest finds its own files at run time (runtime_paths.h): the
// installed package relative to the loaded library or executable, wherever
// the install was moved; $PYDEST_PYTHONPATH first; an uninstalled build's
// source tree through the marker at the top of its build tree.
#include "bindings/module/runtime_paths.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace pydest::internal {
namespace {

namespace fs = std::filesystem;

// A Debian-like layout: lib/x86_64-linux-gnu, bin, share, libexec.
InstallLayout Layout() {
  return InstallLayout{"/configured", "share", "libexec", "../..", "..",
                       "../.."};
}

class RuntimePathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/pydest-runtime-paths-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    root_ = fs::canonical(dir);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  // Creates `rel` under the scratch folder (a file when `file`), returns
  // its path.
  std::string Make(const std::string& rel, bool file = false) {
    fs::path p = root_ / rel;
    fs::create_directories(file ? p.parent_path() : p);
    if (file) std::ofstream(p) << "";
    return p.string();
  }
  // An install of `prefix`: the library and the package.
  std::string Install(const std::string& prefix) {
    Make(prefix + "/share/libpydest/python/syslogng/__init__.py", true);
    return Make(prefix + "/lib/x86_64-linux-gnu/libpydest.so", true);
  }
  std::string Path(const std::string& rel) { return (root_ / rel).string(); }

  fs::path root_;
};

TEST_F(RuntimePathsTest, FindsTheInstalledPackageRelativeToTheLibrary) {
  const std::string lib = Install("opt");
  RuntimePaths p = FindRuntimePaths(Layout(), {"", lib, false});
  EXPECT_TRUE(p.installed);
  EXPECT_EQ(p.pythondir, Path("opt/share/libpydest/python"));
  EXPECT_EQ(p.prefix, Path("opt"));
  EXPECT_EQ(p.datadir, Path("opt/share"));
  EXPECT_EQ(p.libexecdir, Path("opt/libexec"));
}

TEST_F(RuntimePathsTest, AMovedInstallIsFoundWhereItNowIs) {
  Install("opt");
  fs::rename(root_ / "opt", root_ / "moved");
  RuntimePaths p = FindRuntimePaths(
      Layout(), {"", Path("moved/lib/x86_64-linux-gnu/libpydest.so"), false});
  EXPECT_TRUE(p.installed);
  EXPECT_EQ(p.pythondir, Path("moved/share/libpydest/python"));
  EXPECT_EQ(p.prefix, Path("moved"));
}

TEST_F(RuntimePathsTest, TheWorkerLooksFromLibexecAndNamesItself) {
  // isolation(process): the library finds the installed worker, and the
  // worker (an executable in <libexecdir>/pydest) finds its install.
  const std::string lib = Install("opt");
  const std::string worker = Make("opt/libexec/pydest/pydest-worker", true);
  EXPECT_EQ(FindRuntimePaths(Layout(), {"", lib, false}).worker, worker);
  RuntimePaths p = FindRuntimePaths(Layout(), {"", worker, true});
  EXPECT_TRUE(p.installed);
  EXPECT_EQ(p.prefix, Path("opt"));
  EXPECT_EQ(p.pythondir, Path("opt/share/libpydest/python"));
  EXPECT_EQ(p.worker, worker);
}

TEST_F(RuntimePathsTest, AnUninstalledBuildNamesItsWorkerInTheMarker) {
  const std::string lib = Make("build/libpydest.so", true);
  Make("src/syslogng/__init__.py", true);
  std::ofstream(Make(std::string("build/") + kUninstalledMarker, true))
      << Path("src") << "\n" << Path("build/pydest-worker") << "\n";
  RuntimePaths p = FindRuntimePaths(Layout(), {"", lib, false});
  EXPECT_EQ(p.pythondir, Path("src"));
  EXPECT_EQ(p.worker, Path("build/pydest-worker"));
}

TEST_F(RuntimePathsTest, AnExecutableThatLinkedTheLibraryLooksFromBindir) {
  Install("opt");
  const std::string exe = Make("opt/bin/pydest", true);
  RuntimePaths p = FindRuntimePaths(Layout(), {"", exe, true});
  EXPECT_TRUE(p.installed);
  EXPECT_EQ(p.pythondir, Path("opt/share/libpydest/python"));
}

TEST_F(RuntimePathsTest, PydestPythonpathOverridesTheInstalledPackage) {
  const std::string lib = Install("opt");
  const std::string mine = Make("mine");
  RuntimePaths p = FindRuntimePaths(Layout(), {mine, lib, false});
  EXPECT_EQ(p.pythondir, mine);
  // The install's own paths still answer get_installation_path_for().
  EXPECT_EQ(p.prefix, Path("opt"));
}

TEST_F(RuntimePathsTest, APydestPythonpathThatIsNoFolderIsIgnored) {
  const std::string lib = Install("opt");
  RuntimePaths p =
      FindRuntimePaths(Layout(), {Path("does-not-exist"), lib, false});
  EXPECT_EQ(p.pythondir, Path("opt/share/libpydest/python"));
}

TEST_F(RuntimePathsTest, WithoutThePackageNothingIsFoundAndTheSearchIsNamed) {
  const std::string lib = Make("opt/lib/x86_64-linux-gnu/libpydest.so", true);
  RuntimePaths p = FindRuntimePaths(Layout(), {"", lib, false});
  EXPECT_FALSE(p.installed);
  EXPECT_EQ(p.pythondir, "");
  EXPECT_EQ(p.installed_pythondir, Path("opt/share/libpydest/python"));
  // Not installed: the configured paths answer.
  EXPECT_EQ(p.prefix, "/configured");
  EXPECT_EQ(p.datadir, "/configured/share");
}

TEST_F(RuntimePathsTest, AnUninstalledBuildFindsItsSourceTreeThroughTheMarker) {
  Make("src/bindings/python/syslogng/__init__.py", true);
  std::ofstream(Make(std::string("build/") + kUninstalledMarker, true))
      << Path("src/bindings/python") << "\n";
  const std::string test_exe = Make("build/tests/bindings/x_test", true);
  RuntimePaths p = FindRuntimePaths(Layout(), {"", test_exe, true});
  EXPECT_FALSE(p.installed);
  EXPECT_EQ(p.pythondir, Path("src/bindings/python"));
  EXPECT_EQ(p.prefix, "/configured");
  // The library at the top of the build tree finds it too.
  const std::string lib = Make("build/libpydest.so", true);
  EXPECT_EQ(FindRuntimePaths(Layout(), {"", lib, false}).pythondir,
            Path("src/bindings/python"));
}

TEST_F(RuntimePathsTest, TheMarkerIsLookedForOnlyAFewFoldersUp) {
  Make("src/bindings/python/syslogng/__init__.py", true);
  std::ofstream(Make(std::string("build/") + kUninstalledMarker, true))
      << Path("src/bindings/python") << "\n";
  std::string deep = "build";
  for (int i = 0; i <= kBuildTreeLevels; ++i) deep += "/d";
  const std::string exe = Make(deep + "/x", true);
  EXPECT_EQ(FindRuntimePaths(Layout(), {"", exe, true}).pythondir, "");
}

TEST_F(RuntimePathsTest, AMarkerNamingNoPackageIsIgnored) {
  std::ofstream(Make(std::string("build/") + kUninstalledMarker, true))
      << Path("gone") << "\n";
  const std::string exe = Make("build/x", true);
  EXPECT_EQ(FindRuntimePaths(Layout(), {"", exe, true}).pythondir, "");
}

TEST_F(RuntimePathsTest, AMarkerOfAnotherOwnerIsIgnored) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to give the marker away";
  Make("src/bindings/python/syslogng/__init__.py", true);
  const std::string marker =
      Make(std::string("build/") + kUninstalledMarker, true);
  std::ofstream(marker) << Path("src/bindings/python") << "\n";
  ASSERT_EQ(chown(marker.c_str(), 65534, 65534), 0);
  const std::string exe = Make("build/x", true);
  EXPECT_EQ(FindRuntimePaths(Layout(), {"", exe, true}).pythondir, "");
}

TEST_F(RuntimePathsTest, ALayoutOutsideThePrefixIsLookedForWhereConfigured) {
  Install("conf");
  InstallLayout layout{Path("conf"), "share", "libexec", "", ""};
  RuntimePaths p =
      FindRuntimePaths(layout, {"", Make("elsewhere/libpydest.so", true), false});
  EXPECT_TRUE(p.installed);
  EXPECT_EQ(p.pythondir, Path("conf/share/libpydest/python"));
}

TEST_F(RuntimePathsTest, AnAbsoluteDatadirStaysAsConfigured) {
  Make("data/libpydest/python/syslogng/__init__.py", true);
  InstallLayout layout{"/configured", Path("data"), "libexec", "../..", ".."};
  RuntimePaths p = FindRuntimePaths(
      layout, {"", Make("opt/lib/x86_64-linux-gnu/libpydest.so", true), false});
  EXPECT_TRUE(p.installed);
  EXPECT_EQ(p.pythondir, Path("data/libpydest/python"));
  EXPECT_EQ(p.prefix, Path("opt"));
}

// This test program, run from the build tree, finds the source tree's
// package (as every test of the Python side relies on).
TEST(RuntimePaths, ThisBuildTreeFindsTheSourceTreesPackage) {
  const char* source = std::getenv("PYDEST_SOURCE_DIR");
  if (source == nullptr || std::getenv("PYDEST_PYTHONPATH") != nullptr) {
    GTEST_SKIP() << "run through meson test, without PYDEST_PYTHONPATH";
  }
  const RuntimePaths& p = GetRuntimePaths();
  EXPECT_FALSE(p.installed);
  EXPECT_EQ(fs::canonical(p.pythondir),
            fs::canonical(fs::path(source) / "bindings" / "python"));
}

}  // namespace
}  // namespace pydest::internal
