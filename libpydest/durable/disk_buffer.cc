#include "libpydest/durable/disk_buffer.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libpydest/durable/crc32c.h"
#include "libpydest/durable/segment_format.h"
#include "libpydest/durable/segment_scanner.h"

namespace pydest::internal {

struct DiskBuffer::Segment {
  ~Segment() {
    if (fd >= 0) ::close(fd);
  }
  uint64_t first_id = 0;
  std::string path;
  int fd = -1;
  uint64_t end = 0;        // bytes of header and whole records
  uint64_t allocated = 0;  // size on disk (prealloc: at least the full size)
  // Below it every block was written, by records or by fill-ahead's zeros
  // (synced): a record written there changes neither size nor extents.
  uint64_t filled = 0;
  // The disk refused fill-ahead's zeros: this segment grows by appends.
  bool fill_refused = false;
  uint64_t synced_end = 0;
  uint64_t last_id = 0;    // 0 while it holds no record
  // Released and deleted (under mu_): a reader still holding it must look
  // for its next record in the segments that are left.
  bool released = false;
};

namespace {

constexpr const char* kSegmentSuffix = ".pdq";
constexpr uint64_t kMiB = uint64_t{1} << 20;
// Appends this large are not filled ahead: fill-ahead saves one size
// commit per sync (about 200 µs on ext4) and costs writing the zeros
// (about 0.8 µs per KiB), so past about 240 KiB per sync it loses (a
// recovery's copy, 4096 records per append, was 25% slower with it).
constexpr uint64_t kLargestAppendFilledAhead = 128 * 1024;

std::string Errno(int err) { return std::strerror(err); }

// The persist name as a file name: safe characters kept, anything else
// '_', and then a checksum of the real name so two names that map to the
// same text still get different files.
std::string FileNameOf(const std::string& name) {
  std::string out;
  bool changed = name.empty();
  for (char c : name) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
        c == '_' || c == '.') {
      out.push_back(c);
    } else {
      out.push_back('_');
      changed = true;
    }
  }
  if (out.size() > 100) {
    out.resize(100);
    changed = true;
  }
  if (changed) absl::StrAppendFormat(&out, "-%08x", Crc32c(0, name));
  return out;
}

absl::Status WriteAll(int fd, std::string_view bytes, uint64_t at,
                      const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done,
                               static_cast<off_t>(at + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      // No room: the disk, a quota, or the process's file size limit.
      if (err == ENOSPC || err == EDQUOT || err == EFBIG) {
        return absl::ResourceExhaustedError(
            absl::StrCat("disk full writing ", path, ": ", Errno(err)));
      }
      return absl::InternalError(
          absl::StrCat("writing ", path, ": ", Errno(err)));
    }
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

// Writes zeros over [from, to).
absl::Status WriteZeros(int fd, uint64_t from, uint64_t to,
                        const std::string& path) {
  static const std::string* const kZeros = new std::string(64 * 1024, '\0');
  while (from < to) {
    const uint64_t n = std::min<uint64_t>(kZeros->size(), to - from);
    if (absl::Status s =
            WriteAll(fd, std::string_view(*kZeros).substr(0, n), from, path);
        !s.ok()) {
      return s;
    }
    from += n;
  }
  return absl::OkStatus();
}

absl::Status SyncFolder(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return absl::InternalError(absl::StrCat(dir, ": ", Errno(errno)));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return absl::InternalError(absl::StrCat(dir, ": ", Errno(err)));
  return absl::OkStatus();
}

}  // namespace

DiskBuffer::DiskBuffer(const DiskBufferOptions& options, std::string base)
    : options_(options), base_(std::move(base)) {
  if (options_.segment_bytes == 0) {
    options_.segment_bytes =
        std::clamp<uint64_t>(options_.max_bytes / 8, 64 * 1024, 64 * kMiB);
  }
}

DiskBuffer::~DiskBuffer() {
  if (!opened_) return;  // Open failed: leave the files as they were
  // What a caller appended without Commit still reaches the disk's cache;
  // the ack file gets the last released id.
  Commit().IgnoreError();
  absl::MutexLock lock(&mu_);
  if (!segments_.empty() && !options_.prealloc) {
    // Fill-ahead's zeros go back: a stopped buffer takes the space of its
    // records only. (Cut or not, the next Open reads them as free space.)
    Segment& last = *segments_.back();
    if (last.allocated > last.end &&
        ::ftruncate(last.fd, static_cast<off_t>(last.end)) == 0) {
      bytes_ -= std::min(bytes_, last.allocated - last.end);
      last.allocated = last.filled = last.end;
    }
  }
  WriteAck().IgnoreError();
}

