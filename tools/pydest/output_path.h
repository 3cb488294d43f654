// pydest's output files (--stats-json, --preprocess-into): CheckWritable,
// whether pydest will be able to write one at the end of a run, checked
// before the run starts; WriteOutputFile, writing one.
//
// Thread-safety: stateless functions.
#ifndef TOOLS_PYDEST_OUTPUT_PATH_H_
#define TOOLS_PYDEST_OUTPUT_PATH_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace pydest::cli {

// OK when `path` is a writable file, or does not exist in a folder where
// files can be created. Otherwise InvalidArgument "PATH: cannot be written
// (reason)". Creates nothing.
absl::Status CheckWritable(const std::string& path);

// Replaces the content of `path` with `text`, creating it (mode 0644 less
// the umask) when missing. Opened for writing, not renamed over, so
// /dev/stdout and a FIFO work too. InvalidArgument "PATH: cannot be
// written (reason)" on failure.
absl::Status WriteOutputFile(const std::string& path, std::string_view text);

}  // namespace pydest::cli

#endif  // TOOLS_PYDEST_OUTPUT_PATH_H_
