#include "libpydest/process/frame_channel.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstring>

namespace pydest::internal {

FrameChannel::FrameChannel(int fd) : fd_(fd) {}

FrameChannel::~FrameChannel() { close(fd_); }

bool FrameChannel::Send(uint8_t type, std::string_view payload) {
  if (payload.size() + 1 > kMaxFrameBytes) return false;
  const uint32_t length = static_cast<uint32_t>(payload.size() + 1);
  unsigned char header[5] = {
      static_cast<unsigned char>(length), static_cast<unsigned char>(length >> 8),
      static_cast<unsigned char>(length >> 16),
      static_cast<unsigned char>(length >> 24), type};
  iovec parts[2] = {{header, sizeof header},
                    {const_cast<char*>(payload.data()), payload.size()}};
  msghdr msg{};
  msg.msg_iov = parts;
  msg.msg_iovlen = 2;
  std::lock_guard<std::mutex> lock(send_mu_);
  while (msg.msg_iovlen > 0) {
    const ssize_t n = sendmsg(fd_, &msg, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    // Skip what was written (a partial write of a large frame).
    size_t left = static_cast<size_t>(n);
    while (msg.msg_iovlen > 0 && left >= msg.msg_iov[0].iov_len) {
      left -= msg.msg_iov[0].iov_len;
      ++msg.msg_iov;
      --msg.msg_iovlen;
    }
    if (msg.msg_iovlen > 0) {
      msg.msg_iov[0].iov_base = static_cast<char*>(msg.msg_iov[0].iov_base) + left;
      msg.msg_iov[0].iov_len -= left;
    }
  }
  return true;
}

bool FrameChannel::TakeFrame(uint8_t* type, std::string* payload,
                             bool* damaged) {
  const size_t have = buffer_.size() - buffer_pos_;
  if (have < 4) return false;
  const auto* p =
      reinterpret_cast<const unsigned char*>(buffer_.data() + buffer_pos_);
  const uint32_t length = uint32_t{p[0]} | uint32_t{p[1]} << 8 |
                          uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
  if (length == 0 || length > kMaxFrameBytes) {
    *damaged = true;
    return false;
  }
  if (have < 4 + size_t{length}) return false;
  *type = p[4];
  payload->assign(buffer_.data() + buffer_pos_ + 5, length - 1);
  buffer_pos_ += 4 + size_t{length};
  if (buffer_pos_ == buffer_.size()) {
    buffer_.clear();
    buffer_pos_ = 0;
  }
  return true;
}

FrameChannel::Received FrameChannel::Receive(int timeout_ms, uint8_t* type,
                                             std::string* payload) {
  for (;;) {
    bool damaged = false;
    if (TakeFrame(type, payload, &damaged)) return Received::kFrame;
    if (damaged) return Received::kDamaged;
    pollfd pfd{fd_, POLLIN, 0};
    const int ready = poll(&pfd, 1, timeout_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return Received::kClosed;
    }
    if (ready == 0) return Received::kTimeout;
    // Compact before growing, so the buffer stays the size of a frame.
    if (buffer_pos_ > 0) {
      buffer_.erase(0, buffer_pos_);
      buffer_pos_ = 0;
    }
    const size_t old = buffer_.size();
    buffer_.resize(old + 65536);
    const ssize_t n = recv(fd_, buffer_.data() + old, 65536, 0);
    buffer_.resize(old + (n > 0 ? static_cast<size_t>(n) : 0));
    if (n == 0) return Received::kClosed;
    if (n < 0 && errno != EINTR && errno != EAGAIN) return Received::kClosed;
  }
}

}  // namespace pydest::internal