std::string DiskBuffer::SegmentPath(uint64_t first_id) const {
  return absl::StrFormat("%s.%020u%s", base_, first_id, kSegmentSuffix);
}

absl::StatusOr<std::unique_ptr<DiskBuffer>> DiskBuffer::Open(
    const DiskBufferOptions& options, DiskBufferRecovery* found) {
  *found = DiskBufferRecovery{};
  if (options.dir.empty()) {
    return absl::InvalidArgumentError("disk-buffer: dir() is empty");
  }
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) {
    return absl::PermissionDeniedError(absl::StrCat(
        "disk-buffer dir(\"", options.dir, "\"): ", ec.message()));
  }
  std::unique_ptr<DiskBuffer> buffer(new DiskBuffer(
      options, options.dir + "/" + FileNameOf(options.name)));
  absl::StatusOr<std::unique_ptr<BufferLock>> lock =
      BufferLock::Acquire(buffer->base_ + ".lock");
  if (!lock.ok()) return lock.status();
  buffer->lock_ = std::move(*lock);
  AckState ack;
  absl::StatusOr<std::unique_ptr<AckFile>> ack_file =
      AckFile::Open(buffer->base_ + ".ack", &ack);
  if (!ack_file.ok()) return ack_file.status();
  buffer->ack_file_ = std::move(*ack_file);
  {
    absl::MutexLock l(&buffer->mu_);
    buffer->ack_ = ack;
  }
  if (absl::Status s = buffer->Recover(found); !s.ok()) return s;
  buffer->opened_ = true;
  return buffer;
}

absl::Status DiskBuffer::Recover(DiskBufferRecovery* found) {
  // The segments, by the first id in their names.
  const std::string dir = options_.dir;
  const std::string prefix =
      std::filesystem::path(base_).filename().string() + ".";
  std::vector<std::pair<uint64_t, std::string>> files;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("disk-buffer dir(\"", dir, "\"): ", Errno(errno)));
  }
  while (dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    const std::string suffix = kSegmentSuffix;
    if (name.size() != prefix.size() + 20 + suffix.size() ||
        name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    uint64_t first = 0;
    if (absl::SimpleAtoi(name.substr(prefix.size(), 20), &first)) {
      files.emplace_back(first, dir + "/" + std::string(e->d_name));
    }
  }
  ::closedir(d);
  std::sort(files.begin(), files.end());

  AckState ack;
  {
    absl::MutexLock lock(&mu_);
    ack = ack_;
  }
  uint64_t prev_id = 0;
  std::vector<std::shared_ptr<Segment>> kept;
  for (size_t i = 0; i < files.size(); ++i) {
    auto segment = std::make_shared<Segment>();
    segment->first_id = files[i].first;
    segment->path = files[i].second;
    segment->fd = ::open(segment->path.c_str(), O_RDWR | O_CLOEXEC);
    if (segment->fd < 0) {
      return absl::PermissionDeniedError(
          absl::StrCat("disk buffer ", segment->path, ": ", Errno(errno)));
    }
    bool damaged = false;
    const bool is_last = i + 1 == files.size();
    if (absl::Status s =
            RecoverSegment(segment, is_last, &prev_id, found, &damaged);
        !s.ok()) {
      return s;
    }
    if (segment->end == 0) {
      // Created, and the run stopped before its header was whole: it holds
      // no record, and appending to it would put records where the header
      // belongs (a reader starts after it). The next Append starts a
      // whole one.
      ::unlink(segment->path.c_str());
      continue;
    }
    const bool has_unreleased = segment->last_id > ack.released;
    if (damaged) {
      if (has_unreleased) {
        if (absl::Status s = RewriteDamaged(segment, found); !s.ok()) return s;
      } else {
        // Nothing in it is needed any more: only set it aside.
        const std::string aside = segment->path + ".damaged";
        ::rename(segment->path.c_str(), aside.c_str());
        found->set_aside.push_back(aside);
        continue;
      }
    }
    if (!has_unreleased && !is_last) {
      ::unlink(segment->path.c_str());  // all done: give the space back
      continue;
    }
    segment->synced_end = segment->end;
    // Zeros past the end may be prealloc's unwritten extents: only the
    // records are known to be written.
    segment->filled = segment->end;
    kept.push_back(std::move(segment));
  }
  if (options_.sync && !found->set_aside.empty()) {
    if (absl::Status s = SyncFolder(dir); !s.ok()) return s;
  }
  // Ids go on above every id this buffer ever held, also when every
  // segment was released and deleted (the ack file still remembers).
  prev_id = std::max(prev_id, ack.released);
  found->last_id = prev_id;
  absl::MutexLock lock(&mu_);
  segments_ = std::move(kept);
  for (const auto& s : segments_) bytes_ += s->allocated;
  last_id_ = prev_id;
  return absl::OkStatus();
}

