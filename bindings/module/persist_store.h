// PersistStore: the durable key/value map behind syslogng.Persist
// (syslog-ng-behaviour.md §7.5) for one persist name. syslog-ng keeps these
// entries in its persist file; libpydest keeps one JSON file per name under
// DestinationOptions::state_dir, rewritten atomically (write a temporary
// file, fsync, rename) on every change, so a crash leaves either the old or
// the new content, never a torn file.
//
// Values are str, int or bytes and read back with the same type.
// Open() returns the same store for the same file, so two Persist objects
// with one name (e.g. in two workers) see each other's writes. Processes
// share a store through its file: a Set takes an flock on "NAME.persist.lock"
// beside it, reads what others wrote since, and writes its change on top;
// Get reads the file again when another process replaced it (isolation
// (process) workers, a reload's old and new hosts).
// Thread-safety: all methods are thread-safe. No Python involved.
#ifndef BINDINGS_MODULE_PERSIST_STORE_H_
#define BINDINGS_MODULE_PERSIST_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace pydest::internal {

struct PersistValue {
  enum class Kind : uint8_t { kStr, kInt, kBytes };
  Kind kind = Kind::kStr;
  std::string text;   // kStr (UTF-8) and kBytes
  int64_t integer = 0;
  friend bool operator==(const PersistValue& a, const PersistValue& b) {
    return a.kind == b.kind && a.text == b.text && a.integer == b.integer;
  }
};

class PersistStore {
 public:
  // The store of `persist_name` in `state_dir` (created when missing).
  // InvalidArgument when the name holds syslog-ng's subkey delimiter "##";
  // DataLoss when the existing file is not a valid store.
  static absl::StatusOr<std::shared_ptr<PersistStore>> Open(
      const std::string& state_dir, const std::string& persist_name);

  std::optional<PersistValue> Get(const std::string& key) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // Stores the value and rewrites the file; the error says which file.
  absl::Status Set(const std::string& key, PersistValue value)
      ABSL_LOCKS_EXCLUDED(mu_);
  std::vector<std::string> Keys() const ABSL_LOCKS_EXCLUDED(mu_);
  const std::string& path() const { return path_; }

  explicit PersistStore(std::string path) : path_(std::move(path)) {}

 private:
  // Which version of the file entries_ holds: a write replaces the file
  // (rename), so another process's write shows as another inode.
  struct FileVersion {
    bool exists = false;
    uint64_t device = 0;
    uint64_t inode = 0;
    int64_t mtime_ns = 0;
    int64_t size = 0;
    friend bool operator==(const FileVersion& a, const FileVersion& b) {
      return a.exists == b.exists && a.device == b.device &&
             a.inode == b.inode && a.mtime_ns == b.mtime_ns &&
             a.size == b.size;
    }
  };
  static FileVersion VersionOf(const std::string& path);

  // Reads the file again when it is not the version entries_ holds (or
  // `always`).
  absl::Status RefreshLocked(bool always = false) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Set's work, under mu_ and the file lock.
  absl::Status SetLocked(const std::string& key, PersistValue value)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status WriteLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  mutable absl::Mutex mu_;
  // Mutable: a const Get reads another process's writes in.
  mutable std::map<std::string, PersistValue> entries_ ABSL_GUARDED_BY(mu_);
  mutable FileVersion loaded_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pydest::internal

#endif  // BINDINGS_MODULE_PERSIST_STORE_H_
