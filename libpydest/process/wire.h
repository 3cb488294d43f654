// Wire: the primitive encodings of the worker protocol (worker_protocol.h)
// — varints, length-prefixed bytes, fixed 8-byte doubles — written into a
// string and read back with every length checked against what is left.
//
// Thread-safety: plain values.
#ifndef LIBPYDEST_PROCESS_WIRE_H_
#define LIBPYDEST_PROCESS_WIRE_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "libpydest/message/varint.h"

namespace pydest::internal {

class WireWriter {
 public:
  explicit WireWriter(std::string* out) : out_(out) {}
  void U(uint64_t v) { PutVarint(v, out_); }
  void I(int64_t v) {  // zigzag
    U((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void Bytes(std::string_view s) {
    U(s.size());
    out_->append(s.data(), s.size());
  }
  void Double(double d) {
    char b[8];
    std::memcpy(b, &d, 8);
    out_->append(b, 8);
  }

 private:
  std::string* out_;
};

// Every read returns false (and sticks at false) once the input is short
// or malformed; check ok() at the end.
class WireReader {
 public:
  explicit WireReader(std::string_view in) : in_(in) {}
  bool U(uint64_t* v) { return ok_ = ok_ && GetVarint(&in_, v); }
  bool U32(uint32_t* v) {
    uint64_t x = 0;
    if (!U(&x) || x > UINT32_MAX) return ok_ = false;
    *v = static_cast<uint32_t>(x);
    return true;
  }
  bool I(int64_t* v) {
    uint64_t x = 0;
    if (!U(&x)) return false;
    *v = static_cast<int64_t>((x >> 1) ^ (~(x & 1) + 1));
    return true;
  }
  bool Bytes(std::string_view* s) {
    uint64_t n = 0;
    if (!U(&n) || n > in_.size()) return ok_ = false;
    *s = in_.substr(0, n);
    in_.remove_prefix(n);
    return true;
  }
  bool String(std::string* s) {
    std::string_view v;
    if (!Bytes(&v)) return false;
    s->assign(v.data(), v.size());
    return true;
  }
  bool Double(double* d) {
    if (!ok_ || in_.size() < 8) return ok_ = false;
    std::memcpy(d, in_.data(), 8);
    in_.remove_prefix(8);
    return true;
  }
  bool ok() const { return ok_; }
  bool done() const { return ok_ && in_.empty(); }

 private:
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_PROCESS_WIRE_H_