absl::Status DiskBuffer::RecoverSegment(const std::shared_ptr<Segment>& segment,
                                        bool is_last, uint64_t* prev_id,
                                        DiskBufferRecovery* found,
                                        bool* damaged) {
  struct stat st;
  if (::fstat(segment->fd, &st) != 0) {
    return absl::InternalError(
        absl::StrCat("disk buffer ", segment->path, ": ", Errno(errno)));
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  segment->allocated = size;
  char header[kSegmentHeaderSize];
  uint64_t first_id = 0;
  uint32_t version = 0;
  const ssize_t got = ::pread(segment->fd, header, sizeof(header), 0);
  const bool header_bad =
      got != static_cast<ssize_t>(sizeof(header)) ||
      !ParseSegmentHeader(std::string_view(header, sizeof(header)), &first_id,
                          &version);
  if (header_bad && size < kSegmentHeaderSize && is_last) {
    // Created, and the crash came before its header was whole.
    found->torn_tail_bytes += size;
    segment->end = 0;
    return absl::OkStatus();
  }
  if (header_bad) {
    // Judged after the records: fill-ahead's zeros may follow a torn one.
  } else if (version != kSegmentFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "disk buffer ", segment->path, " is in format version ", version,
        "; this build reads version ", kSegmentFormatVersion));
  }
  AckState ack;
  {
    absl::MutexLock lock(&mu_);
    ack = ack_;
  }
  segment->end = kSegmentHeaderSize;
  uint64_t torn_end = 0;  // past the non-zero bytes of a torn tail
  SegmentScanner scan(segment->fd, kSegmentHeaderSize, size);
  for (;;) {
    const SegmentScanner::Step step = scan.Next();
    if (step == SegmentScanner::Step::kIoError) return scan.status();
    if (step == SegmentScanner::Step::kEnd) break;
    if (step == SegmentScanner::Step::kRecord) {
      const uint64_t id = scan.record().id;
      if (id <= *prev_id) {
        // Out of order: not what this buffer wrote there.
        ++found->damaged_regions;
        found->damaged_bytes += scan.record().size;
        *damaged = true;
        continue;
      }
      *prev_id = id;
      segment->last_id = id;
      segment->end = scan.offset();
      if (id > ack.released) {
        if (found->records == 0) found->first_id = id;
        ++found->records;
        if (id <= ack.dispatched) ++found->possible_duplicates;
      }
      continue;
    }
    if (step == SegmentScanner::Step::kDamage) {
      // Zeros never written over: fill-ahead's or prealloc's room.
      if (scan.damage_is_free_space()) break;
      if (is_last && scan.damage_reaches_end()) {
        // A record cut short by a crash over zeros written ahead of it
        // (or by a power cut that kept the file's size, not its data):
        // nothing good follows it, so it was the last write.
        found->torn_tail_bytes += scan.damage_data_end() - scan.damage_begin();
        torn_end = scan.damage_data_end();
        break;
      }
      ++found->damaged_regions;
      found->damaged_bytes += scan.damage_end() - scan.damage_begin();
      *damaged = true;
      continue;
    }
    // kTail: a record cut short with nothing good after it.
    if (is_last) {
      found->torn_tail_bytes += size - scan.offset();
      torn_end = size;
    } else {
      ++found->damaged_regions;
      found->damaged_bytes += size - scan.offset();
      *damaged = true;
    }
    break;
  }
  if (header_bad) {
    // Torn only when it is the start of the very header this file was
    // created with and only zeros follow (a power cut kept fill-ahead's
    // size, not the header's page); anything else is damage to set aside.
    const std::string expected = EncodeSegmentHeader(segment->first_id);
    uint64_t written = 0;
    for (ssize_t i = 0; i < got; ++i) {
      if (header[i] != 0) written = static_cast<uint64_t>(i) + 1;
    }
    if (is_last && segment->last_id == 0 && !*damaged && torn_end == 0 &&
        expected.compare(0, written, header, written) == 0) {
      found->torn_tail_bytes += written;
      segment->end = 0;
      return absl::OkStatus();
    }
    ++found->damaged_regions;
    found->damaged_bytes += std::min<uint64_t>(size, kSegmentHeaderSize);
    *damaged = true;
  }
  if (is_last && !*damaged && segment->end < size) {
    if (!options_.prealloc) {
      // Cut the torn tail (and fill-ahead's zeros) so appends continue
      // right after the last record.
      if (::ftruncate(segment->fd, static_cast<off_t>(segment->end)) != 0) {
        return absl::InternalError(
            absl::StrCat("disk buffer ", segment->path, ": ", Errno(errno)));
      }
      segment->allocated = segment->end;
    } else if (torn_end > segment->end) {
      // The file keeps its size: zero the torn bytes, or the next records
      // would be followed by them.
      if (absl::Status s =
              WriteZeros(segment->fd, segment->end, torn_end, segment->path);
          !s.ok()) {
        return s;
      }
    }
  }
  if (segment->end < kSegmentHeaderSize) segment->end = kSegmentHeaderSize;
  return absl::OkStatus();
}

