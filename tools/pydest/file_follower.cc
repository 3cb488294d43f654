#include "tools/pydest/file_follower.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace pydest::cli {

FileFollower::FileFollower(std::string path, int fd, absl::Duration freq,
                           int wake_fd, std::function<bool()> should_stop)
    : path_(std::move(path)),
      freq_(freq > absl::ZeroDuration() ? freq : absl::Seconds(1)),
      wake_fd_(wake_fd),
      should_stop_(std::move(should_stop)),
      fd_(fd) {}

FileFollower::~FileFollower() {
  if (owned_fd_ >= 0) ::close(owned_fd_);
}

bool FileFollower::Wait() {
  if (should_stop_ && should_stop_()) return false;
  struct pollfd wake = {wake_fd_, POLLIN, 0};
  const int ms = static_cast<int>(absl::ToInt64Milliseconds(freq_));
  const int n = ::poll(&wake, wake_fd_ >= 0 ? 1 : 0, ms > 0 ? ms : 1);
  if (n > 0 && should_stop_ && should_stop_()) return false;
  return !(should_stop_ && should_stop_());
}

void FileFollower::SwitchTo(int fd, const struct stat& st, int* reader_fd) {
  if (owned_fd_ >= 0 && owned_fd_ != fd) ::close(owned_fd_);
  owned_fd_ = fd;
  fd_ = fd;
  *reader_fd = fd;
  if (on_switch_) on_switch_(st);
}

LineReader::AtEnd FileFollower::AtEnd(int* fd) {
  while (Wait()) {
    struct stat current;
    if (::fstat(fd_, &current) != 0) return LineReader::AtEnd::kEnd;
    const off_t at = ::lseek(fd_, 0, SEEK_CUR);
    if (at >= 0 && current.st_size > at) {
      return LineReader::AtEnd::kContinue;  // grew (before any rotation)
    }
    struct stat named;
    if (::stat(path_.c_str(), &named) != 0) {
      continue;  // moved away, not created again yet
    }
    if (named.st_ino != current.st_ino || named.st_dev != current.st_dev) {
      // Rotated, and the old file read to its end: on with the new one.
      const int next = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
      if (next < 0) continue;  // not readable yet; try again
      struct stat opened;
      if (::fstat(next, &opened) != 0) {
        ::close(next);
        continue;
      }
      SwitchTo(next, opened, fd);
      return LineReader::AtEnd::kContinue;
    }
    if (at >= 0 && current.st_size < at) {
      // Truncated in place: read it again from the start, through a fresh
      // descriptor so that the reader counts offsets anew.
      const int again = ::dup(fd_);
      if (again < 0) return LineReader::AtEnd::kEnd;
      ::fcntl(again, F_SETFD, FD_CLOEXEC);
      ::lseek(again, 0, SEEK_SET);
      SwitchTo(again, current, fd);
      return LineReader::AtEnd::kContinue;
    }
  }
  return LineReader::AtEnd::kStopped;
}

}  // namespace pydest::cli
