// BufferLock: one process at a time per disk buffer. An exclusive flock()
// on "<base>.lock" in the buffer's folder, holding the owner's pid so the
// refusal can name it; the kernel drops the lock when the owner dies, even
// by kill -9, so a crash never leaves a buffer locked.
//
// Thread-safety: none needed; one per open buffer.
#ifndef LIBPYDEST_DURABLE_BUFFER_LOCK_H_
#define LIBPYDEST_DURABLE_BUFFER_LOCK_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace pydest::internal {

class BufferLock {
 public:
  // Takes the lock, or fails: FailedPrecondition naming the file and the
  // pid that holds it; the errno text when the file cannot be opened.
  static absl::StatusOr<std::unique_ptr<BufferLock>> Acquire(
      const std::string& path);
  ~BufferLock();  // releases it
  BufferLock(const BufferLock&) = delete;
  BufferLock& operator=(const BufferLock&) = delete;

 private:
  explicit BufferLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DURABLE_BUFFER_LOCK_H_