absl::Status DiskBuffer::RewriteDamaged(const std::shared_ptr<Segment>& segment,
                                        DiskBufferRecovery* found) {
  // The good records, in order, into a fresh file of the same name; the
  // damaged one is kept beside it for inspection.
  const std::string fresh = segment->path + ".rewrite";
  const int out = ::open(fresh.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    return absl::InternalError(absl::StrCat("disk buffer ", fresh, ": ", Errno(errno)));
  }
  std::string bytes = EncodeSegmentHeader(segment->first_id);
  struct stat st;
  ::fstat(segment->fd, &st);
  SegmentScanner scan(segment->fd, kSegmentHeaderSize,
                      static_cast<uint64_t>(st.st_size));
  uint64_t prev = segment->first_id > 0 ? segment->first_id - 1 : 0;
  for (;;) {
    const SegmentScanner::Step step = scan.Next();
    if (step == SegmentScanner::Step::kIoError) {
      ::close(out);
      return scan.status();
    }
    if (step == SegmentScanner::Step::kEnd || step == SegmentScanner::Step::kTail) break;
    if (step != SegmentScanner::Step::kRecord) continue;
    if (scan.record().id <= prev || scan.record().id > segment->last_id) continue;
    prev = scan.record().id;
    AppendRecord(scan.record().id, scan.record().payload, &bytes);
  }
  absl::Status written = WriteAll(out, bytes, 0, fresh);
  if (written.ok() && ::fdatasync(out) != 0) {
    written = absl::InternalError(absl::StrCat(fresh, ": ", Errno(errno)));
  }
  if (!written.ok()) {
    ::close(out);
    ::unlink(fresh.c_str());
    return written;
  }
  std::string aside = segment->path + ".damaged";
  for (int n = 1; ::access(aside.c_str(), F_OK) == 0; ++n) {
    aside = absl::StrCat(segment->path, ".damaged.", n);
  }
  if (::rename(segment->path.c_str(), aside.c_str()) != 0 ||
      ::rename(fresh.c_str(), segment->path.c_str()) != 0) {
    ::close(out);
    return absl::InternalError(absl::StrCat(
        "disk buffer: setting aside ", segment->path, ": ", Errno(errno)));
  }
  found->set_aside.push_back(aside);
  ::close(segment->fd);
  segment->fd = out;
  segment->end = bytes.size();
  segment->allocated = bytes.size();
  segment->filled = bytes.size();
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<DiskBuffer::Segment>> DiskBuffer::CreateSegment(
    uint64_t first_id) {
  auto segment = std::make_shared<Segment>();
  segment->first_id = first_id;
  segment->path = SegmentPath(first_id);
  segment->fd = ::open(segment->path.c_str(),
                       O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (segment->fd < 0) {
    return absl::InternalError(
        absl::StrCat("disk buffer ", segment->path, ": ", Errno(errno)));
  }
  if (options_.prealloc) {
    const int err = ::posix_fallocate(segment->fd, 0,
                                      static_cast<off_t>(options_.segment_bytes));
    if (err != 0) {
      ::unlink(segment->path.c_str());
      if (err == ENOSPC || err == EDQUOT) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "disk full preallocating ", segment->path, ": ", Errno(err)));
      }
      return absl::InternalError(
          absl::StrCat("preallocating ", segment->path, ": ", Errno(err)));
    }
    segment->allocated = options_.segment_bytes;
  }
  const std::string header = EncodeSegmentHeader(first_id);
  if (absl::Status s = WriteAll(segment->fd, header, 0, segment->path);
      !s.ok()) {
    ::unlink(segment->path.c_str());
    return s;
  }
  segment->end = header.size();
  segment->filled = segment->end;
  segment->allocated = std::max(segment->allocated, segment->end);
  if (options_.sync) {
    // The new file's name must survive a power cut as well as its bytes.
    if (absl::Status s = SyncFolder(options_.dir); !s.ok()) return s;
  }
  return segment;
}

