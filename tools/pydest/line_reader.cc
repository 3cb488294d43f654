#include "tools/pydest/line_reader.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace pydest::cli {
namespace {

constexpr size_t kReadChunk = 64 * 1024;

}  // namespace

absl::StatusOr<InputFile> InputFile::Open(const std::string& path) {
  if (path == "-") return InputFile(STDIN_FILENO, true, path);
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    int err = errno;
    std::string what = absl::StrCat(path, ": ", std::strerror(err));
    if (err == ENOENT) return absl::NotFoundError(what);
    if (err == EACCES) return absl::PermissionDeniedError(what);
    return absl::InvalidArgumentError(what);
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory"));
  }
  return InputFile(fd, false, path);
}

InputFile::InputFile(InputFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      is_stdin_(other.is_stdin_),
      path_(std::move(other.path_)) {}

InputFile& InputFile::operator=(InputFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0 && !is_stdin_) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    is_stdin_ = other.is_stdin_;
    path_ = std::move(other.path_);
  }
  return *this;
}

InputFile::~InputFile() {
  if (fd_ >= 0 && !is_stdin_) ::close(fd_);
}

LineReader::LineReader(int fd, size_t max_line_size,
                       std::function<bool()> should_stop)
    : fd_(fd),
      max_line_size_(max_line_size == 0 ? 1 : max_line_size),
      should_stop_(std::move(should_stop)) {}

void LineReader::Compact() {
  if (start_ == 0) return;
  buf_.erase(0, start_);
  start_ = 0;
}

bool LineReader::WaitReadable() {
  if (wake_fd_ < 0) return true;
  struct pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  for (;;) {
    int n = ::poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return true;  // read() will report the error
    if (fds[1].revents != 0) return false;
    if (fds[0].revents != 0) return true;
  }
}

bool LineReader::Fill(Result* why_not) {
  if (eof_) {
    *why_not = Result::kEnd;
    return false;
  }
  if (before_read_) before_read_();
  Compact();
  size_t old = buf_.size();
  buf_.resize(old + kReadChunk);
  for (;;) {
    if (!WaitReadable() && should_stop_ && should_stop_()) {
      buf_.resize(old);
      *why_not = Result::kStopped;
      return false;
    }
    ssize_t n = ::read(fd_, &buf_[old], kReadChunk);
    if (n > 0) {
      buf_.resize(old + static_cast<size_t>(n));
      bytes_read_ += static_cast<uint64_t>(n);
      ++reads_;
      return true;
    }
    if (n == 0) {
      if (at_end_) {
        int fd = fd_;
        const AtEnd next = at_end_(&fd);
        if (next == AtEnd::kContinue) {
          if (fd != fd_) {
            fd_ = fd;
            offset_base_ = bytes_read_;
          }
          continue;
        }
        buf_.resize(old);
        if (next == AtEnd::kStopped) {
          *why_not = Result::kStopped;
          return false;
        }
      } else {
        buf_.resize(old);
      }
      eof_ = true;
      *why_not = Result::kEnd;
      return false;
    }
    if (errno == EINTR) {
      if (should_stop_ && should_stop_()) {
        buf_.resize(old);
        *why_not = Result::kStopped;
        return false;
      }
      continue;
    }
    error_ = std::strerror(errno);
    buf_.resize(old);
    *why_not = Result::kError;
    return false;
  }
}

LineReader::Result LineReader::Next(std::string_view* line) {
  for (;;) {
    if (should_stop_ && should_stop_()) return Result::kStopped;
    size_t avail = buf_.size() - start_;
    const char* base = buf_.data() + start_;
    const void* nl = avail > scan_
                         ? std::memchr(base + scan_, '\n', avail - scan_)
                         : nullptr;
    if (nl != nullptr) {
      size_t len = static_cast<const char*>(nl) - base;
      size_t next = start_ + len + 1;
      scan_ = 0;
      if (discarding_) {
        // The tail of an overlong line: already handed on, cut.
        discarding_ = false;
        start_ = next;
        continue;
      }
      if (len > 0 && base[len - 1] == '\r') --len;
      start_ = next;
      if (len == 0) {
        ++empty_lines_;
        continue;
      }
      if (len > max_line_size_) {
        ++long_lines_;
        len = max_line_size_ + 1;
      }
      *line = std::string_view(base, len);
      return Result::kLine;
    }
    scan_ = avail;
    if (discarding_) {
      // Keep nothing of an overlong line's tail.
      start_ = buf_.size();
      scan_ = 0;
    } else if (avail > max_line_size_) {
      // No terminator within the limit: hand on what the parser needs to
      // see the line is too long, skip the rest up to the next '\n'.
      ++long_lines_;
      discarding_ = true;
      size_t len = max_line_size_ + 1;
      *line = std::string_view(base, len);
      start_ += avail;  // the bytes stay in buf_ until the next Compact()
      scan_ = 0;
      // The returned view points into buf_, which is not touched before
      // the next call.
      return Result::kLine;
    }
    Result why_not;
    if (!Fill(&why_not)) {
      if (why_not == Result::kEnd && !discarding_ &&
          buf_.size() > start_) {
        // A last line without a terminator.
        size_t len = buf_.size() - start_;
        const char* last = buf_.data() + start_;
        if (last[len - 1] == '\r') --len;
        start_ = buf_.size();
        scan_ = 0;
        if (len == 0) {
          ++empty_lines_;
          continue;
        }
        if (len > max_line_size_) {
          ++long_lines_;
          len = max_line_size_ + 1;
        }
        *line = std::string_view(last, len);
        return Result::kLine;
      }
      return why_not;
    }
  }
}

}  // namespace pydest::cli
