// FrameChannel: one end of the stream socket between a host and a worker
// process, carrying frames: a 4-byte little-endian length (of what
// follows), a type byte and the payload (worker_protocol.h gives them
// meaning). Reads are buffered, so a run's many small frames cost few
// system calls; a frame larger than kMaxFrameBytes is refused as damage.
//
// Writes never raise SIGPIPE (MSG_NOSIGNAL): a peer that died is an error
// of the call, which is how a host learns its worker is gone.
//
// Thread-safety: Send may be called from several threads at once (a
// worker's Python threads log while its main loop replies); Receive from
// one thread at a time.
#ifndef LIBPYDEST_PROCESS_FRAME_CHANNEL_H_
#define LIBPYDEST_PROCESS_FRAME_CHANNEL_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace pydest::internal {

inline constexpr size_t kMaxFrameBytes = size_t{256} << 20;

class FrameChannel {
 public:
  enum class Received { kFrame, kTimeout, kClosed, kDamaged };

  explicit FrameChannel(int fd);  // takes ownership
  ~FrameChannel();
  FrameChannel(const FrameChannel&) = delete;
  FrameChannel& operator=(const FrameChannel&) = delete;

  // false when the peer is gone (or the frame is too large).
  bool Send(uint8_t type, std::string_view payload);
  // The next frame, waiting at most `timeout_ms` (-1: no limit) for data.
  // kClosed: the peer closed its end (or died); kDamaged: a frame longer
  // than kMaxFrameBytes or shorter than its type byte.
  Received Receive(int timeout_ms, uint8_t* type, std::string* payload);
  int fd() const { return fd_; }

 private:
  // Moves a whole frame from buffer_ into type/payload when there is one.
  bool TakeFrame(uint8_t* type, std::string* payload, bool* damaged);

  const int fd_;
  std::mutex send_mu_;
  std::string buffer_;    // received, not yet taken
  size_t buffer_pos_ = 0;  // where the untaken bytes start
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_PROCESS_FRAME_CHANNEL_H_