absl::Status DiskBuffer::Append(std::string_view framed, uint64_t first_id,
                                uint64_t last_id, bool over_limit_ok) {
  absl::MutexLock lock(&mu_);
  std::shared_ptr<Segment> segment =
      segments_.empty() ? nullptr : segments_.back();
  bool roll = segment == nullptr ||
              (segment->last_id != 0 &&
               segment->end + framed.size() > options_.segment_bytes);
  // The segment appended to holds only released records: when it is full,
  // or when what it takes would refuse this append, it goes (a small
  // buffer whose last segment was all delivered must not stay full).
  if (segment != nullptr && segment->last_id != 0 &&
      segment->last_id <= ack_.released &&
      (roll || (!over_limit_ok &&
                bytes_ + (segment->end + framed.size() > segment->allocated
                              ? segment->end + framed.size() -
                                    segment->allocated
                              : 0) >
                    options_.max_bytes))) {
    DropLastSegment();
    segment = nullptr;
    roll = true;
  }
  const uint64_t growth =
      roll ? std::max<uint64_t>(kSegmentHeaderSize + framed.size(),
                                options_.prealloc ? options_.segment_bytes : 0)
           : (segment->end + framed.size() > segment->allocated
                  ? segment->end + framed.size() - segment->allocated
                  : 0);
  if (!over_limit_ok && bytes_ + growth > options_.max_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "disk-buf-size(", options_.max_bytes, ") reached: ", bytes_,
        " bytes buffered in ", base_, "*"));
  }
  uint64_t old_end = 0;
  for (bool retried = false;; retried = true) {
    if (roll) {
      absl::StatusOr<std::shared_ptr<Segment>> fresh = CreateSegment(first_id);
      if (!fresh.ok()) return fresh.status();
      segment = *fresh;
      segments_.push_back(segment);
      bytes_ += segment->allocated;
    }
    old_end = segment->end;
    if (options_.sync && options_.fill_ahead_bytes > 0 &&
        framed.size() < kLargestAppendFilledAhead && !segment->fill_refused &&
        old_end + framed.size() > segment->filled) {
      if (absl::Status s = FillAhead(*segment, old_end + framed.size());
          !s.ok()) {
        return s;
      }
    }
    absl::Status s = WriteAll(segment->fd, framed, old_end, segment->path);
    if (s.ok()) break;
    // Nothing of a failed batch may stay: a later record would follow a
    // torn one. Space written before (prealloc) is zeroed again; what the write added to the file is cut off (no space needed).
    const uint64_t written_before =
        std::min<uint64_t>(old_end + framed.size(), segment->allocated);
    if (written_before > old_end) {
      WriteZeros(segment->fd, old_end, written_before, segment->path)
          .IgnoreError();
    }
    if (!options_.prealloc) {
      (void)!::ftruncate(segment->fd,
                         static_cast<off_t>(std::max(old_end,
                                                     segment->allocated)));
    }
    // The disk (a quota, the file size limit) refuses more, and the segment
    // appended to holds only released records: its space is what is
    // missing. It goes, and the batch is tried once more in a new segment;
    // kept, it would refuse every later append, delivered or not.
    if (retried || s.code() != absl::StatusCode::kResourceExhausted ||
        segment->last_id == 0 || segment->last_id > ack_.released) {
      return s;
    }
    DropLastSegment();
    segment = nullptr;
    roll = true;
  }
  segment->end = old_end + framed.size();
  segment->filled = std::max(segment->filled, segment->end);
  if (segment->end > segment->allocated) {
    bytes_ += segment->end - segment->allocated;
    segment->allocated = segment->end;
  }
  segment->last_id = last_id;
  last_id_ = last_id;
  ++appends_;
  return absl::OkStatus();
}

