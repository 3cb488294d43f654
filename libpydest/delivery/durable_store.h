// DurableStore: a destination's disk buffer as the queue uses it. Messages
// become records (the host's context and the message's encoding, keyed by
// $SEQNUM) in a DiskBuffer (libpydest/durable), are read back in order when
// the memory part of the queue has room, and are released once they have an
// outcome — except those kept for the next run (kKeptInDiskBuffer), which
// stay until a later host delivers them.
//
// Opening it recovers what an earlier run left: those records are appended
// again under this run's first sequence numbers (and the old copies
// released), so that the run's ids have no gaps and the recovered messages
// come first, in their order.
//
// Thread-safety: Encode anywhere without locks; Append under the queue's
// lock (ids in order); Commit, Load and the Note* calls from any thread.
#ifndef LIBPYDEST_DELIVERY_DURABLE_STORE_H_
#define LIBPYDEST_DELIVERY_DURABLE_STORE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libpydest/delivery/driver.h"
#include "libpydest/durable/disk_buffer.h"
#include "pydest/disk_buffer_spec.h"
#include "pydest/message.h"

namespace pydest::internal {

// What an earlier run left, as this run took it over.
struct StoreRecovery {
  uint64_t messages = 0;             // recovered, queued first in this run
  uint64_t possible_duplicates = 0;  // of them, handed to a worker before
  uint64_t damaged_regions = 0;
  uint64_t torn_tail_bytes = 0;
  std::vector<std::string> set_aside;
  std::string base_path;             // where the buffer's files are
};

class DurableStore {
 public:
  // A message ready to be framed: encoded outside the queue's lock.
  struct Encoded {
    std::string payload;
    uint32_t crc = 0;
  };

  // Opens (and locks) the buffer "<dir>/<name>*" and re-appends what an
  // earlier run left under ids *first_seqnum, *first_seqnum + 1, ...;
  // *first_seqnum is raised above the buffer's ids when it is not already
  // (this run's sequence numbers must go on from the file's).
  static absl::StatusOr<std::unique_ptr<DurableStore>> Open(
      const DiskBufferSpec& spec, const std::string& dir,
      const std::string& name, uint64_t* first_seqnum, StoreRecovery* found);

  bool reliable() const { return reliable_; }
  size_t front_cache_size() const { return front_cache_size_; }

  static void Encode(const Message& message, uint64_t context, Encoded* out);

  // Appends n encoded messages with ids first_id ... first_id + n - 1.
  // ResourceExhausted when the buffer (disk-buf-size) or the disk is full:
  // then nothing was appended.
  absl::Status Append(const Encoded* encoded, size_t n, uint64_t first_id);
  // reliable(): returns once everything appended so far is on disk.
  absl::Status Commit();
  // One record read back: the queue entry, and whether its message decoded
  // (a record that does not — damage the checksums missed, or another
  // version — still needs an outcome for its id).
  struct Loaded {
    QueuedMessage queued;
    bool decoded = false;
  };
  // Reads up to `max` records with ids >= from_id, in id order.
  absl::Status Load(uint64_t from_id, size_t max, std::vector<Loaded>* out);

  // The highest id handed to a worker.
  void NoteDispatched(uint64_t id) { buffer_->NoteDispatched(id); }
  // Every id <= `id` has an outcome: release what is not kept.
  void NoteSettledThrough(uint64_t id);
  // `id` stays in the buffer for the next run (kKeptInDiskBuffer).
  void NoteKept(uint64_t id);

  uint64_t bytes() const { return buffer_->bytes(); }
  uint64_t recovered() const { return recovered_; }

 private:
  DurableStore(std::unique_ptr<DiskBuffer> buffer, const DiskBufferSpec& spec);
  // Moves the records an earlier run left behind the new ids.
  absl::Status Reappend(const DiskBufferRecovery& found, uint64_t first_seqnum);

  std::unique_ptr<DiskBuffer> buffer_;
  const bool reliable_;
  const size_t front_cache_size_;
  uint64_t recovered_ = 0;
  absl::Mutex release_mu_;
  uint64_t keep_floor_ ABSL_GUARDED_BY(release_mu_) = UINT64_MAX;
  uint64_t released_ ABSL_GUARDED_BY(release_mu_) = 0;
  // The queue's lock serialises Append; this buffer is reused by it.
  std::string framed_;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_DELIVERY_DURABLE_STORE_H_
