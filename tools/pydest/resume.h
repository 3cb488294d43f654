// --resume STATS.json: an interrupted replay goes on where it stopped. The
// stats JSON of the earlier run ("input.positions", written by
// --stats-json) says how far each regular file was read; each input of
// this run with the same path is moved there before anything is read.
//
// Thread-safety: a stateless function.
#ifndef TOOLS_PYDEST_RESUME_H_
#define TOOLS_PYDEST_RESUME_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/pydest/line_reader.h"

namespace pydest::cli {

// Seeks each of `inputs` that the stats file names to its recorded offset;
// inputs it does not name start at their beginning. Appends one line per
// moved input to *notes ("in.log: resuming at byte N"). InvalidArgument,
// naming the file, when the stats file cannot be read or is not a pydest
// stats JSON, or when an input is not the file that was read (another
// device/inode under the same name: rotated) or is now shorter than the
// offset (truncated).
absl::Status ApplyResume(const std::string& stats_json_path,
                         const std::vector<InputFile>& inputs,
                         std::vector<std::string>* notes);

}  // namespace pydest::cli

#endif  // TOOLS_PYDEST_RESUME_H_
