#include "libpydest/durable/buffer_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace pydest::internal {

absl::StatusOr<std::unique_ptr<BufferLock>> BufferLock::Acquire(
    const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        "disk buffer lock ", path, ": ", std::strerror(errno)));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char text[32] = {};
    const ssize_t n = ::pread(fd, text, sizeof(text) - 1, 0);
    ::close(fd);
    if (err != EWOULDBLOCK) {
      return absl::InternalError(absl::StrCat("disk buffer lock ", path, ": ",
                                              std::strerror(err)));
    }
    std::string owner = "another process";
    int pid = 0;
    if (n > 0 && absl::SimpleAtoi(std::string(text, static_cast<size_t>(n)),
                                  &pid)) {
      owner = absl::StrCat("process ", pid);
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "disk buffer ", path, " is in use by ", owner,
        "; two processes cannot share one disk buffer (give each its own "
        "dir() or persist-name())"));
  }
  // The pid is only a hint for that message: the flock is the lock.
  const std::string pid = absl::StrCat(::getpid(), "\n");
  if (::ftruncate(fd, 0) == 0) {
    (void)!::pwrite(fd, pid.data(), pid.size(), 0);
  }
  return std::unique_ptr<BufferLock>(new BufferLock(fd));
}

BufferLock::~BufferLock() {
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

}  // namespace pydest::internal
