// Fuzzes the worker protocol's decoders (libpydest/process/
// worker_protocol.h): what a host reads from a worker that may be broken
// (log records, answers, its ready and failure frames) and what a worker
// reads from its host (setup, runs). Any bytes are an error or a value,
// never a read past the end; what decodes encodes to bytes that decode to
// the same encoding again (the decoders accept non-minimal varints and any
// non-zero flag, so the input itself need not come back). A log record's
// stderr line (log_line.h) is read the same way.
//
// Input: the first byte picks the decoder, the rest is its payload.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "libpydest/process/log_line.h"
#include "libpydest/process/worker_protocol.h"

namespace {

using namespace pydest::internal;  // NOLINT: a harness
using pydest::LogRecord;

void Trap(bool failed) {
  if (failed) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  switch (data[0] % 8) {
    case 0: {
      absl::StatusOr<LogRecord> r = DecodeLogRecord(bytes);
      if (r.ok()) {
        const std::string once = EncodeLogRecord(*r);
        absl::StatusOr<LogRecord> again = DecodeLogRecord(once);
        Trap(!again.ok() || EncodeLogRecord(*again) != once);
      }
      break;
    }
    case 1: {
      uint64_t value = 0;
      WorkerCounters counters;
      DecodeAnswer(bytes, &value, &counters);
      break;
    }
    case 2: {
      absl::StatusOr<WorkerReady> r = DecodeReady(bytes);
      if (r.ok()) {
        const std::string once = EncodeReady(*r);
        absl::StatusOr<WorkerReady> again = DecodeReady(once);
        Trap(!again.ok() || EncodeReady(*again) != once);
      }
      break;
    }
    case 3:
      DecodeStatus(bytes).IgnoreError();
      break;
    case 4: {
      absl::StatusOr<WorkerSetup> s = DecodeSetup(bytes);
      if (s.ok()) {
        absl::StatusOr<WorkerSetup> again = DecodeSetup(EncodeSetup(*s));
        Trap(!again.ok() || EncodeSetup(*again) != EncodeSetup(*s));
      }
      break;
    }
    case 5:
    case 6: {
      RunRequest run;
      if (DecodeRun(bytes, data[0] % 8 == 5, &run).ok()) {
        CheckRecordKeys(run, 1000).IgnoreError();
      }
      break;
    }
    case 7: {
      // A stderr line: what decodes is a record whose line decodes to it.
      std::optional<LogRecord> r = LogRecordOfLine(bytes);
      if (r.has_value()) {
        std::optional<std::string> line = LogLineOf(*r);
        if (line.has_value()) {
          line->pop_back();  // its '\n'
          std::optional<LogRecord> again = LogRecordOfLine(*line);
          Trap(!again.has_value() ||
               EncodeLogRecord(*again) != EncodeLogRecord(*r));
        }
      }
      break;
    }
  }
  return 0;
}
