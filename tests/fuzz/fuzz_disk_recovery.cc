// Fuzzes a disk buffer's recovery (libpydest/durable/disk_buffer.h): the
// input is written as a segment file, then the buffer is opened and read
// back. Whatever the bytes, Open and Read end without a crash, every record
// read is one whose checksums hold, ids only go up, and the buffer takes
// new records afterwards: as a host's recovery does (DurableStore), copies
// of every record under new ids (small segments: in a new one), the
// originals released, and the copies read back whole from the first one.
//
// Input: the segment file's bytes (a corpus file usually starts with a
// valid segment header and records, which the fuzzer then damages).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "libpydest/durable/disk_buffer.h"
#include "libpydest/durable/segment_format.h"
#include "libpydest/message/message_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  static const fs::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    return fs::path(tmp != nullptr ? tmp : "/tmp") /
           ("fuzz_disk_recovery." + std::to_string(::getpid()));
  }();
  // Removed when the process exits normally (the end of a run or of the
  // corpus replay), not left behind in $TMPDIR by every run.
  static const struct RemoveAtExit {
    ~RemoveAtExit() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } remove_at_exit;
  fs::remove_all(dir);
  fs::create_directories(dir);
  pydest::internal::DiskBufferOptions options;
  options.dir = dir.string();
  options.name = "fuzz";
  options.sync = false;  // the fuzzer's speed; syncing changes no logic
  options.segment_bytes = 256;  // the copies below start a new segment
  {
    std::ofstream seg(dir / "fuzz.00000000000000000001.pdq", std::ios::binary);
    seg.write(reinterpret_cast<const char*>(data),
              static_cast<std::streamsize>(size));
  }
  pydest::internal::DiskBufferRecovery found;
  auto buffer = pydest::internal::DiskBuffer::Open(options, &found);
  if (!buffer.ok()) return 0;  // e.g. a header of another format version
  std::vector<pydest::internal::StoredRecord> records;
  uint64_t next = 0;
  for (;;) {
    const size_t before = records.size();
    absl::StatusOr<size_t> n = (*buffer)->Read(next, 64, &records);
    if (!n.ok()) __builtin_trap();
    if (*n == 0) break;
    next = records.back().id + 1;
    if (records.size() != before + *n) __builtin_trap();
  }
  uint64_t prev = 0;
  for (const auto& r : records) {
    if (r.id <= prev && prev != 0) __builtin_trap();
    prev = r.id;
    // Payloads are opaque to the buffer; the decoder must cope with any.
    (void)pydest::internal::DecodeMessage(r.payload);
  }
  // Recovery counted exactly the records a reader gets back.
  if (records.size() != found.records) __builtin_trap();
  // Ids of the copies (and of one new record after them) must not wrap.
  if (found.last_id > UINT64_MAX - records.size() - 2) return 0;
  const uint64_t first_copy = found.last_id + 1;
  std::string framed;
  uint64_t id = first_copy;
  for (const auto& r : records) {
    pydest::internal::AppendRecord(id++, r.payload, &framed);
  }
  pydest::internal::AppendRecord(id, "after", &framed);
  if (!(*buffer)->Append(framed, first_copy, id, /*over_limit_ok=*/true).ok()) {
    __builtin_trap();
  }
  if (!(*buffer)->Release(first_copy - 1).ok()) __builtin_trap();
  std::vector<pydest::internal::StoredRecord> copies;
  for (uint64_t from = first_copy;;) {
    absl::StatusOr<size_t> n = (*buffer)->Read(from, 64, &copies);
    if (!n.ok()) __builtin_trap();
    if (*n == 0) break;
    from = copies.back().id + 1;
  }
  if (copies.size() != records.size() + 1) __builtin_trap();
  for (size_t i = 0; i < records.size(); ++i) {
    if (copies[i].id != first_copy + i ||
        copies[i].payload != records[i].payload) {
      __builtin_trap();
    }
  }
  return 0;
}
