#include "libpydest/durable/segment_format.h"

#include <cstring>

#include "libpydest/durable/crc32c.h"

namespace pydest::internal {
namespace {

constexpr char kSegmentMagic[8] = {'P', 'Y', 'D', 'Q', 'S', 'E', 'G', '\n'};
// "PDQR" read as a little-endian 32-bit number.
constexpr uint32_t kRecordMagic = 0x52514450;

// Fixed-width integers are little-endian on disk, whatever the machine.
void PutU32(uint32_t v, char* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(v >> (8 * i));
}
void PutU64(uint64_t v, char* out) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(v >> (8 * i));
}
uint32_t GetU32(const char* in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    v |= uint32_t{static_cast<unsigned char>(in[i])} << (8 * i);
  }
  return v;
}
uint64_t GetU64(const char* in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v |= uint64_t{static_cast<unsigned char>(in[i])} << (8 * i);
  }
  return v;
}

// Record header: magic u32, payload length u32, id u64, payload crc u32,
// header crc u32 (over the length, the id and the payload crc). Two
// checksums so that the payload's can be computed before the id is known.
uint32_t HeaderCrc(const char* header) { return Crc32c(0, header + 4, 16); }

}  // namespace

std::string EncodeSegmentHeader(uint64_t first_id) {
  // magic[8], version u32, reserved u32, first id u64, reserved u32, crc u32
  std::string h(kSegmentHeaderSize, '\0');
  std::memcpy(h.data(), kSegmentMagic, 8);
  PutU32(kSegmentFormatVersion, h.data() + 8);
  PutU64(first_id, h.data() + 16);
  PutU32(Crc32c(0, h.data(), 28), h.data() + 28);
  return h;
}

bool ParseSegmentHeader(std::string_view bytes, uint64_t* first_id,
                        uint32_t* version) {
  if (bytes.size() < kSegmentHeaderSize) return false;
  if (std::memcmp(bytes.data(), kSegmentMagic, 8) != 0) return false;
  if (GetU32(bytes.data() + 28) != Crc32c(0, bytes.data(), 28)) return false;
  *version = GetU32(bytes.data() + 8);
  *first_id = GetU64(bytes.data() + 16);
  return true;
}

uint32_t PayloadCrc(std::string_view payload) { return Crc32c(0, payload); }

void AppendRecord(uint64_t id, std::string_view payload, uint32_t payload_crc,
                  std::string* out) {
  const size_t at = out->size();
  out->resize(at + kRecordHeaderSize);
  char* h = out->data() + at;
  PutU32(kRecordMagic, h);
  PutU32(static_cast<uint32_t>(payload.size()), h + 4);
  PutU64(id, h + 8);
  PutU32(payload_crc, h + 16);
  PutU32(HeaderCrc(h), h + 20);
  out->append(payload.data(), payload.size());
}

RecordCheck CheckRecord(std::string_view bytes, RecordView* record) {
  if (bytes.size() < 4) {
    // Could be the start of a magic still being written.
    return std::memcmp(bytes.data(), "PDQR", bytes.size()) == 0
               ? RecordCheck::kIncomplete
               : RecordCheck::kBad;
  }
  if (GetU32(bytes.data()) != kRecordMagic) return RecordCheck::kBad;
  if (bytes.size() < kRecordHeaderSize) return RecordCheck::kIncomplete;
  // The header's own checksum first: a damaged length is never trusted.
  if (GetU32(bytes.data() + 20) != HeaderCrc(bytes.data())) {
    return RecordCheck::kBad;
  }
  const uint32_t length = GetU32(bytes.data() + 4);
  if (length > kMaxRecordPayload) return RecordCheck::kBad;
  if (bytes.size() - kRecordHeaderSize < length) return RecordCheck::kIncomplete;
  const uint64_t id = GetU64(bytes.data() + 8);
  const std::string_view payload = bytes.substr(kRecordHeaderSize, length);
  if (GetU32(bytes.data() + 16) != PayloadCrc(payload)) {
    return RecordCheck::kBad;
  }
  record->id = id;
  record->payload = payload;
  record->size = kRecordHeaderSize + length;
  return RecordCheck::kGood;
}

size_t FindRecordMagic(std::string_view bytes, size_t from) {
  for (size_t i = from; i + 4 <= bytes.size(); ++i) {
    if (bytes[i] == 'P' && GetU32(bytes.data() + i) == kRecordMagic) return i;
  }
  return bytes.size();
}

}  // namespace pydest::internal
