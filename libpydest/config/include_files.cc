#include "libpydest/config/include_files.h"

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "pydest/limits.h"

namespace pydest {
namespace config_internal {

absl::Status FileTooLarge(const std::string& path, size_t size) {
  return absl::InvalidArgumentError(
      absl::StrCat("'", path, "' is ", size, " bytes or more, past the limit "
                   "of ", kMaxConfigFileBytes, " bytes for one configuration "
                   "file"));
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  // Opened first and checked through the descriptor, so what is checked is
  // what is read (no race with a rename), and a FIFO or device is refused
  // before anything is read from it (O_NONBLOCK keeps a FIFO from blocking
  // the open itself).
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    return absl::NotFoundError(absl::StrCat("cannot read '", path, "': ",
                                            std::strerror(errno)));
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot read '", path,
        "': not a regular file (a configuration is read from files only)"));
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxConfigFileBytes) {
    close(fd);
    return FileTooLarge(path, st.st_size);
  }
  // The file may still grow while it is read: read one byte past the limit
  // at most.
  std::string text;
  char buffer[65536];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      return absl::InternalError(absl::StrCat("cannot read '", path, "': ",
                                              std::strerror(err)));
    }
    if (n == 0) break;
    text.append(buffer, n);
    if (text.size() > kMaxConfigFileBytes) {
      close(fd);
      return FileTooLarge(path, text.size());
    }
  }
  close(fd);
  return text;
}

std::vector<std::string> ExpandInclude(const std::string& pattern) {
  std::vector<std::string> out;
  glob_t matches;
  if (glob(pattern.c_str(), 0, nullptr, &matches) == 0) {
    for (size_t i = 0; i < matches.gl_pathc; ++i) {
      std::string path = matches.gl_pathv[i];
      std::error_code ec;
      if (std::filesystem::is_directory(path, ec)) {
        std::vector<std::string> entries;
        for (const auto& entry :
             std::filesystem::directory_iterator(path, ec)) {
          std::string name = entry.path().filename().string();
          if (name.empty() || name[0] == '.' || name.back() == '~') continue;
          if (entry.is_regular_file(ec)) entries.push_back(entry.path());
        }
        std::sort(entries.begin(), entries.end());
        out.insert(out.end(), entries.begin(), entries.end());
      } else {
        out.push_back(path);
      }
    }
  }
  globfree(&matches);
  return out;
}

}  // namespace config_internal
}  // namespace pydest