absl::Status DiskBuffer::FillAhead(Segment& segment, uint64_t need) {
  // A step ahead of what this append needs, never past the segment's size
  // (a roll would leave the rest unused) nor past disk-buf-size(): the
  // zeros take disk space like records, and must not refuse a record.
  const uint64_t room =
      options_.max_bytes > bytes_ ? options_.max_bytes - bytes_ : 0;
  uint64_t target = std::min(need + options_.fill_ahead_bytes,
                             std::max(need, options_.segment_bytes));
  target = std::min(target, segment.allocated + room);
  if (target <= need) return absl::OkStatus();  // no room ahead: just append
  absl::Status s = WriteZeros(segment.fd, std::max(segment.filled, segment.end),
                              target, segment.path);
  if (s.ok()) {
    // Synced now, once, with the file's new size: later Commits overwrite
    // these blocks and commit no metadata.
    if (::fdatasync(segment.fd) != 0) {
      // Not left to a later Commit: the kernel reports a write-back error
      // to one fdatasync of this file only.
      return absl::InternalError(
          absl::StrCat("syncing ", segment.path, ": ", Errno(errno)));
    }
    segment.filled = target;
    if (target > segment.allocated) {
      bytes_ += target - segment.allocated;
      segment.allocated = target;
    }
    return absl::OkStatus();
  }
  // What the zeros added to the file goes again (the space is the disk's).
  if (target > segment.allocated) {
    (void)!::ftruncate(segment.fd, static_cast<off_t>(segment.allocated));
  }
  segment.fill_refused = true;
  // A full disk (or file size limit) refuses the zeros before the records:
  // the append itself finds out whether the records still fit, and fails
  // as without fill-ahead when they do not.
  if (s.code() == absl::StatusCode::kResourceExhausted) return absl::OkStatus();
  return s;
}

absl::Status DiskBuffer::Commit() {
  if (!options_.sync) return absl::OkStatus();
  uint64_t target;
  {
    absl::MutexLock lock(&mu_);
    target = appends_;
  }
  absl::MutexLock lock(&sync_mu_);
  while (synced_appends_ < target) {
    if (syncing_) {
      sync_done_.Wait(&sync_mu_);
      continue;
    }
    // This caller syncs for everyone appended so far.
    syncing_ = true;
    std::vector<std::pair<std::shared_ptr<Segment>, uint64_t>> dirty;
    uint64_t covers;
    {
      absl::MutexLock l(&mu_);
      covers = appends_;
      for (const auto& s : segments_) {
        if (s->synced_end < s->end) dirty.emplace_back(s, s->end);
      }
    }
    sync_mu_.Unlock();
    absl::Status status;
    for (const auto& [segment, end] : dirty) {
      if (::fdatasync(segment->fd) != 0) {
        status = absl::InternalError(absl::StrCat(
            "syncing ", segment->path, ": ", Errno(errno)));
        break;
      }
    }
    if (status.ok()) {
      absl::MutexLock l(&mu_);
      for (const auto& [segment, end] : dirty) {
        segment->synced_end = std::max(segment->synced_end, end);
      }
    }
    sync_mu_.Lock();
    syncing_ = false;
    sync_done_.SignalAll();
    if (!status.ok()) return status;
    synced_appends_ = std::max(synced_appends_, covers);
  }
  return absl::OkStatus();
}

void DiskBuffer::DropLastSegment() {
  const std::shared_ptr<Segment>& last = segments_.back();
  ::unlink(last->path.c_str());
  bytes_ -= std::min(bytes_, last->allocated);
  last->released = true;  // a reader placed in it positions again
  segments_.pop_back();
}

