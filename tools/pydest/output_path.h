// CheckWritable: whether pydest will be able to write an output file
// (--stats-json) at the end of a run, checked before the run starts.
//
// Thread-safety: a stateless function.
#ifndef TOOLS_PYDEST_OUTPUT_PATH_H_
#define TOOLS_PYDEST_OUTPUT_PATH_H_

#include <string>

#include "absl/status/status.h"

namespace pydest::cli {

// OK when `path` is a writable file, or does not exist in a folder where
// files can be created. Otherwise InvalidArgument "PATH: cannot be written
// (reason)". Creates nothing.
absl::Status CheckWritable(const std::string& path);

}  // namespace pydest::cli

#endif  // TOOLS_PYDEST_OUTPUT_PATH_H_
