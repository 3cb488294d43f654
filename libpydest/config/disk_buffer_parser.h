// Parser for disk-buffer(...) inside python(): syslog-ng's option names and
// AxoSyslog's names for the same options (include/pydest/disk_buffer_spec.h
// says what each does). An unknown option is an error with its place and a
// did-you-mean.
//
// Thread-safety: a stateless function.
#ifndef LIBPYDEST_CONFIG_DISK_BUFFER_PARSER_H_
#define LIBPYDEST_CONFIG_DISK_BUFFER_PARSER_H_

#include "absl/status/status.h"
#include "libpydest/config/token_stream.h"
#include "pydest/disk_buffer_spec.h"

namespace pydest {
namespace config_internal {

// Reads the options after disk-buffer's '(' up to and including its ')'.
absl::Status ParseDiskBufferBody(TokenStream& in, DiskBufferSpec* out);

// disk-buf-size() below this is raised to it, as syslog-ng does.
inline constexpr uint64_t kMinDiskBufSize = uint64_t{1} << 20;

}  // namespace config_internal
}  // namespace pydest

#endif  // LIBPYDEST_CONFIG_DISK_BUFFER_PARSER_H_
