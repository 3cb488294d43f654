// DiskBufferSpec: a destination's disk-buffer(...): its queue kept in files,
// so that what the host accepted survives a crash or kill -9 of the process
// and is delivered after a restart (docs/disk-buffer.md). syslog-ng's
// option names and meanings; AxoSyslog's names for the same options are
// accepted in the configuration too.
//
// Thread-safety: a plain value.
#ifndef PYDEST_DISK_BUFFER_SPEC_H_
#define PYDEST_DISK_BUFFER_SPEC_H_

#include <cstdint>
#include <optional>
#include <string>

namespace pydest {

struct DiskBufferSpec {
  // reliable(): false (the default, as syslog-ng): every accepted message
  // is written to the buffer's files, without waiting for the disk; what
  // was written survives a crash of the process (kill -9 included), the
  // last moment's writes may not survive a power cut. true: a message is
  // on disk (fdatasync'ed, one sync shared by every message accepted
  // meanwhile) before Send/TrySend/TrySendBatch return: it survives a
  // power cut too, at the cost of a sync per hand-over.
  bool reliable = false;
  // dir(): the folder of the buffer's files. "" (the default): the
  // destination's state_dir. Files are named after the persist name.
  std::string dir;
  // disk-buf-size() / capacity-bytes(): how many bytes the buffer's files
  // may take; at least 1 MiB (a smaller value is raised to it, as syslog-ng
  // does). When it is reached, DestinationOptions::overflow decides (wait,
  // or drop with a logged reason). 1 GiB by default (syslog-ng has no
  // default: a configuration must set it).
  uint64_t disk_buf_size = uint64_t{1} << 30;
  // mem-buf-length() / flow-control-window-size(): how many messages are
  // kept in memory, decoded, in front of the workers; the rest wait in the
  // files only and are read back in order. Unset (the default): the
  // destination's log_fifo_size.
  std::optional<uint64_t> mem_buf_length;
  // mem-buf-size() / flow-control-window-bytes(): syslog-ng's memory part
  // of a reliable buffer in bytes. Accepted; libpydest bounds the memory
  // part by mem_buf_length in both modes (docs/disk-buffer.md).
  std::optional<uint64_t> mem_buf_size;
  // front-cache-size() / qout-size(): how many messages are read back from
  // the files at once when the memory part has room. 1000 by default.
  uint64_t front_cache_size = 1000;
  // truncate-size-ratio(): in syslog-ng, when a file is shrunk. Accepted
  // (0 ... 1); libpydest gives space back by deleting whole segments.
  std::optional<double> truncate_size_ratio;
  // prealloc(): give each segment file its full size when it is created,
  // so that a full disk shows then rather than in the middle of a write.
  // false by default.
  bool prealloc = false;
  // compaction() (AxoSyslog): accepted, without effect (segments hold no
  // gaps to compact).
  bool compaction = false;
};

}  // namespace pydest

#endif  // PYDEST_DISK_BUFFER_SPEC_H_
