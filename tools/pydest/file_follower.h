// FileFollower: --follow for one input file, as `tail -F` follows it: at
// the end of the file it waits (follow-freq(), 1 s by default) for more,
// and notices when the name now holds another file (rotation by rename:
// the rest of the old file is read first, then the new one from its
// start) or when the file became shorter than what was read (copytruncate:
// read again from the start). A stop signal ends the wait at once.
//
// It is the LineReader's at-end hook (LineReader::set_at_end).
//
// Thread-compatible: one follower per reader, on the reader's thread.
#ifndef TOOLS_PYDEST_FILE_FOLLOWER_H_
#define TOOLS_PYDEST_FILE_FOLLOWER_H_

#include <sys/stat.h>

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "tools/pydest/line_reader.h"

namespace pydest::cli {

class FileFollower {
 public:
  // `fd` is the open input (not owned); `wake_fd` becomes readable when
  // `should_stop` may have become true (pydest's stop-signal pipe).
  FileFollower(std::string path, int fd, absl::Duration freq, int wake_fd,
               std::function<bool()> should_stop);
  ~FileFollower();
  FileFollower(const FileFollower&) = delete;
  FileFollower& operator=(const FileFollower&) = delete;

  // The hook: waits for more input; may switch *fd to the file now under
  // the name (or, after a truncation, to a fresh descriptor of the same
  // file read from its start).
  LineReader::AtEnd AtEnd(int* fd);

  // Called after every switch with the file now read (for the resume
  // position: its device and inode; offsets count from its start).
  void set_on_switch(std::function<void(const struct stat&)> fn) {
    on_switch_ = std::move(fn);
  }

 private:
  // Sleeps up to freq_; false when a stop was asked.
  bool Wait();
  // Makes `fd` the current one (closing the one this follower opened).
  void SwitchTo(int fd, const struct stat& st, int* reader_fd);

  const std::string path_;
  const absl::Duration freq_;
  const int wake_fd_;
  const std::function<bool()> should_stop_;
  std::function<void(const struct stat&)> on_switch_;
  int fd_;             // the file being read
  int owned_fd_ = -1;  // fd_ when this follower opened it
};

}  // namespace pydest::cli

#endif  // TOOLS_PYDEST_FILE_FOLLOWER_H_
