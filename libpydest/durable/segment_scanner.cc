#include "libpydest/durable/segment_scanner.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace pydest::internal {
namespace {

// Reads this much at a time: large enough that a read-back of small
// records costs one pread per few thousand of them.
constexpr size_t kChunk = 1 << 20;

}  // namespace

SegmentScanner::SegmentScanner(int fd, uint64_t offset, uint64_t end)
    : fd_(fd), offset_(offset), end_(end) {}

bool SegmentScanner::Fill(size_t want) {
  const uint64_t available = end_ - offset_;
  want = static_cast<size_t>(std::min<uint64_t>(want, available));
  if (offset_ >= buf_offset_ && offset_ + want <= buf_offset_ + buf_.size()) {
    return true;
  }
  const size_t size =
      static_cast<size_t>(std::min<uint64_t>(std::max(want, kChunk), available));
  buf_.resize(size);
  size_t got = 0;
  while (got < size) {
    const ssize_t n = ::pread(fd_, buf_.data() + got, size - got,
                              static_cast<off_t>(offset_ + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status_ = absl::InternalError(
          absl::StrCat("reading a disk-buffer segment: ", std::strerror(errno)));
      return false;
    }
    if (n == 0) break;  // shorter than its known end: read what is there
    got += static_cast<size_t>(n);
  }
  buf_.resize(got);
  buf_offset_ = offset_;
  // A short read is the file's real end (shorter than the end given).
  if (got < size) end_ = std::min(end_, offset_ + got);
  return true;
}

uint64_t SegmentScanner::NextGoodRecord(uint64_t from) {
  uint64_t at = from;
  while (at < end_) {
    offset_ = at;
    if (!Fill(kRecordHeaderSize)) return end_;
    const std::string_view view(buf_.data() + (offset_ - buf_offset_),
                                buf_.size() - (offset_ - buf_offset_));
    const size_t found = FindRecordMagic(view, 0);
    if (found >= view.size()) {
      // Keep the last three bytes: a magic may straddle the chunks.
      at = offset_ + std::max<size_t>(view.size(), 4) - 3;
      if (view.size() < 4) return end_;
      continue;
    }
    offset_ += found;
    RecordView r;
    if (!Fill(kRecordHeaderSize)) return end_;
    std::string_view head(buf_.data() + (offset_ - buf_offset_),
                          buf_.size() - (offset_ - buf_offset_));
    RecordCheck check = CheckRecord(head, &r);
    if (check == RecordCheck::kIncomplete && head.size() >= kRecordHeaderSize) {
      // Read the whole record it claims to be, then judge it.
      uint32_t length = 0;
      for (int i = 0; i < 4; ++i) {
        length |= uint32_t{static_cast<unsigned char>(head[4 + i])} << (8 * i);
      }
      if (!Fill(kRecordHeaderSize + length)) return end_;
      head = std::string_view(buf_.data() + (offset_ - buf_offset_),
                              buf_.size() - (offset_ - buf_offset_));
      check = CheckRecord(head, &r);
    }
    if (check == RecordCheck::kGood) return offset_;
    at = offset_ + 1;
  }
  return end_;
}

uint64_t SegmentScanner::DataEnd(uint64_t begin, uint64_t end) {
  char block[64 * 1024];
  for (uint64_t at = end; at > begin;) {
    const size_t n =
        static_cast<size_t>(std::min<uint64_t>(sizeof(block), at - begin));
    const uint64_t from = at - n;
    size_t got = 0;
    while (got < n) {
      const ssize_t r = ::pread(fd_, block + got, n - got,
                                static_cast<off_t>(from + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return end;  // unreadable: all of it counts as data
      got += static_cast<size_t>(r);
    }
    for (size_t i = n; i > 0; --i) {
      if (block[i - 1] != 0) return from + i;
    }
    at = from;
  }
  return begin;
}

SegmentScanner::Step SegmentScanner::Next() {
  if (!status_.ok()) return Step::kIoError;
  if (offset_ >= end_) return Step::kEnd;
  if (!Fill(kRecordHeaderSize)) return Step::kIoError;
  if (offset_ >= end_) return Step::kEnd;
  std::string_view view(buf_.data() + (offset_ - buf_offset_),
                        buf_.size() - (offset_ - buf_offset_));
  RecordCheck check = CheckRecord(view, &record_);
  if (check == RecordCheck::kIncomplete && view.size() >= kRecordHeaderSize &&
      offset_ + view.size() < end_) {
    // The chunk ends inside the record: read all of it.
    uint32_t length = 0;
    for (int i = 0; i < 4; ++i) {
      length |= uint32_t{static_cast<unsigned char>(view[4 + i])} << (8 * i);
    }
    if (!Fill(kRecordHeaderSize + length)) return Step::kIoError;
    view = std::string_view(buf_.data() + (offset_ - buf_offset_),
                            buf_.size() - (offset_ - buf_offset_));
    check = CheckRecord(view, &record_);
  }
  if (check == RecordCheck::kGood) {
    record_offset_ = offset_;
    offset_ += record_.size;
    return Step::kRecord;
  }
  const uint64_t begin = offset_;
  const uint64_t next = NextGoodRecord(begin + 1);
  if (!status_.ok()) return Step::kIoError;
  if (check == RecordCheck::kIncomplete && next >= end_) {
    offset_ = begin;  // a record cut short, and nothing good after it
    return Step::kTail;
  }
  damage_begin_ = begin;
  damage_end_ = next;
  damage_reaches_end_ = next >= end_;
  damage_data_end_ = damage_reaches_end_ ? DataEnd(begin, next) : next;
  offset_ = next;
  return Step::kDamage;
}

}  // namespace pydest::internal
