// DeadLetterFile: dead-letter(file("PATH")) — each dropped message appended
// to PATH as one JSON line (dead_letter_line.h). Lines are formatted outside
// the lock and written with one write(2) per call, so concurrent drops never
// interleave. A write that fails (disk full, I/O error) is undone (the file
// is cut back to its length before it), so the file always holds whole
// lines, and the messages count as failed with a warning at most once a
// second. Lines reach the disk (fdatasync) on Flush and Shutdown.
//
// Thread-safety: every method from any thread.
#ifndef LIBPYDEST_DELIVERY_DEAD_LETTER_FILE_H_
#define LIBPYDEST_DELIVERY_DEAD_LETTER_FILE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libpydest/delivery/dead_letter_line.h"
#include "libpydest/delivery/dead_letter_sink.h"
#include "libpydest/delivery/once_a_second.h"
#include "pydest/log_record.h"

namespace pydest::internal {

class DeadLetterFile final : public DeadLetterSink {
 public:
  // Opens (creates with mode 0600) `path` for appending. An error names the
  // path and the reason. `log` receives the write-failure warnings (may be
  // empty).
  static absl::StatusOr<std::unique_ptr<DeadLetterFile>> Open(
      const std::string& path, DeadLetterOrigin origin,
      std::function<void(const LogRecord&)> log);
  ~DeadLetterFile() override;

  size_t Keep(const QueuedMessage* messages, size_t n, Outcome outcome,
              absl::Time when) override;
  absl::Status Flush(absl::Time deadline) override;
  absl::Status Shutdown(absl::Time deadline) override;

 private:
  DeadLetterFile(int fd, std::string path, DeadLetterOrigin origin,
                 std::function<void(const LogRecord&)> log);
  // Writes `text` whole at the end of the file, or leaves the file as it
  // was; the errno of the failure, 0 on success.
  int AppendWhole(const std::string& text) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void LogFailure(size_t lost, int error);

  const std::string path_;
  const DeadLetterOrigin origin_;
  const std::function<void(const LogRecord&)> log_;
  OnceASecond warnings_;
  absl::Mutex mu_;
  int fd_ ABSL_GUARDED_BY(mu_);  // -1 once shut down
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_DEAD_LETTER_FILE_H_
