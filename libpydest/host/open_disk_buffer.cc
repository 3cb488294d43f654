#include "libpydest/host/open_disk_buffer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pydest/log_record.h"

namespace pydest::internal {

absl::StatusOr<std::shared_ptr<DurableStore>> OpenDiskBuffer(
    DestinationOptions* options, const std::string& persist_name,
    DestinationCounters& counters) {
  const DiskBufferSpec& spec = *options->disk_buffer;
  const std::string dir = spec.dir.empty() ? options->state_dir : spec.dir;
  StoreRecovery found;
  absl::StatusOr<std::unique_ptr<DurableStore>> store = DurableStore::Open(
      spec, dir, persist_name, &options->first_seqnum, &found);
  if (!store.ok()) {
    return absl::Status(store.status().code(),
                        absl::StrCat("disk-buffer(): ", store.status().message()));
  }
  counters.Add(counters.disk_buffer_recovered, found.messages);
  counters.Add(counters.disk_buffer_possible_duplicates,
               found.possible_duplicates);
  counters.Add(counters.disk_buffer_damaged, found.damaged_regions);
  // The queue counts them as accepted too (they are queued first).
  if ((found.messages > 0 || found.damaged_regions > 0 ||
       found.torn_tail_bytes > 0) &&
      options->log_sink) {
    LogRecord record;
    record.level = found.damaged_regions > 0 ? LogRecord::Level::kWarning
                                             : LogRecord::Level::kInfo;
    record.text = "Disk buffer holds messages of an earlier run; delivering "
                  "them first";
    record.tags = {
        {"driver", options->name},
        {"files", found.base_path + "*"},
        {"messages", absl::StrCat(found.messages)},
        {"possible_duplicates", absl::StrCat(found.possible_duplicates)},
        {"damaged_regions", absl::StrCat(found.damaged_regions)},
        {"torn_tail_bytes", absl::StrCat(found.torn_tail_bytes)}};
    if (!found.set_aside.empty()) {
      record.tags.emplace_back("set_aside",
                               absl::StrJoin(found.set_aside, ", "));
    }
    options->log_sink(record);
  }
  return std::shared_ptr<DurableStore>(std::move(*store));
}

}  // namespace pydest::internal
