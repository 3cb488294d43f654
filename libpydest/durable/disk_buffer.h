// DiskBuffer: the files behind a destination's disk-buffer(): an
// append-only log of records (an id and an encoded message each) in
// segment files, and an ack file saying which are done. Records are
// appended in id order, made durable by Commit (fdatasync, shared by every
// caller waiting at the time: group commit), read back in order, and
// released once they have an outcome; a segment whose records are all
// released is deleted. The format is in docs/disk-buffer.md.
//
// Open recovers what an earlier process left, whatever state it stopped in:
// every record with a good checksum above the released id is kept for
// delivery; damage is skipped and counted, and a damaged segment's good
// records are rewritten into a fresh file while the damaged one is set
// aside (renamed *.damaged) for inspection; a record torn at the very end
// (a crash during a write: then nothing good follows it in the last
// segment, only zeros or nothing) is cut off.
//
// With sync, the segment appended to is filled ahead of its last record
// with zeros, written and synced once per fill_ahead_bytes: each Commit's
// fdatasync then overwrites blocks the file already has and commits no
// change of its size, which costs about half as much on ext4.
//
//   DiskBufferRecovery found;
//   auto buffer = DiskBuffer::Open(options, &found);   // locks the buffer
//   buffer->Append(framed, first_id, last_id);          // SegmentFormat bytes
//   buffer->Commit();                                   // durable now
//   buffer->Read(from_id, 1000, &records);              // back, in order
//   buffer->Release(id);                                // done up to id
//
// Thread-safety: every method may be called from any thread; Append calls
// must come in id order (the caller serialises them, e.g. under its queue
// lock), Commit and Read may run alongside them.
#ifndef LIBPYDEST_DURABLE_DISK_BUFFER_H_
#define LIBPYDEST_DURABLE_DISK_BUFFER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libpydest/durable/ack_file.h"
#include "libpydest/durable/buffer_lock.h"

namespace pydest::internal {

struct DiskBufferOptions {
  std::string dir;   // created when missing
  std::string name;  // the destination's persist name; file names derive from it
  uint64_t max_bytes = uint64_t{1} << 30;  // disk-buf-size(): all segments
  // Size at which a new segment starts. 0: an eighth of max_bytes, within
  // 64 KiB ... 64 MiB, so released space is given back in small steps.
  uint64_t segment_bytes = 0;
  // prealloc(yes): each segment is given its full size when created
  // (fallocate), so a full disk shows at creation, not mid-write.
  bool prealloc = false;
  // reliable(yes): Commit syncs, and new segment files are synced into
  // their folder. false: Commit only writes (what was written survives a
  // crash of the process, not of the machine).
  bool sync = true;
  // With sync: how far ahead of its last record the segment appended to is
  // filled with written, synced zeros (never past segment_bytes, nor past
  // max_bytes: the zeros count as the buffer's bytes). Larger steps sync
  // the fill less often but hold the caller longer when they do. 0: no
  // fill-ahead (each Commit also commits the file's new size). Without
  // sync it would only add writes.
  uint64_t fill_ahead_bytes = uint64_t{4} << 20;
};

// What Open found of an earlier run.
struct DiskBufferRecovery {
  uint64_t records = 0;          // good records not released: to deliver
  uint64_t first_id = 0;         // the first of them (0: none)
  // The highest id the buffer ever held (its records, or the released id
  // the ack file remembers); a new run's ids must go on above it.
  uint64_t last_id = 0;
  uint64_t possible_duplicates = 0;  // of `records`, handed to a worker before
  uint64_t damaged_regions = 0;  // stretches of bytes that were not records
  uint64_t damaged_bytes = 0;
  // A write a crash cut short at the end of the last segment (a torn
  // record, then only zeros or nothing), cut off: its non-zero bytes.
  uint64_t torn_tail_bytes = 0;
  std::vector<std::string> set_aside;  // damaged files kept as *.damaged
};

struct StoredRecord {
  uint64_t id = 0;
  std::string payload;
};

class DiskBuffer {
 public:
  // Locks the buffer (FailedPrecondition naming the other process when it
  // is in use) and recovers it into `found`. Errors: the folder or a file
  // cannot be created or read (with the path and the system's reason).
  static absl::StatusOr<std::unique_ptr<DiskBuffer>> Open(
      const DiskBufferOptions& options, DiskBufferRecovery* found);
  ~DiskBuffer();
  DiskBuffer(const DiskBuffer&) = delete;
  DiskBuffer& operator=(const DiskBuffer&) = delete;

