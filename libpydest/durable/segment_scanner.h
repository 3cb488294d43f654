// SegmentScanner: reads the records of one segment file in order through
// pread, in chunks, checking each record's checksum. Damage (a stretch of
// bytes that is not a record: bit flips, zeroed pages, garbage) is skipped
// by looking for the next record magic and reported, with whether a good
// record follows it and where its non-zero bytes end, so that the caller
// can tell free space (zeros) and a write a crash cut short (a torn record,
// then nothing good) from damage; a record cut short at the file's end is
// reported as the tail. Used for recovery (one pass over every
// segment at open) and for reading back the records the memory queue did
// not keep.
//
// Thread-safety: one scanner per thread; the file may grow meanwhile (a
// scanner only reads up to the end it is given).
#ifndef LIBPYDEST_DURABLE_SEGMENT_SCANNER_H_
#define LIBPYDEST_DURABLE_SEGMENT_SCANNER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "libpydest/durable/segment_format.h"

namespace pydest::internal {

class SegmentScanner {
 public:
  // Scans `fd` from `offset` up to `end` (both byte offsets in the file).
  SegmentScanner(int fd, uint64_t offset, uint64_t end);

  enum class Step : uint8_t {
    kRecord,   // record() is the next good record, at record_offset()
    kDamage,   // bytes [damage_begin(), damage_end()) were not records
    kTail,     // [offset(), end) is a record cut short: nothing good after
    kEnd,      // nothing left
    kIoError,  // status() says what
  };
  Step Next();

  const RecordView& record() const { return record_; }
  uint64_t record_offset() const { return record_offset_; }
  uint64_t damage_begin() const { return damage_begin_; }
  uint64_t damage_end() const { return damage_end_; }
  // Whether no good record follows the damaged stretch: it runs to the end.
  bool damage_reaches_end() const { return damage_reaches_end_; }
  // For a stretch that reaches the end: just past its last non-zero byte
  // (damage_begin() when it is all zeros). Zeros after a record are what
  // was never written there (fill-ahead, prealloc), not damage.
  uint64_t damage_data_end() const { return damage_data_end_; }
  // Whether the damaged stretch was all zero bytes running to the end: the
  // unused part of a preallocated or filled-ahead segment, not damage.
  bool damage_is_free_space() const {
    return damage_reaches_end_ && damage_data_end_ == damage_begin_;
  }
  // Where the next step starts (after kTail: where the tail starts).
  uint64_t offset() const { return offset_; }
  const absl::Status& status() const { return status_; }

 private:
  // Makes buf_ hold at least `want` bytes from offset_ (fewer at the end).
  bool Fill(size_t want);
  // The next offset at or after `from` where a good record starts, or end_.
  uint64_t NextGoodRecord(uint64_t from);
  // Just past the last non-zero byte in [begin, end), or begin when there
  // is none (read from the end backwards).
  uint64_t DataEnd(uint64_t begin, uint64_t end);

  int fd_;
  uint64_t offset_;
  uint64_t end_;
  std::string buf_;       // bytes from buf_offset_
  uint64_t buf_offset_ = 0;
  RecordView record_;
  uint64_t record_offset_ = 0;
  uint64_t damage_begin_ = 0;
  uint64_t damage_end_ = 0;
  bool damage_reaches_end_ = false;
  uint64_t damage_data_end_ = 0;
  absl::Status status_;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DURABLE_SEGMENT_SCANNER_H_
