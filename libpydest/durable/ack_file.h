// AckFile: the two numbers a disk buffer keeps beside its segments — the
// id up to which every record is done (released: delivered or dropped with
// an outcome) and the highest id handed to a worker. After a crash, records
// above the first are delivered again; those at or below the second may
// have been delivered already (counted as possible duplicates).
//
// Two 32-byte slots, written in turn, each with a generation and a
// CRC-32C: a write torn by a crash spoils only the slot being written, and
// the other still holds the previous state.
//
// Thread-safety: none; the owner serialises calls.
#ifndef LIBPYDEST_DURABLE_ACK_FILE_H_
#define LIBPYDEST_DURABLE_ACK_FILE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace pydest::internal {

struct AckState {
  uint64_t released = 0;    // every id <= this is done
  uint64_t dispatched = 0;  // the highest id handed to a worker
};

class AckFile {
 public:
  // Opens (creating) the file and reads the newest good slot; a missing,
  // empty or wholly damaged file reads as {0, 0}.
  static absl::StatusOr<std::unique_ptr<AckFile>> Open(const std::string& path,
                                                       AckState* state);
  ~AckFile();
  AckFile(const AckFile&) = delete;
  AckFile& operator=(const AckFile&) = delete;

  // Writes `state` to the older slot (no fsync: losing it to a power cut
  // only means more records delivered again).
  absl::Status Write(const AckState& state);

 private:
  AckFile(int fd, uint64_t generation) : fd_(fd), generation_(generation) {}
  int fd_;
  uint64_t generation_;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DURABLE_ACK_FILE_H_
