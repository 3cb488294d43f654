#include "libpydest/delivery/dead_letter_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace pydest::internal {

absl::StatusOr<std::unique_ptr<DeadLetterFile>> DeadLetterFile::Open(
    const std::string& path, DeadLetterOrigin origin,
    std::function<void(const LogRecord&)> log) {
  if (path.empty()) {
    return absl::InvalidArgumentError("dead-letter(file()) needs a path");
  }
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    return absl::FailedPreconditionError(
        absl::StrCat("dead-letter(file(\"", path,
                     "\")): cannot open it for appending: ",
                     std::strerror(error)));
  }
  return std::unique_ptr<DeadLetterFile>(
      new DeadLetterFile(fd, path, std::move(origin), std::move(log)));
}

DeadLetterFile::DeadLetterFile(int fd, std::string path,
                               DeadLetterOrigin origin,
                               std::function<void(const LogRecord&)> log)
    : path_(std::move(path)),
      origin_(std::move(origin)),
      log_(std::move(log)),
      fd_(fd) {}

DeadLetterFile::~DeadLetterFile() {
  absl::MutexLock lock(&mu_);
  if (fd_ >= 0) ::close(fd_);
}

size_t DeadLetterFile::Keep(const QueuedMessage* messages, size_t n,
                            Outcome outcome, absl::Time when) {
  if (n == 0) return 0;
  // Formatted before the lock: concurrent drops only queue for the write.
  thread_local std::string text;
  text.clear();
  for (size_t i = 0; i < n; ++i) {
    AppendDeadLetterLine(messages[i].message, outcome, messages[i].seqnum,
                         when, origin_, &text);
  }
  int error;
  {
    absl::MutexLock lock(&mu_);
    error = fd_ < 0 ? EBADF : AppendWhole(text);
  }
  if (text.capacity() > (size_t{1} << 20)) std::string().swap(text);
  if (error == 0) return n;
  LogFailure(n, error);
  return 0;
}

int DeadLetterFile::AppendWhole(const std::string& text) {
  struct stat st;
  if (::fstat(fd_, &st) != 0) return errno;
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t w = ::write(fd_, text.data() + done, text.size() - done);
    if (w > 0) {
      done += static_cast<size_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    const int error = w < 0 ? errno : ENOSPC;
    // A part of a line would spoil the file for every reader: undo it.
    if (done > 0 && ::ftruncate(fd_, st.st_size) != 0) {
      // Could not even cut it back: end the torn line, so that the next
      // line starts on its own (the torn one reads as a parse error).
      (void)!::write(fd_, "\n", 1);
    }
    return error;
  }
  return 0;
}

void DeadLetterFile::LogFailure(size_t lost, int error) {
  // At most one line a second: a full disk under load fails every drop.
  if (!log_ || !warnings_.Allow(absl::Now())) return;
  LogRecord record;
  record.level = LogRecord::Level::kError;
  record.text =
      "Cannot write dropped messages to the dead-letter file; they are lost "
      "(counted in dead_letter_failed)";
  record.tags = {{"driver", origin_.destination},
                 {"file", path_},
                 {"messages", absl::StrCat(lost)},
                 {"error", error == EBADF ? std::string("already shut down")
                                          : std::strerror(error)}};
  log_(record);
}

absl::Status DeadLetterFile::Flush(absl::Time /*deadline*/) {
  absl::MutexLock lock(&mu_);
  if (fd_ < 0 || ::fdatasync(fd_) == 0) return absl::OkStatus();
  const int error = errno;
  return absl::DataLossError(absl::StrCat("dead-letter file ", path_,
                                          ": fdatasync: ",
                                          std::strerror(error)));
}

absl::Status DeadLetterFile::Shutdown(absl::Time deadline) {
  absl::Status status = Flush(deadline);
  absl::MutexLock lock(&mu_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  return status;
}

}  // namespace pydest::internal
