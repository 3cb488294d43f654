#include "bindings/module/persist_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string_view>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace pydest::internal {
namespace {

// A file name for any persist name: keep [A-Za-z0-9._-], escape the rest.
std::string FileNameFor(const std::string& persist_name) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : persist_name) {
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out + ".persist.json";
}

std::string ToHex(const std::string& s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

bool FromHex(const std::string& s, std::string* out) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (s.size() % 2 != 0) return false;
  out->clear();
  for (size_t i = 0; i < s.size(); i += 2) {
    int hi = nibble(s[i]), lo = nibble(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    *out += static_cast<char>(hi * 16 + lo);
  }
  return true;
}

absl::Mutex registry_mu(absl::kConstInit);
absl::flat_hash_map<std::string, std::weak_ptr<PersistStore>>& Registry() {
  static auto* r =
      new absl::flat_hash_map<std::string, std::weak_ptr<PersistStore>>();
  return *r;
}

}  // namespace

absl::StatusOr<std::shared_ptr<PersistStore>> PersistStore::Open(
    const std::string& state_dir, const std::string& persist_name) {
  if (persist_name.find("##") != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "persist name '", persist_name, "' contains the delimiter '##'"));
  }
  std::string dir = state_dir.empty() ? "." : state_dir;
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::UnavailableError(absl::StrCat(
        "cannot create state directory '", dir, "': ", std::strerror(errno)));
  }
  std::string path = absl::StrCat(dir, "/", FileNameFor(persist_name));
  absl::MutexLock lock(&registry_mu);
  if (auto existing = Registry()[path].lock()) return existing;
  auto store = std::make_shared<PersistStore>(path);
  {
    absl::MutexLock store_lock(&store->mu_);
    if (absl::Status s = store->RefreshLocked(); !s.ok()) return s;
  }
  Registry()[path] = store;
  return store;
}

PersistStore::FileVersion PersistStore::VersionOf(const std::string& path) {
  FileVersion v;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return v;
  v.exists = true;
  v.device = st.st_dev;
  v.inode = st.st_ino;
  v.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 +
               st.st_mtim.tv_nsec;
  v.size = st.st_size;
  return v;
}

absl::Status PersistStore::RefreshLocked(bool always) const {
  const FileVersion now = VersionOf(path_);
  if (!always && now == loaded_) return absl::OkStatus();
  std::map<std::string, PersistValue> entries;
  if (now.exists) {
    std::ifstream in(path_);
    std::stringstream buf;
    buf << in.rdbuf();
    nlohmann::json doc = nlohmann::json::parse(buf.str(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      return absl::DataLossError(
          absl::StrCat("persist file '", path_, "' is not a JSON object"));
    }
    for (auto& [key, entry] : doc.items()) {
      PersistValue v;
      const std::string type = entry.value("type", "");
      if (type == "str" && entry["value"].is_string()) {
        v.kind = PersistValue::Kind::kStr;
        v.text = entry["value"].get<std::string>();
      } else if (type == "int" && entry["value"].is_number_integer()) {
        v.kind = PersistValue::Kind::kInt;
        v.integer = entry["value"].get<int64_t>();
      } else if (type == "bytes" && entry["value"].is_string() &&
                 FromHex(entry["value"].get<std::string>(), &v.text)) {
        v.kind = PersistValue::Kind::kBytes;
      } else {
        return absl::DataLossError(absl::StrCat(
            "persist file '", path_, "': bad entry for key '", key, "'"));
      }
      entries[key] = std::move(v);
    }
  }
  entries_ = std::move(entries);
  loaded_ = now;
  return absl::OkStatus();
}

std::optional<PersistValue> PersistStore::Get(const std::string& key) const {
  absl::MutexLock lock(&mu_);
  // A file another process broke keeps what was read last.
  RefreshLocked().IgnoreError();
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> PersistStore::Keys() const {
  absl::MutexLock lock(&mu_);
  RefreshLocked().IgnoreError();
  std::vector<std::string> keys;
  for (const auto& [k, v] : entries_) keys.push_back(k);
  return keys;
}

absl::Status PersistStore::Set(const std::string& key, PersistValue value) {
  absl::MutexLock lock(&mu_);
  // Other processes' writes wait for this one, and it goes on top of theirs.
  const std::string lock_path =
      path_.substr(0, path_.size() - std::string_view(".json").size()) +
      ".lock";
  const int lock_fd =
      ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot open '", lock_path, "': ", std::strerror(errno)));
  }
  while (::flock(lock_fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const int err = errno;
    ::close(lock_fd);
    return absl::UnavailableError(absl::StrCat(
        "cannot lock '", lock_path, "': ", std::strerror(err)));
  }
  absl::Status s = SetLocked(key, std::move(value));
  ::close(lock_fd);  // releases the flock
  return s;
}

absl::Status PersistStore::SetLocked(const std::string& key,
                                     PersistValue value) {
  // Read whatever the version looks like: timestamps are coarse and inode
  // numbers are reused, so only reading is sure to see every write.
  if (absl::Status s = RefreshLocked(/*always=*/true); !s.ok()) return s;
  auto it = entries_.find(key);
  std::optional<PersistValue> old;
  if (it != entries_.end()) old = it->second;
  entries_[key] = std::move(value);
  absl::Status s = WriteLocked();
  if (!s.ok()) {  // keep memory and file in agreement
    if (old) {
      entries_[key] = *old;
    } else {
      entries_.erase(key);
    }
  }
  return s;
}

absl::Status PersistStore::WriteLocked() {
  nlohmann::json doc = nlohmann::json::object();
  for (const auto& [k, v] : entries_) {
    switch (v.kind) {
      case PersistValue::Kind::kStr:
        doc[k] = {{"type", "str"}, {"value", v.text}};
        break;
      case PersistValue::Kind::kInt:
        doc[k] = {{"type", "int"}, {"value", v.integer}};
        break;
      case PersistValue::Kind::kBytes:
        doc[k] = {{"type", "bytes"}, {"value", ToHex(v.text)}};
        break;
    }
  }
  std::string text;
  try {
    text = doc.dump(1);
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot encode persist state: ", e.what()));
  }
  text += '\n';
  std::string tmp = absl::StrCat(path_, ".tmp.", getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat("cannot write '", tmp, "': ",
                                               std::strerror(errno)));
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return absl::UnavailableError(absl::StrCat(
          "cannot write '", tmp, "': ", std::strerror(err)));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return absl::UnavailableError(absl::StrCat("cannot flush '", tmp, "'"));
  }
  if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return absl::UnavailableError(absl::StrCat(
        "cannot rename '", tmp, "' to '", path_, "': ", std::strerror(err)));
  }
  loaded_ = VersionOf(path_);  // what entries_ now holds
  return absl::OkStatus();
}

}  // namespace pydest::internal
