// Files for @include: reading a configuration file, and expanding an
// @include argument (a file, a glob pattern or a directory) into the files
// it names, in the order syslog-ng reads them.
//
// Thread-safety: stateless functions.
#ifndef LIBPYDEST_CONFIG_INCLUDE_FILES_H_
#define LIBPYDEST_CONFIG_INCLUDE_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pydest {
namespace config_internal {

// The whole file; NotFoundError when it cannot be opened, InvalidArgument
// when it is not a regular file (/dev/zero, a FIFO, a directory) or is
// larger than kMaxConfigFileBytes (pydest/limits.h).
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// The error for configuration text of `size` bytes from `path`, past
// kMaxConfigFileBytes.
absl::Status FileTooLarge(const std::string& path, size_t size);

// A glob's matches sorted; a directory's regular files sorted, hidden
// (".x") and backup ("x~") files skipped. Empty when nothing matches.
std::vector<std::string> ExpandInclude(const std::string& pattern);

}  // namespace config_internal
}  // namespace pydest

#endif  // LIBPYDEST_CONFIG_INCLUDE_FILES_H_
