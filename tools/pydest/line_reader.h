// Reading log lines from a file or standard input, the way syslog-ng's file()
// source frames them: one message per '\n'-terminated line, the terminator
// (and a '\r' before it) removed, empty lines skipped, a last line without a
// terminator still read.
//
// Memory stays bounded: a line longer than max_line_size (log-msg-size()) is
// handed on cut to max_line_size + 1 bytes, so that the parser sees that it
// is too long, cuts it and flags it (kMessageTruncated); the rest of the line
// is skipped.
//
// Reads are interruptible: with a wake fd (set_wake_fd), the reader waits
// for input with poll() on its input and that fd, and when the wake fd
// becomes readable it asks `should_stop` and returns kStopped if it says so;
// a read() that fails with EINTR is handled the same way.
//
// Thread-compatible: one reader per thread.
#ifndef PYDEST_TOOLS_PYDEST_LINE_READER_H_
#define PYDEST_TOOLS_PYDEST_LINE_READER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace pydest::cli {

// An input opened for reading: a file, or standard input for "-". Closes
// what it opened.
class InputFile {
 public:
  // NotFound / PermissionDenied / InvalidArgument (a directory) with the
  // path and the reason.
  static absl::StatusOr<InputFile> Open(const std::string& path);
  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&& other) noexcept;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();

  int fd() const { return fd_; }
  bool is_stdin() const { return is_stdin_; }
  // The path as given, "-" for standard input.
  const std::string& path() const { return path_; }

 private:
  InputFile(int fd, bool is_stdin, std::string path)
      : fd_(fd), is_stdin_(is_stdin), path_(std::move(path)) {}
  int fd_ = -1;
  bool is_stdin_ = false;
  std::string path_;
};

class LineReader {
 public:
  enum class Result { kLine, kEnd, kStopped, kError };

  // `fd` is not owned and must outlive the reader.
  LineReader(int fd, size_t max_line_size, std::function<bool()> should_stop);

  // kLine: *line holds the next line, valid until the next call.
  // kEnd: end of input. kStopped: should_stop() said so after an
  // interrupted read. kError: error() says why.
  Result Next(std::string_view* line);

  // Called before every read() of more input (which may block on a pipe or
  // a terminal): the caller hands over what it gathered from the lines
  // read so far.
  void set_before_read(std::function<void()> fn) { before_read_ = std::move(fn); }
  // What to do at the end of the input (--follow): `fn` may wait, and may
  // switch *fd to another open file (rotation: the new file under the
  // input's name), then returns kContinue to read on (from *fd), kEnd or
  // kStopped. Bytes of an unterminated line buffered before a switch join
  // the first line of the new file, as a `tail -F` pipe would pass them.
  // Without it, the end of the input ends the reader.
  enum class AtEnd { kContinue, kEnd, kStopped };
  void set_at_end(std::function<AtEnd(int* fd)> fn) { at_end_ = std::move(fn); }
  // A file descriptor that becomes readable when the reader should check
  // should_stop (pydest's stop-signal pipe); not owned, never read.
  void set_wake_fd(int fd) { wake_fd_ = fd; }
  // Successful reads so far; lines returned after a change came from the
  // new data.
  uint64_t reads() const { return reads_; }

  const std::string& error() const { return error_; }
  uint64_t bytes_read() const { return bytes_read_; }
  // Bytes of input before the next line (lines returned, their terminators
  // and skipped empty lines): where reading would resume. Inside a line cut
  // for its length, the rest of that line counts as consumed.
  // After a switch of file (set_at_end), counted from the new file's start.
  uint64_t consumed() const {
    const uint64_t buffered = buf_.size() - start_;
    const uint64_t read = bytes_read_ - offset_base_;
    return read > buffered ? read - buffered : 0;
  }
  // Lines skipped because they were empty.
  uint64_t empty_lines() const { return empty_lines_; }
  // Lines that were longer than max_line_size.
  uint64_t long_lines() const { return long_lines_; }

 private:
  // Reads more input into buf_; false at end of input, stop or error.
  bool Fill(Result* why_not);
  // Waits until the input is readable: false when the wake fd woke it.
  bool WaitReadable();
  // Removes consumed bytes from the front of buf_.
  void Compact();

  int fd_;
  size_t max_line_size_;
  std::function<bool()> should_stop_;
  std::function<void()> before_read_;
  std::function<AtEnd(int* fd)> at_end_;
  uint64_t offset_base_ = 0;  // bytes_read_ when the current file began
  int wake_fd_ = -1;
  uint64_t reads_ = 0;
  std::string buf_;
  size_t start_ = 0;  // first unconsumed byte in buf_
  size_t scan_ = 0;   // bytes before this (from start_) hold no '\n'
  bool eof_ = false;
  bool discarding_ = false;  // skipping the rest of an overlong line
  std::string error_;
  uint64_t bytes_read_ = 0;
  uint64_t empty_lines_ = 0;
  uint64_t long_lines_ = 0;
};

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_LINE_READER_H_
