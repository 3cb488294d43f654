// Unsigned LEB128 integers, as protocol buffers write them: small values
// (lengths, offsets, ports, most contexts) take one byte. The message
// encoding and the disk buffer's record payloads use them.
//
// Thread-safety: pure functions.
#ifndef LIBPYDEST_MESSAGE_VARINT_H_
#define LIBPYDEST_MESSAGE_VARINT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace pydest::internal {

inline void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Reads one from the front of *in and drops it from there; false when *in
// ends first or the number is longer than 10 bytes.
inline bool GetVarint(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

}  // namespace pydest::internal

#endif  // LIBPYDEST_MESSAGE_VARINT_H_
