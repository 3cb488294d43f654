// What a pydest run did: input counters, each destination's final counters,
// how the run ended. Formats it as the short table printed on standard error,
// as the --stats-json document, and decides the exit status.
//
// Plain data and pure functions; thread-compatible.
#ifndef PYDEST_TOOLS_PYDEST_RUN_REPORT_H_
#define PYDEST_TOOLS_PYDEST_RUN_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pydest/parse.h"
#include "pydest/stats.h"
#include "tools/pydest/exit_status.h"

namespace pydest::cli {

struct DestinationReport {
  std::string name;
  std::string class_name;
  // The host's counters after Shutdown, plus the messages pydest read but
  // could not hand over because a stop signal came while the destination's
  // queue was full (added to dropped_not_accepted).
  DestinationStats stats;
  // Shutdown's error ("" = OK), e.g. a worker abandoned at the deadline.
  std::string shutdown_error;
  // Where its drops went: "file(PATH)" or "python(CLASS)"; "" without a
  // dead-letter(). With python(), the second destination's counters.
  std::string dead_letter;
  std::optional<DestinationStats> dead_letter_stats;
};

// How far one input was read: the resume point of an interrupted replay
// (--resume). Only for regular files; a pipe or terminal has no offset.
struct InputPosition {
  std::string path;
  // Bytes from the start of the file up to the end of the last line whose
  // message every destination took (the next line starts there).
  uint64_t offset = 0;
  bool complete = false;  // read to its end
  uint64_t device = 0;    // st_dev and st_ino: a resume refuses another
  uint64_t inode = 0;     // file under the same name (rotated)
};

struct InputReport {
  std::string format = "auto";
  std::vector<std::string> inputs;  // as given; "-" = standard input
  ParseStats parse;                 // every line read and parsed
  uint64_t bytes = 0;
  uint64_t empty_lines = 0;  // skipped, as syslog-ng's file() source does
  std::vector<InputPosition> positions;  // the regular files, in order
};

struct RunReport {
  InputReport input;
  std::vector<DestinationReport> destinations;
  double elapsed_seconds = 0;
  int stop_signal = 0;  // SIGINT/SIGTERM that stopped reading; 0 = none
  // Reloads of the configuration (SIGHUP) that took effect; each
  // destination's stats are then those of all its generations added up.
  int reloads = 0;
};

// kExitSomeDropped when any destination dropped a message or has a message
// without a final outcome (a worker abandoned at the deadline), else
// kExitAllDelivered.
ExitStatus RunExitStatus(const RunReport& report);

// The human summary, several lines, each ending in '\n':
//   pydest: 5 messages from 1 input in 0.02 s (0 parse errors)
//   destination      queued  delivered  dropped
//   python_to_file        5          5        0
// (after a "pydest: reloaded the configuration N times" line when it was),
// and, for a destination that dropped messages, a line per reason.
std::string FormatTable(const RunReport& report);

// The --stats-json document: {"input": {...}, "destinations": {NAME:
// DestinationStats::ToJson() + "class"}, "elapsed_seconds", "stop_signal",
// "reloads", "exit_status"}.
std::string FormatJson(const RunReport& report);

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_RUN_REPORT_H_
