// Fuzzes DecodeMessage (libpydest/message/message_codec.h), the decoder of
// what the disk buffer reads back: any bytes are an error or a message, and
// a decoded message encodes to bytes that decode to the same encoding
// again (decode(encode(m)) keeps every field).
//
// Input: the encoding, as a disk-buffer record's payload holds it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "libpydest/message/message_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<pydest::Message> decoded =
      pydest::internal::DecodeMessage(bytes);
  if (!decoded.ok()) return 0;
  std::string once;
  pydest::internal::EncodeMessage(*decoded, &once);
  absl::StatusOr<pydest::Message> again = pydest::internal::DecodeMessage(once);
  if (!again.ok()) __builtin_trap();
  std::string twice;
  pydest::internal::EncodeMessage(*again, &twice);
  if (once != twice) __builtin_trap();
  pydest::fuzz::EvaluateEverything(*decoded);
  return 0;
}
