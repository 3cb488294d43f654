// The worker protocol: what a host and a pydest-worker process say to each
// other over their FrameChannel (docs/isolation.md has the picture).
//
//   host                                   worker
//   kSetup (WorkerSetup)          ->
//                                 <-       kReady (WorkerReady) | kSetupFailed
//   kOpen | kIsOpened | kFlush | kClose
//                                 ->
//                                 <-       kLog ... kReply (value, counters)
//   kRun (messages)               ->       steps go to SharedProgress
//                                 <-       kLog ... kRunDone (count, counters)
//   kDeinit                       ->
//                                 <-       kReply; the worker exits
//
// Requests are answered in order, one at a time; kLog frames (the worker's
// log records) may come before any answer. The payloads are built with
// wire.h; decoders treat their input as untrusted and fail on anything
// malformed.
//
// Thread-safety: plain functions over their arguments.
#ifndef LIBPYDEST_PROCESS_WORKER_PROTOCOL_H_
#define LIBPYDEST_PROCESS_WORKER_PROTOCOL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libpydest/delivery/driver.h"
#include "libpydest/value_pairs/record.h"
#include "pydest/destination_options.h"
#include "pydest/log_record.h"

namespace pydest::internal {

enum class FrameType : uint8_t {
  // host -> worker
  kSetup = 1,
  kOpen = 2,
  kIsOpened = 3,
  kRun = 4,
  kFlush = 5,
  kClose = 6,
  kDeinit = 7,
  // worker -> host
  kReady = 32,
  kSetupFailed = 33,
  kReply = 34,
  kRunDone = 35,
  kLog = 36,
};

// What a worker needs to load the class: the options that matter inside
// it (the callbacks, queue and delivery settings stay with the host).
struct WorkerSetup {
  DestinationOptions options;  // workers is 1: one instance per process
  bool value_pairs = false;    // runs carry evaluated records, not messages
  int index = 0;               // which of workers(N)
};

std::string EncodeSetup(const WorkerSetup& setup);
absl::StatusOr<WorkerSetup> DecodeSetup(std::string_view bytes);

struct WorkerReady {
  std::string persist_name;
  bool has_is_opened = false;
};
std::string EncodeReady(const WorkerReady& ready);
absl::StatusOr<WorkerReady> DecodeReady(std::string_view bytes);

std::string EncodeStatus(const absl::Status& status);
absl::Status DecodeStatus(std::string_view bytes);

std::string EncodeLogRecord(const LogRecord& record);
absl::StatusOr<LogRecord> DecodeLogRecord(std::string_view bytes);

// The worker's own counters (what its Python side counts), as totals since
// it started; every kReply and kRunDone ends with them.
struct WorkerCounters {
  uint64_t python_exceptions = 0;
  uint64_t casting_errors = 0;
  uint64_t written_bytes = 0;
};
void EncodeCounters(const WorkerCounters& counters, std::string* out);

// kReply: a bool (open/is_opened), a DeliveryResult (flush) or 0.
std::string EncodeReply(uint64_t value, const WorkerCounters& counters);
// kRunDone: how many steps the run took.
std::string EncodeRunDone(uint64_t steps, const WorkerCounters& counters);
// Either answer: its value and the counters.
bool DecodeAnswer(std::string_view bytes, uint64_t* value,
                  WorkerCounters* counters);

// kRun. The host names the keys the worker has not seen yet (ids from
// `first_new_key` on, in order: the worker interns them in the same order
// and so gets the same ids), then each message: its $SEQNUM and its
// evaluated record (with value-pairs) or the whole Message.
class RunEncoder {
 public:
  void Begin(std::string* out, const RunLimits& limits, uint32_t first_new_key,
             const std::vector<std::string_view>& new_keys, size_t count);
  void AddRecord(uint64_t seqnum, const Record& record);
  void AddMessage(uint64_t seqnum, const Message& message);

 private:
  std::string* out_ = nullptr;
};

struct RunRequest {
  RunLimits limits;
  uint32_t first_new_key = 0;
  std::vector<std::string> new_keys;
  struct Entry {
    uint64_t seqnum = 0;
    Record record;    // value-pairs
    Message message;  // otherwise
  };
  std::vector<Entry> entries;  // reused between runs: only `count` are valid
  size_t count = 0;
};
// Fills `run` (reusing its entries' buffers). `key_count` is how many keys
// the worker knows once the new ones are added: a record naming a key at
// or above it is malformed.
absl::Status DecodeRun(std::string_view bytes, bool value_pairs,
                       RunRequest* run);
absl::Status CheckRecordKeys(const RunRequest& run, uint32_t key_count);

}  // namespace pydest::internal

#endif  // LIBPYDEST_PROCESS_WORKER_PROTOCOL_H_
