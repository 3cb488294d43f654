#include "tools/pydest/feed_inputs.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pydest/parse.h"
#include "tools/pydest/fatal_signal.h"
#include "tools/pydest/stop_signal.h"

namespace pydest::cli {
namespace {

// Messages parsed from lines already read are handed over together, up to
// this many, and always before the reader waits for more input: one queue
// lock per run of messages instead of one per message.
constexpr size_t kHandOverBatch = 64;

// Hands `messages` to `host`, waiting for room when its queue is full
// (log-fifo-size under the block policy, as syslog-ng's flow control would).
// TrySendBatch polled with a short sleep instead of a blocking Send, so that
// a stop signal is noticed even when a suspended destination holds the
// queue full. Returns how many were handed over: all of them, unless a stop
// came first. The pause stays short (at most 1 ms, about a thousand
// messages at full speed) so that the room a worker makes is taken soon.
size_t HandOver(PyDestinationHost& host, absl::Span<const Message> messages) {
  size_t done = host.TrySendBatch(messages);
  absl::Duration pause = absl::Microseconds(50);
  while (done < messages.size() && !StopRequested()) {
    absl::SleepFor(pause);
    const size_t more = host.TrySendBatch(messages.subspan(done));
    done += more;
    pause = more > 0 ? absl::Microseconds(50)
                     : std::min(pause * 2, absl::Milliseconds(1));
  }
  return done;
}

// The destinations of `running` that `planned` feeds.
std::vector<RunningDestination*> Receivers(
    const PlannedInput& planned, std::vector<RunningDestination>* running) {
  std::vector<RunningDestination*> out;
  for (RunningDestination& r : *running) {
    if (planned.destinations.empty() ||
        std::find(planned.destinations.begin(), planned.destinations.end(),
                  r.config.name) != planned.destinations.end()) {
      out.push_back(&r);
    }
  }
  return out;
}

}  // namespace

bool FeedInputs(const std::vector<PlannedInput>& plan,
                const std::vector<InputFile>& inputs,
                std::vector<RunningDestination>* running,
                std::atomic<uint64_t>* read_count, ProgressLine* progress,
                InputReport* input) {
  bool ok = true;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (StopRequested()) break;
    const InputFile& in = inputs[i];
    ParseOptions options = plan[i].options;
    const InputFormat format = plan[i].format;
    const std::vector<RunningDestination*> receivers =
        Receivers(plan[i], running);
    LineReader reader(in.fd(), options.max_line_size, &StopRequested);
    reader.set_wake_fd(StopWakeFd());
    // A regular file's position: where its lines start (after a --resume
    // seek), and how far every destination took them.
    InputPosition* position = nullptr;
    uint64_t start = 0;
    struct stat st;
    if (!in.is_stdin() && ::fstat(in.fd(), &st) == 0 && S_ISREG(st.st_mode)) {
      const off_t at = ::lseek(in.fd(), 0, SEEK_CUR);
      start = at > 0 ? static_cast<uint64_t>(at) : 0;
      input->positions.push_back({in.path(), start, false,
                                  static_cast<uint64_t>(st.st_dev),
                                  static_cast<uint64_t>(st.st_ino)});
      position = &input->positions.back();
    }
    std::vector<Message> pending;
    std::vector<uint64_t> pending_ends;  // the input offset after each line
    pending.reserve(kHandOverBatch);
    pending_ends.reserve(kHandOverBatch);
    auto hand_over = [&pending, &pending_ends, &receivers, position, start] {
      size_t taken_by_all = pending.size();
      for (RunningDestination* r : receivers) {
        const size_t taken = HandOver(*r->host, pending);
        r->not_sent += pending.size() - taken;
        taken_by_all = std::min(taken_by_all, taken);
      }
      if (position != nullptr && taken_by_all > 0) {
        position->offset = start + pending_ends[taken_by_all - 1];
      }
      pending.clear();
      pending_ends.clear();
    };
    reader.set_before_read(hand_over);
    uint64_t reads = 0;
    std::string_view line;
    LineReader::Result result;
    while ((result = reader.Next(&line)) == LineReader::Result::kLine) {
      if (reader.reads() != reads) {
        // The lines of one read() were received together, as syslog-ng's
        // sources stamp a fetched batch with one clock reading.
        reads = reader.reads();
        options.received = absl::Now();
      }
      pending.push_back(ParseLine(line, format, options, &input->parse));
      pending_ends.push_back(reader.consumed());
      read_count->fetch_add(1, std::memory_order_relaxed);
      FatalCounts().expected.fetch_add(receivers.size(),
                                       std::memory_order_relaxed);
      if (pending.size() == kHandOverBatch) hand_over();
    }
    hand_over();
    if (position != nullptr && result == LineReader::Result::kEnd &&
        !StopRequested()) {
      // Trailing empty lines are consumed too: the next run starts after.
      position->offset = start + reader.consumed();
      position->complete = true;
    }
    input->bytes += reader.bytes_read();
    input->empty_lines += reader.empty_lines();
    if (result == LineReader::Result::kError) {
      progress->Print(absl::StrCat("pydest: ", in.path(), ": ", reader.error()));
      ok = false;
    }
  }
  return ok;
}

}  // namespace pydest::cli