absl::Status DiskBuffer::WriteAck() { return ack_file_->Write(ack_); }

absl::Status DiskBuffer::Release(uint64_t id) {
  absl::MutexLock lock(&mu_);
  if (id <= ack_.released) return absl::OkStatus();
  ack_.released = id;
  // Every segment whose last record is released but the one appended to:
  // deleting that one too would make the next Append create (and, with
  // sync, fsync the folder for) a new file after every delivered batch of a
  // consumer that keeps up. Append drops it when it rolls over or when its
  // bytes stand between the buffer and disk-buf-size().
  while (segments_.size() > 1 && segments_.front()->last_id <= id) {
    ::unlink(segments_.front()->path.c_str());
    bytes_ -= std::min(bytes_, segments_.front()->allocated);
    segments_.front()->released = true;
    segments_.erase(segments_.begin());
  }
  return WriteAck();
}

void DiskBuffer::NoteDispatched(uint64_t id) {
  absl::MutexLock lock(&mu_);
  if (id <= ack_.dispatched) return;
  ack_.dispatched = id;
  // In the ack file (the page cache: a crash of the process keeps it)
  // before the batch reaches send(): a run killed from here on may deliver
  // it twice, and the next run must count those. A failed write only makes
  // that count low.
  WriteAck().IgnoreError();
}

absl::StatusOr<size_t> DiskBuffer::Read(uint64_t from_id, size_t max,
                                        std::vector<StoredRecord>* out) {
  absl::MutexLock read_lock(&read_mu_);
  size_t n = 0;
  while (n < max) {
    std::shared_ptr<Segment> segment;
    uint64_t end;
    {
      absl::MutexLock lock(&mu_);
      if (segments_.empty()) break;
      // A cursor in a released segment would read on in its deleted file
      // and end there: the records after it are in segments appended since
      // (a recovery's copies, in a new segment once it released the old).
      if (cursor_.segment == nullptr || cursor_.next_id != from_id ||
          cursor_.segment->released) {
        // Position: the last segment starting at or before from_id.
        auto it = std::upper_bound(
            segments_.begin(), segments_.end(), from_id,
            [](uint64_t id, const std::shared_ptr<Segment>& s) {
              return id < s->first_id;
            });
        if (it != segments_.begin()) --it;
        cursor_.segment = *it;
        cursor_.offset = kSegmentHeaderSize;
        cursor_.next_id = from_id;
      }
      segment = cursor_.segment;
      end = segment->end;
    }
    SegmentScanner scan(segment->fd, cursor_.offset, end);
    bool more_here = false;
    while (n < max) {
      const SegmentScanner::Step step = scan.Next();
      if (step == SegmentScanner::Step::kIoError) return scan.status();
      if (step == SegmentScanner::Step::kRecord) {
        cursor_.offset = scan.offset();
        if (scan.record().id < from_id) continue;
        out->push_back({scan.record().id, std::string(scan.record().payload)});
        from_id = scan.record().id + 1;
        cursor_.next_id = from_id;
        ++n;
        continue;
      }
      if (step == SegmentScanner::Step::kDamage) {
        read_damage_.fetch_add(1, std::memory_order_relaxed);
        cursor_.offset = scan.offset();
        continue;
      }
      break;  // kEnd or kTail: what this segment holds so far
    }
    if (n >= max) {
      more_here = true;
    }
    if (more_here) break;
    // On to the next segment, if there is one.
    absl::MutexLock lock(&mu_);
    auto it = std::find(segments_.begin(), segments_.end(), segment);
    if (it == segments_.end()) {
      // Released while it was read: position again from from_id.
      cursor_.segment = nullptr;
      continue;
    }
    if (it + 1 == segments_.end()) break;
    cursor_.segment = *(it + 1);
    cursor_.offset = kSegmentHeaderSize;
    cursor_.next_id = from_id;
  }
  return n;
}

uint64_t DiskBuffer::bytes() const {
  absl::MutexLock lock(&mu_);
  return bytes_;
}

uint64_t DiskBuffer::segment_count() const {
  absl::MutexLock lock(&mu_);
  return segments_.size();
}

uint64_t DiskBuffer::damaged_regions() const {
  return read_damage_.load(std::memory_order_relaxed);
}

}  // namespace pydest::internal
