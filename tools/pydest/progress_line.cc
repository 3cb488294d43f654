#include "tools/pydest/progress_line.h"

#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace pydest::cli {
namespace {

void WriteAll(std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

ProgressLine::ProgressLine(bool enabled, absl::Duration interval,
                           absl::Duration delay)
    : enabled_(enabled), interval_(interval), delay_(delay) {}

void ProgressLine::Start(std::function<ProgressSample()> sample) {
  if (!enabled_ || thread_.joinable()) return;
  sample_ = std::move(sample);
  thread_ = std::thread([this] { Run(); });
}

ProgressLine::~ProgressLine() { Stop(); }

std::string ProgressLine::Format(const ProgressSample& s, double per_second) {
  return absl::StrFormat(
      "pydest: %d read  delivered %d (%.0f/s)  dropped %d  queued %d", s.read,
      s.delivered, per_second, s.dropped, s.queued);
}

void ProgressLine::Erase() {
  if (shown_.empty()) return;
  // Carriage return, then "erase to end of line".
  WriteAll("\r\x1b[K");
  shown_.clear();
}

void ProgressLine::Draw(const std::string& line) {
  WriteAll(absl::StrCat("\r", line, "\x1b[K"));
  shown_ = line;
}

void ProgressLine::Print(std::string_view text) {
  absl::MutexLock lock(&mu_);
  std::string saved = shown_;
  Erase();
  std::string out(text);
  if (out.empty() || out.back() != '\n') out.push_back('\n');
  WriteAll(out);
  if (!saved.empty() && !stopping_) Draw(saved);
}

void ProgressLine::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  absl::MutexLock lock(&mu_);
  Erase();
}

void ProgressLine::Run() {
  const absl::Time start = absl::Now();
  absl::Time last_time = start;
  uint64_t last_delivered = 0;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_)) {
        return;
      }
    }
    // Sampling reads the destinations' counters; not under mu_, so that a
    // log record printed meanwhile (Print) never waits on it.
    ProgressSample s = sample_();
    absl::Time now = absl::Now();
    double seconds = absl::ToDoubleSeconds(now - last_time);
    double rate =
        seconds > 0 ? (s.delivered - last_delivered) / seconds : 0.0;
    last_time = now;
    last_delivered = s.delivered;
    if (now - start < delay_) continue;
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    Draw(Format(s, rate));
  }
}

}  // namespace pydest::cli