  // Writes `framed` (records made with AppendRecord, ids first_id ...
  // last_id, above every id appended before) at the end of the log. All or
  // nothing: ResourceExhausted when the buffer would pass max_bytes
  // ("disk-buf-size(N) reached") or the disk is full, and then nothing of
  // it was kept. `over_limit_ok`: the one exception, for a recovery that
  // copies records forward while their old copies still take space.
  absl::Status Append(std::string_view framed, uint64_t first_id,
                      uint64_t last_id, bool over_limit_ok = false);
  // Returns once everything appended before the call is on disk (with
  // sync: fdatasync'ed). Concurrent callers share one sync.
  absl::Status Commit();
  // Every record with an id <= `id` is done. Deletes the segments that
  // hold only such records and notes `id` in the ack file.
  absl::Status Release(uint64_t id);
  // The highest id handed to a worker so far, written to the ack file at
  // once (one small pwrite per dispatched batch, no sync): after a crash,
  // records up to it count as possible duplicates.
  void NoteDispatched(uint64_t id);
  // Appends to `out` up to `max` good records with ids >= from_id, in id
  // order, and returns how many. Damage met on the way is skipped and
  // counted (damaged_regions()).
  absl::StatusOr<size_t> Read(uint64_t from_id, size_t max,
                              std::vector<StoredRecord>* out);

  uint64_t bytes() const;            // the segments' size on disk
  uint64_t segment_count() const;
  uint64_t damaged_regions() const;  // met by Read since Open
  // "<dir>/<name>": the segments are "<base>.<first id>.pdq", beside
  // "<base>.ack" and "<base>.lock".
  const std::string& base_path() const { return base_; }

 private:
  struct Segment;
  struct ReadCursor {
    std::shared_ptr<Segment> segment;
    uint64_t offset = 0;
    uint64_t next_id = 0;  // the from_id a call continuing here passes
  };
  DiskBuffer(const DiskBufferOptions& options, std::string base);
  absl::Status Recover(DiskBufferRecovery* found);
  absl::Status RecoverSegment(const std::shared_ptr<Segment>& segment,
                              bool is_last, uint64_t* prev_id,
                              DiskBufferRecovery* found, bool* damaged);
  absl::Status RewriteDamaged(const std::shared_ptr<Segment>& segment,
                              DiskBufferRecovery* found);
  absl::StatusOr<std::shared_ptr<Segment>> CreateSegment(uint64_t first_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // With sync: makes [segment->end, need) and some room beyond it written,
  // synced zeros (fill_ahead_bytes). A disk that refuses the zeros is not
  // an error: the segment then grows by its appends alone.
  absl::Status FillAhead(Segment& segment, uint64_t need)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status WriteAck() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Deletes the segment appended to, which holds only released records.
  void DropLastSegment() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string SegmentPath(uint64_t first_id) const;

  DiskBufferOptions options_;
  std::string base_;  // <dir>/<name as a file name>
  std::unique_ptr<BufferLock> lock_;
  std::unique_ptr<AckFile> ack_file_;
  bool opened_ = false;  // Open succeeded: the destructor saves the state

  mutable absl::Mutex mu_;
  // By first id; back() is the one appended to.
  std::vector<std::shared_ptr<Segment>> segments_ ABSL_GUARDED_BY(mu_);
  uint64_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t last_id_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t appends_ ABSL_GUARDED_BY(mu_) = 0;  // Append calls so far
  AckState ack_ ABSL_GUARDED_BY(mu_);

  // Group commit: one caller syncs, the others wait for its result.
  absl::Mutex sync_mu_;
  absl::CondVar sync_done_;
  bool syncing_ ABSL_GUARDED_BY(sync_mu_) = false;
  uint64_t synced_appends_ ABSL_GUARDED_BY(sync_mu_) = 0;
  absl::Status sync_status_ ABSL_GUARDED_BY(sync_mu_);

  absl::Mutex read_mu_;
  ReadCursor cursor_ ABSL_GUARDED_BY(read_mu_);
  std::atomic<uint64_t> read_damage_{0};
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DURABLE_DISK_BUFFER_H_
