#include "libpydest/delivery/durable_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libpydest/durable/segment_format.h"
#include "libpydest/message/message_codec.h"
#include "libpydest/message/varint.h"

namespace pydest::internal {

DurableStore::DurableStore(std::unique_ptr<DiskBuffer> buffer,
                           const DiskBufferSpec& spec)
    : buffer_(std::move(buffer)),
      reliable_(spec.reliable),
      front_cache_size_(std::max<uint64_t>(spec.front_cache_size, 1)) {}

absl::StatusOr<std::unique_ptr<DurableStore>> DurableStore::Open(
    const DiskBufferSpec& spec, const std::string& dir, const std::string& name,
    uint64_t* first_seqnum, StoreRecovery* found) {
  DiskBufferOptions options;
  options.dir = dir;
  options.name = name;
  options.max_bytes = spec.disk_buf_size;
  options.prealloc = spec.prealloc;
  options.sync = spec.reliable;
  DiskBufferRecovery recovery;
  absl::StatusOr<std::unique_ptr<DiskBuffer>> buffer =
      DiskBuffer::Open(options, &recovery);
  if (!buffer.ok()) return buffer.status();
  std::unique_ptr<DurableStore> store(
      new DurableStore(std::move(*buffer), spec));
  *found = StoreRecovery{};
  found->possible_duplicates = recovery.possible_duplicates;
  found->damaged_regions = recovery.damaged_regions;
  found->torn_tail_bytes = recovery.torn_tail_bytes;
  found->set_aside = recovery.set_aside;
  found->base_path = store->buffer_->base_path();
  *first_seqnum = std::max(*first_seqnum, recovery.last_id + 1);
  if (recovery.records > 0) {
    if (absl::Status s = store->Reappend(recovery, *first_seqnum); !s.ok()) {
      return s;
    }
  }
  found->messages = store->recovered_;
  return store;
}

absl::Status DurableStore::Reappend(const DiskBufferRecovery& found,
                                    uint64_t first_seqnum) {
  std::vector<StoredRecord> chunk;
  uint64_t from = found.first_id;
  uint64_t next_id = first_seqnum;
  std::string framed;
  while (true) {
    chunk.clear();
    absl::StatusOr<size_t> n = buffer_->Read(from, 4096, &chunk);
    if (!n.ok()) return n.status();
    // Only the records of the earlier run: the copies start above them.
    while (!chunk.empty() && chunk.back().id > found.last_id) chunk.pop_back();
    if (chunk.empty()) break;
    framed.clear();
    const uint64_t first = next_id;
    for (const StoredRecord& r : chunk) {
      AppendRecord(next_id++, r.payload, &framed);
    }
    // The old copies still take their space until released below, so the
    // copy may pass disk-buf-size for a moment.
    if (absl::Status s = buffer_->Append(framed, first, next_id - 1,
                                         /*over_limit_ok=*/true);
        !s.ok()) {
      return s;
    }
    from = chunk.back().id + 1;
    if (absl::Status s = buffer_->Commit(); !s.ok()) return s;
    if (absl::Status s = buffer_->Release(chunk.back().id); !s.ok()) return s;
    if (chunk.back().id >= found.last_id) break;
  }
  recovered_ = next_id - first_seqnum;
  absl::MutexLock lock(&release_mu_);
  released_ = first_seqnum - 1;
  return buffer_->Release(first_seqnum - 1);
}

// A record's payload: the host's context as a varint, then the message.
void DurableStore::Encode(const Message& message, uint64_t context,
                          Encoded* out) {
  out->payload.clear();
  PutVarint(context, &out->payload);
  EncodeMessage(message, &out->payload);
  out->crc = PayloadCrc(out->payload);
}

absl::Status DurableStore::Append(const Encoded* encoded, size_t n,
                                  uint64_t first_id) {
  if (n == 0) return absl::OkStatus();
  framed_.clear();
  for (size_t i = 0; i < n; ++i) {
    AppendRecord(first_id + i, encoded[i].payload, encoded[i].crc, &framed_);
  }
  return buffer_->Append(framed_, first_id, first_id + n - 1);
}

absl::Status DurableStore::Commit() {
  if (!reliable_) return absl::OkStatus();
  return buffer_->Commit();
}

absl::Status DurableStore::Load(uint64_t from_id, size_t max,
                                std::vector<Loaded>* out) {
  std::vector<StoredRecord> records;
  absl::StatusOr<size_t> n = buffer_->Read(from_id, max, &records);
  if (!n.ok()) return n.status();
  for (StoredRecord& r : records) {
    Loaded loaded;
    loaded.queued.seqnum = r.id;
    std::string_view payload = r.payload;
    uint64_t context = 0;
    if (GetVarint(&payload, &context)) {
      absl::StatusOr<Message> message = DecodeMessage(payload);
      if (message.ok()) {
        loaded.queued.message = std::move(*message);
        loaded.queued.context = context;
        loaded.decoded = true;
      }
    }
    out->push_back(std::move(loaded));
  }
  return absl::OkStatus();
}

void DurableStore::NoteSettledThrough(uint64_t id) {
  absl::MutexLock lock(&release_mu_);
  const uint64_t through = std::min(id, keep_floor_ - 1);
  if (through <= released_) return;
  released_ = through;
  buffer_->Release(through).IgnoreError();
}

void DurableStore::NoteKept(uint64_t id) {
  absl::MutexLock lock(&release_mu_);
  keep_floor_ = std::min(keep_floor_, id);
}

}  // namespace pydest::internal
