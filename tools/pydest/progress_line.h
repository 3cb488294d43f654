// The progress line pydest keeps on a terminal while it works: messages
// read, delivered (and delivered per second), dropped and queued, redrawn
// about four times a second on standard error. Off when standard error is
// not a terminal, so logs and pipes get only the final report.
//
// Other output to standard error should go through Print(), which takes the
// line away, writes the text and draws the line again.
//
// Thread-safety: Print() and Stop() may be called from any thread; the
// sample function is called on the progress thread.
#ifndef PYDEST_TOOLS_PYDEST_PROGRESS_LINE_H_
#define PYDEST_TOOLS_PYDEST_PROGRESS_LINE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace pydest::cli {

struct ProgressSample {
  uint64_t read = 0;       // messages read so far
  uint64_t delivered = 0;  // summed over destinations
  uint64_t dropped = 0;
  uint64_t queued = 0;     // waiting in the destinations' queues now
};

class ProgressLine {
 public:
  // Draws nothing unless `enabled`; Print() works either way.
  explicit ProgressLine(bool enabled,
                        absl::Duration interval = absl::Milliseconds(250),
                        absl::Duration delay = absl::Seconds(1));
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // When enabled, starts a thread that calls `sample` every `interval` and,
  // once `delay` has passed (short runs show no line), draws the line. Call
  // at most once.
  void Start(std::function<ProgressSample()> sample);

  // Writes `text` (a whole line, '\n' added if missing) to standard error
  // without tearing the progress line.
  void Print(std::string_view text);

  // Stops the thread and erases the line. Idempotent.
  void Stop();

  // The text of the line for a sample (no terminal codes); for tests.
  static std::string Format(const ProgressSample& sample, double per_second);

 private:
  void Run();
  void Draw(const std::string& line) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Erase() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const bool enabled_;
  std::function<ProgressSample()> sample_;
  const absl::Duration interval_;
  const absl::Duration delay_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::string shown_ ABSL_GUARDED_BY(mu_);  // what is on the screen now
  std::thread thread_;
};

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_PROGRESS_LINE_H_
