// RecordPreparer: the Preparer (libpydest/delivery/preparer.h) of a Python
// destination with value-pairs(): it evaluates each message's value-pairs
// into a PreparedRecord on the prepare thread, without the GIL, so that a
// worker only builds the dict and calls send() (DESIGN.md rules 2 and 3).
//
// This is the one place where a Python destination's value-pairs are
// evaluated: the driver only reads the result.
//
// Thread-safety: Prepare runs on the prepare thread. Casting errors are
// counted in the context's counters.
#ifndef LIBPYDEST_PYTHON_RECORD_PREPARER_H_
#define LIBPYDEST_PYTHON_RECORD_PREPARER_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "libpydest/delivery/preparer.h"
#include "libpydest/pyrt/destination_context.h"
#include "libpydest/value_pairs/value_pairs.h"

namespace pydest::internal {

// The evaluated value-pairs of one message; `refused` when the on-error
// policy drops it.
struct PreparedRecord final : PreparedMessage {
  Record record;
  EvaluationReport report;
};

// Records are evaluated in chunks that are recycled: a message's
// PreparedRecord shares ownership of its chunk (aliasing shared_ptr), and a
// chunk whose messages are all gone returns to a free list with its
// records' capacity, so steady-state evaluation allocates nothing and the
// worker frees nothing the prepare thread allocated. The list holds as many
// chunks as the messages in flight need (ExpectInFlight), no more.
class RecordPreparer final : public Preparer {
 public:
  static constexpr size_t kChunkRecords = 32;

  RecordPreparer(std::shared_ptr<const ValuePairs> value_pairs,
                 std::shared_ptr<const DestinationContext> context);

  void Prepare(QueuedMessage* const* messages, size_t count) override;
  // Keeps enough free chunks for `messages` records (default: 16 chunks).
  void ExpectInFlight(size_t messages) override;


 private:
  struct Chunk {
    std::array<PreparedRecord, kChunkRecords> records;
  };
  // Free chunks; a chunk's deleter returns it here (any thread).
  struct Pool {
    std::mutex mu;  // std::mutex: no deadlock-detection cost per release
    std::vector<std::unique_ptr<Chunk>> free;
    size_t max_free = 16;
  };
  std::shared_ptr<Chunk> NewChunk();

  const std::shared_ptr<const ValuePairs> value_pairs_;
  const std::shared_ptr<const DestinationContext> context_;
  const std::shared_ptr<Pool> pool_ = std::make_shared<Pool>();
  // The chunk being filled (prepare thread only) and the next free slot.
  std::shared_ptr<Chunk> chunk_;
  size_t next_record_ = kChunkRecords;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYTHON_RECORD_PREPARER_H_
