// The reading side of a pydest run: every input read line by line, each
// line parsed and the message handed to the destinations that input feeds,
// waiting for room in a full queue (flow control, as syslog-ng's
// log-fifo-size under the block policy; LiveDestinations::Deliver) until
// the inputs end or a stop signal comes.
//
// Thread-safety: FeedInputs runs on one thread (pydest's main thread);
// *read_count may be read from others while it runs.
#ifndef PYDEST_TOOLS_PYDEST_FEED_INPUTS_H_
#define PYDEST_TOOLS_PYDEST_FEED_INPUTS_H_

#include <atomic>
#include <cstdint>
#include <vector>

#include "tools/pydest/input_plan.h"
#include "tools/pydest/line_reader.h"
#include "tools/pydest/live_destinations.h"
#include "tools/pydest/progress_line.h"
#include "tools/pydest/run_report.h"

namespace pydest::cli {

// Reads inputs[i] as plan[i] says (both in the same order) into the
// destinations of *live it feeds, until the inputs end or a stop signal
// comes; a reload meanwhile changes the hosts, not the plan. Counts lines
// into *read_count and *input (messages a stop left unsent are counted by
// *live); read errors are printed through `progress`. Returns false if an
// input could not be read to its end.
bool FeedInputs(const std::vector<PlannedInput>& plan,
                const std::vector<InputFile>& inputs, LiveDestinations* live,
                std::atomic<uint64_t>* read_count, ProgressLine* progress,
                InputReport* input);

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_FEED_INPUTS_H_
