// CRC-32C (Castagnoli), the checksum of every disk-buffer record: it finds
// bit flips, zeroed pages and torn writes in a record. The polynomial
// iSCSI, ext4 and LevelDB use, so external tools can check the files.
//
// Thread-safety: pure functions.
#ifndef LIBPYDEST_DURABLE_CRC32C_H_
#define LIBPYDEST_DURABLE_CRC32C_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pydest::internal {

// Continues a CRC over more bytes: Crc32c(Crc32c(0, a), b) == Crc32c(0, ab).
uint32_t Crc32c(uint32_t crc, const void* data, size_t size);
inline uint32_t Crc32c(uint32_t crc, std::string_view bytes) {
  return Crc32c(crc, bytes.data(), bytes.size());
}

}  // namespace pydest::internal

#endif  // LIBPYDEST_DURABLE_CRC32C_H_
