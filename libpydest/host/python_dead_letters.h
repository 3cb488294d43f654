// PythonDeadLetters: dead-letter(python(...)) — a second PyDestinationHost
// that receives the first one's dropped messages as ordinary messages
// (Fluentd's secondary output). A drop is handed over with TrySend, never
// waiting: the first destination's workers must not stall behind the
// second's queue. What it refuses (its queue full, or shut down) counts as
// dead_letter_failed.
//
// Thread-safety: every method from any thread (PyDestinationHost's rules).
#ifndef LIBPYDEST_HOST_PYTHON_DEAD_LETTERS_H_
#define LIBPYDEST_HOST_PYTHON_DEAD_LETTERS_H_

#include <memory>

#include "libpydest/delivery/dead_letter_sink.h"
#include "pydest/host.h"
#include "pydest/stats.h"

namespace pydest::internal {

class PythonDeadLetters final : public DeadLetterSink {
 public:
  explicit PythonDeadLetters(std::unique_ptr<PyDestinationHost> host)
      : host_(std::move(host)) {}

  size_t Keep(const QueuedMessage* messages, size_t n, Outcome outcome,
              absl::Time when) override;
  absl::Status Flush(absl::Time deadline) override {
    return host_->Flush(deadline);
  }
  absl::Status Shutdown(absl::Time deadline) override {
    return host_->Shutdown(deadline);
  }

  DestinationStats stats() const { return host_->stats(); }

 private:
  std::unique_ptr<PyDestinationHost> host_;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_HOST_PYTHON_DEAD_LETTERS_H_
