#include "tools/pydest/output_path.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace pydest::cli {
namespace {

absl::Status Cannot(const std::string& path, const std::string& why) {
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": cannot be written (", why, ")"));
}

}  // namespace

absl::Status CheckWritable(const std::string& path) {
  if (path.empty()) return Cannot(path, "empty file name");
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Cannot(path, "it is a folder");
    if (::access(path.c_str(), W_OK) != 0) {
      return Cannot(path, std::strerror(errno));
    }
    return absl::OkStatus();
  }
  if (errno != ENOENT) return Cannot(path, std::strerror(errno));
  const size_t slash = path.rfind('/');
  const std::string folder = slash == std::string::npos ? std::string(".")
                             : slash == 0 ? std::string("/")
                                          : path.substr(0, slash);
  if (::stat(folder.c_str(), &st) != 0) {
    return Cannot(path, absl::StrCat("folder ", folder, ": ",
                                     std::strerror(errno)));
  }
  if (!S_ISDIR(st.st_mode)) {
    return Cannot(path, absl::StrCat(folder, " is not a folder"));
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    return Cannot(path, absl::StrCat("folder ", folder, ": ",
                                     std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status WriteOutputFile(const std::string& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                        0644);
  if (fd < 0) return Cannot(path, std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      ::close(fd);
      return Cannot(path, std::strerror(error));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0 && errno != EINTR) {
    return Cannot(path, std::strerror(errno));
  }
  return absl::OkStatus();
}

}  // namespace pydest::cli
