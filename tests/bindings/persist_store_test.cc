// PersistStore: round trip through the file and atomic replacement.
#include "bindings/module/persist_store.h"

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace pydest::internal {
namespace {

// A scratch directory per test, removed when the test ends (the suite
// leaves nothing in /tmp).
class ScratchDirs : public ::testing::EmptyTestEventListener {
 public:
  static std::string Make() {
    char dir[] = "/tmp/pydest-persist-XXXXXX";
    if (mkdtemp(dir) == nullptr) return "/tmp";
    made().push_back(dir);
    return dir;
  }
  void OnTestEnd(const ::testing::TestInfo&) override {
    for (const std::string& dir : made()) {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
    made().clear();
  }

 private:
  static std::vector<std::string>& made() {
    static std::vector<std::string> dirs;
    return dirs;
  }
};

const bool kScratchDirsRegistered = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new ScratchDirs);
  return true;
}();

std::string TempDir() { return ScratchDirs::Make(); }

std::vector<std::string> Files(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") out.push_back(n);
    }
    closedir(d);
  }
  return out;
}

TEST(PersistStore, ValuesRoundTripThroughTheFileWithTheirTypes) {
  std::string dir = TempDir();
  {
    auto s = PersistStore::Open(dir, "python.rt");
    ASSERT_TRUE(s.ok()) << s.status();
    ASSERT_TRUE((*s)->Set("s", {PersistValue::Kind::kStr, "text", 0}).ok());
    ASSERT_TRUE((*s)->Set("i", {PersistValue::Kind::kInt, "", -7}).ok());
    ASSERT_TRUE(
        (*s)->Set("b", {PersistValue::Kind::kBytes, std::string("\0\xff", 2), 0})
            .ok());
  }
  auto s = PersistStore::Open(dir, "python.rt");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*(*s)->Get("s"), (PersistValue{PersistValue::Kind::kStr, "text", 0}));
  EXPECT_EQ(*(*s)->Get("i"), (PersistValue{PersistValue::Kind::kInt, "", -7}));
  EXPECT_EQ(*(*s)->Get("b"), (PersistValue{PersistValue::Kind::kBytes,
                                           std::string("\0\xff", 2), 0}));
  EXPECT_FALSE((*s)->Get("missing").has_value());
}

TEST(PersistStore, WriteLeavesOnlyTheFinalFile) {
  std::string dir = TempDir();
  auto s = PersistStore::Open(dir, "python(mod.Class)");
  ASSERT_TRUE(s.ok());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE((*s)->Set("k", {PersistValue::Kind::kInt, "", i}).ok());
  }
  std::vector<std::string> files = Files(dir);
  std::sort(files.begin(), files.end());
  // The store and the lock file that processes take turns on.
  EXPECT_EQ(files, (std::vector<std::string>{
                       "python%28mod.Class%29.persist.json",
                       "python%28mod.Class%29.persist.lock"}));
}

TEST(PersistStore, SameNameSharesOneStore) {
  std::string dir = TempDir();
  auto a = PersistStore::Open(dir, "p");
  auto b = PersistStore::Open(dir, "p");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->Set("k", {PersistValue::Kind::kStr, "v", 0}).ok());
  EXPECT_TRUE((*b)->Get("k").has_value());
}

TEST(PersistStore, NameWithSubkeyDelimiterIsRejected) {
  EXPECT_TRUE(absl::IsInvalidArgument(
      PersistStore::Open(TempDir(), "a##b").status()));
}

TEST(PersistStore, CorruptFileIsDataLoss) {
  std::string dir = TempDir();
  std::ofstream(dir + "/bad.persist.json") << "{not json";
  EXPECT_TRUE(absl::IsDataLoss(PersistStore::Open(dir, "bad").status()));
}

TEST(PersistStore, FailedWriteKeepsTheOldValue) {
  std::string dir = TempDir();
  auto s = PersistStore::Open(dir, "ro");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->Set("k", {PersistValue::Kind::kStr, "old", 0}).ok());
  if (getuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  chmod(dir.c_str(), 0500);
  EXPECT_FALSE((*s)->Set("k", {PersistValue::Kind::kStr, "new", 0}).ok());
  chmod(dir.c_str(), 0700);
  EXPECT_EQ((*s)->Get("k")->text, "old");
}

TEST(PersistStore, ProcessesSharingAStoreLoseNoneOfEachOthersWrites) {
  std::string dir = TempDir();
  auto parent = PersistStore::Open(dir, "shared");
  ASSERT_TRUE(parent.ok());
  // Two processes (isolation(process) workers of one destination), each
  // with the store it opened, write keys of their own at the same time.
  constexpr int kKeys = 60;
  std::vector<pid_t> children;
  for (char who : {'a', 'b'}) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto own = PersistStore::Open(dir, "shared");
      bool ok = own.ok();
      for (int i = 0; ok && i < kKeys; ++i) {
        ok = (*own)->Set(std::string(1, who) + std::to_string(i),
                         {PersistValue::Kind::kInt, "", i})
                 .ok();
      }
      _exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  // The parent's store, opened before, reads their writes in.
  EXPECT_EQ((*parent)->Keys().size(), 2u * kKeys);
  EXPECT_EQ((*parent)->Get("b59")->integer, 59);
  // And a write of its own goes on top of theirs.
  ASSERT_TRUE((*parent)->Set("p", {PersistValue::Kind::kStr, "x", 0}).ok());
  std::ifstream file(dir + "/shared.persist.json");
  std::string text((std::istreambuf_iterator<char>(file)),
                   std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"a0\""), std::string::npos);
  EXPECT_NE(text.find("\"p\""), std::string::npos);
}

}  // namespace
}  // namespace pydest::internal
