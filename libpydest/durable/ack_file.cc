#include "libpydest/durable/ack_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libpydest/durable/crc32c.h"

namespace pydest::internal {
namespace {

// A slot: generation u64, released u64, dispatched u64, reserved u32,
// crc u32 over the first 28 bytes; little-endian.
constexpr size_t kSlot = 32;

void PutU64(uint64_t v, char* out) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(v >> (8 * i));
}
uint64_t GetU64(const char* in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v |= uint64_t{static_cast<unsigned char>(in[i])} << (8 * i);
  }
  return v;
}

bool ReadSlot(const char* slot, uint64_t* generation, AckState* state) {
  const uint32_t crc = Crc32c(0, slot, 28);
  uint32_t stored = 0;
  for (int i = 0; i < 4; ++i) {
    stored |= uint32_t{static_cast<unsigned char>(slot[28 + i])} << (8 * i);
  }
  if (crc != stored) return false;
  *generation = GetU64(slot);
  state->released = GetU64(slot + 8);
  state->dispatched = GetU64(slot + 16);
  return *generation != 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<AckFile>> AckFile::Open(const std::string& path,
                                                       AckState* state) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("disk buffer ", path, ": ", std::strerror(errno)));
  }
  char slots[2 * kSlot] = {};
  const ssize_t n = ::pread(fd, slots, sizeof(slots), 0);
  uint64_t best = 0;
  *state = AckState{};
  for (int i = 0; i < 2; ++i) {
    if (n < static_cast<ssize_t>((i + 1) * kSlot)) break;
    uint64_t generation = 0;
    AckState s;
    if (ReadSlot(slots + i * kSlot, &generation, &s) && generation > best) {
      best = generation;
      *state = s;
    }
  }
  return std::unique_ptr<AckFile>(new AckFile(fd, best));
}

AckFile::~AckFile() { ::close(fd_); }

absl::Status AckFile::Write(const AckState& state) {
  ++generation_;
  char slot[kSlot] = {};
  PutU64(generation_, slot);
  PutU64(state.released, slot + 8);
  PutU64(state.dispatched, slot + 16);
  const uint32_t crc = Crc32c(0, slot, 28);
  for (int i = 0; i < 4; ++i) slot[28 + i] = static_cast<char>(crc >> (8 * i));
  const off_t at = static_cast<off_t>((generation_ % 2) * kSlot);
  if (::pwrite(fd_, slot, kSlot, at) != static_cast<ssize_t>(kSlot)) {
    return absl::InternalError(
        absl::StrCat("writing the disk buffer's ack file: ",
                     std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace pydest::internal
