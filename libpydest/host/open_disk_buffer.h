// OpenDiskBuffer: a destination's disk-buffer() opened for its host — the
// folder (dir(), else the state directory), the files named after the
// persist name, what an earlier run left taken over and reported (one log
// record, and the stats' disk_buffer_* counters).
//
// Thread-safety: call from Create, before the workers start.
#ifndef LIBPYDEST_HOST_OPEN_DISK_BUFFER_H_
#define LIBPYDEST_HOST_OPEN_DISK_BUFFER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libpydest/delivery/destination_counters.h"
#include "libpydest/delivery/durable_store.h"
#include "pydest/destination_options.h"

namespace pydest::internal {

// Opens options->disk_buffer (which must be set) for the destination whose
// persist name is `persist_name`; raises options->first_seqnum above the
// buffer's ids. Errors name the buffer's files: in use by another process
// (FailedPrecondition), a folder that cannot be created or read.
absl::StatusOr<std::shared_ptr<DurableStore>> OpenDiskBuffer(
    DestinationOptions* options, const std::string& persist_name,
    DestinationCounters& counters);

}  // namespace pydest::internal

#endif  // LIBPYDEST_HOST_OPEN_DISK_BUFFER_H_
