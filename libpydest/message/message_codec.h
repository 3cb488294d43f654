// A Message as bytes and back: how the disk buffer (libpydest/durable)
// keeps messages across a restart. Everything a Message holds round-trips:
// both timestamps with their offsets, facility, severity, flags, the
// built-in and other pairs in their order, structured data, tags and the
// transport fields. The layout is documented in docs/disk-buffer.md
// ("Message encoding"); kMessageCodecVersion names it.
//
// Decoding treats its input as hostile: every length is checked against
// what is left, and a malformed or truncated encoding is an error, never a
// read past the end.
//
// Thread-safety: plain functions over their arguments.
#ifndef LIBPYDEST_MESSAGE_MESSAGE_CODEC_H_
#define LIBPYDEST_MESSAGE_MESSAGE_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "pydest/message.h"

namespace pydest::internal {

// The first byte of every encoding; a decoder refuses other values.
inline constexpr uint8_t kMessageCodecVersion = 1;

// Appends the encoding of `message` to `out`.
void EncodeMessage(const Message& message, std::string* out);

// The message `bytes` encodes (all of it: trailing bytes are an error).
// DataLoss says what was wrong and at which offset.
absl::StatusOr<Message> DecodeMessage(std::string_view bytes);

}  // namespace pydest::internal

#endif  // LIBPYDEST_MESSAGE_MESSAGE_CODEC_H_
