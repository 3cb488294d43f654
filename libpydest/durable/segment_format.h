// The bytes of a disk-buffer segment file (docs/disk-buffer.md, "On-disk
// format"): a 32-byte header, then records, each a 24-byte header and its
// payload. Every record carries its own magic, length, id and CRC-32C, so a
// reader can check each one alone and, after damage, find the next good one
// by its magic. No I/O here: encoding and checking bytes only.
//
// Thread-safety: pure functions.
#ifndef LIBPYDEST_DURABLE_SEGMENT_FORMAT_H_
#define LIBPYDEST_DURABLE_SEGMENT_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pydest::internal {

inline constexpr size_t kSegmentHeaderSize = 32;
inline constexpr size_t kRecordHeaderSize = 24;
// A record's payload is at most this long: a length field above it is
// damage, not a record (and never a reason to allocate that much).
inline constexpr uint32_t kMaxRecordPayload = 64u << 20;
// Bumped when the layout changes; a reader refuses files of other versions.
inline constexpr uint32_t kSegmentFormatVersion = 1;

// The header of a segment whose first record will have `first_id`.
std::string EncodeSegmentHeader(uint64_t first_id);
// False when `bytes` (at least kSegmentHeaderSize long) is not a segment
// header of this version, or its checksum fails.
bool ParseSegmentHeader(std::string_view bytes, uint64_t* first_id,
                        uint32_t* version);

// The checksum of a record's payload: the costly part of framing a record,
// which a writer can compute before it knows the record's id.
uint32_t PayloadCrc(std::string_view payload);
// Appends one record (header and payload) to `out`; `payload_crc` is
// PayloadCrc(payload).
void AppendRecord(uint64_t id, std::string_view payload, uint32_t payload_crc,
                  std::string* out);
inline void AppendRecord(uint64_t id, std::string_view payload,
                         std::string* out) {
  AppendRecord(id, payload, PayloadCrc(payload), out);
}

// What the bytes at the start of `bytes` are.
enum class RecordCheck : uint8_t {
  kGood,       // a whole record whose checksum matches
  kIncomplete, // the start of a record that may still be written (or torn)
  kBad,        // not a record: wrong magic, length or checksum
};
struct RecordView {
  uint64_t id = 0;
  std::string_view payload;
  size_t size = 0;  // header + payload
};
RecordCheck CheckRecord(std::string_view bytes, RecordView* record);

// The offset of the next place in `bytes` after `from` where a record's
// magic starts, or bytes.size() when there is none: how a reader skips a
// damaged stretch.
size_t FindRecordMagic(std::string_view bytes, size_t from);

}  // namespace pydest::internal

#endif  // LIBPYDEST_DURABLE_SEGMENT_FORMAT_H_
