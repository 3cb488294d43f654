#include "tools/pydest/feed_inputs.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "pydest/parse.h"
#include "tools/pydest/file_follower.h"
#include "tools/pydest/stop_signal.h"

namespace pydest::cli {
namespace {

// Messages parsed from lines already read are handed over together, up to
// this many, and always before the reader waits for more input: one queue
// lock per run of messages instead of one per message.
constexpr size_t kHandOverBatch = 64;

// What reading one input produced; merged into the run's InputReport.
struct InputTally {
  ParseStats parse;
  uint64_t bytes = 0;
  uint64_t empty_lines = 0;
  std::optional<InputPosition> position;  // regular files only
  bool ok = true;
};

// Reads one input to its end (or, followed, until a stop) into the
// destinations it feeds.
void FeedOne(const PlannedInput& planned, const InputFile& in,
             LiveDestinations* live, std::atomic<uint64_t>* read_count,
             ProgressLine* progress, InputTally* tally) {
  ParseOptions options = planned.options;
  const InputFormat format = planned.format;
  LineReader reader(in.fd(), options.max_line_size, &StopRequested);
  reader.set_wake_fd(StopWakeFd());
  // A regular file's position: where its lines start (after a --resume
  // seek), and how far every destination took them.
  uint64_t start = 0;
  struct stat st;
  const bool regular =
      !in.is_stdin() && ::fstat(in.fd(), &st) == 0 && S_ISREG(st.st_mode);
  if (regular) {
    const off_t at = ::lseek(in.fd(), 0, SEEK_CUR);
    start = at > 0 ? static_cast<uint64_t>(at) : 0;
    tally->position = InputPosition{in.path(), start, false,
                                    static_cast<uint64_t>(st.st_dev),
                                    static_cast<uint64_t>(st.st_ino)};
  }
  std::optional<FileFollower> follower;
  if (regular && planned.follow) {
    follower.emplace(in.path(), in.fd(), planned.follow_freq, StopWakeFd(),
                     &StopRequested);
    follower->set_on_switch([tally, &start](const struct stat& now) {
      // Offsets count from the start of the file now read.
      tally->position->device = static_cast<uint64_t>(now.st_dev);
      tally->position->inode = static_cast<uint64_t>(now.st_ino);
      start = 0;
    });
    reader.set_at_end([&follower](int* fd) { return follower->AtEnd(fd); });
  }
  std::vector<Message> pending;
  std::vector<uint64_t> pending_ends;  // the input offset after each line
  pending.reserve(kHandOverBatch);
  pending_ends.reserve(kHandOverBatch);
  auto hand_over = [&pending, &pending_ends, &planned, live, tally, &start] {
    const size_t taken_by_all = live->Deliver(planned.destinations, pending);
    if (tally->position.has_value() && taken_by_all > 0) {
      tally->position->offset = start + pending_ends[taken_by_all - 1];
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
    pending.push_back(ParseLine(line, format, options, &tally->parse));
    pending_ends.push_back(reader.consumed());
    read_count->fetch_add(1, std::memory_order_relaxed);
    if (pending.size() == kHandOverBatch) hand_over();
  }
  hand_over();
  if (tally->position.has_value() && result == LineReader::Result::kEnd &&
      !StopRequested()) {
    // Trailing empty lines are consumed too: the next run starts after.
    tally->position->offset = start + reader.consumed();
    tally->position->complete = true;
  }
  tally->bytes = reader.bytes_read();
  tally->empty_lines = reader.empty_lines();
  if (result == LineReader::Result::kError) {
    progress->Print(absl::StrCat("pydest: ", in.path(), ": ", reader.error()));
    tally->ok = false;
  }
}

}  // namespace

bool FeedInputs(const std::vector<PlannedInput>& plan,
                const std::vector<InputFile>& inputs,
                LiveDestinations* live, std::atomic<uint64_t>* read_count,
                ProgressLine* progress, InputReport* input) {
  std::vector<InputTally> tallies(inputs.size());
  const bool follow = std::any_of(plan.begin(), plan.end(),
                                  [](const PlannedInput& p) { return p.follow; });
  if (follow) {
    // Followed inputs never end on their own: each is read on its own
    // thread until a stop signal (TrySendBatch may be called from any).
    std::vector<std::thread> threads;
    for (size_t i = 0; i < inputs.size(); ++i) {
      threads.emplace_back([&, i] {
        FeedOne(plan[i], inputs[i], live, read_count, progress, &tallies[i]);
      });
    }
    for (std::thread& t : threads) t.join();
  } else {
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (StopRequested()) break;
      FeedOne(plan[i], inputs[i], live, read_count, progress, &tallies[i]);
    }
  }
  bool ok = true;
  for (size_t i = 0; i < tallies.size(); ++i) {
    const InputTally& t = tallies[i];
    input->parse.parsed += t.parse.parsed;
    input->parse.parse_errors += t.parse.parse_errors;
    input->parse.truncated += t.parse.truncated;
    input->parse.invalid_utf8 += t.parse.invalid_utf8;
    input->bytes += t.bytes;
    input->empty_lines += t.empty_lines;
    if (t.position.has_value()) input->positions.push_back(*t.position);
    ok = ok && t.ok;
  }
  return ok;
}

}  // namespace pydest::cli
