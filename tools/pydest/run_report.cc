#include "tools/pydest/run_report.h"

#include <csignal>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"

namespace pydest::cli {
namespace {

std::string SignalName(int signo) {
  if (signo == SIGINT) return "SIGINT";
  if (signo == SIGTERM) return "SIGTERM";
  return absl::StrCat("signal ", signo);
}

// The reasons a message can be dropped, as the table names them
// (pydest::Outcome).
std::vector<std::string> DropReasons(const DestinationStats& s) {
  std::vector<std::string> out;
  auto add = [&out](uint64_t n, const char* what) {
    if (n > 0) out.push_back(absl::StrCat(n, " ", what));
  };
  add(s.dropped_by_destination, "by the destination (DROP)");
  add(s.dropped_retries_exhausted, "after retries");
  add(s.dropped_on_error, "on a casting error (on-error)");
  add(s.dropped_queue_overflow, "on queue overflow");
  add(s.dropped_shutdown, "at the shutdown deadline");
  add(s.dropped_not_accepted, "not accepted (stopping)");
  add(s.dropped_poison, "poison (killed the worker process)");
  return out;
}

bool Unsettled(const DestinationStats& s) {
  return s.processed < s.queued;
}

}  // namespace

ExitStatus RunExitStatus(const RunReport& report) {
  for (const DestinationReport& d : report.destinations) {
    // Kept in a disk buffer is not lost, but not delivered by this run
    // either: the next run over the buffer delivers it.
    if (d.stats.dropped() > 0 || Unsettled(d.stats) ||
        d.stats.kept_in_disk_buffer > 0) {
      return kExitSomeDropped;
    }
  }
  return kExitAllDelivered;
}

std::string FormatTable(const RunReport& report) {
  const InputReport& in = report.input;
  std::string out = absl::StrFormat(
      "pydest: %d message%s from %d input%s in %.2f s (%d parse error%s",
      in.parse.parsed, in.parse.parsed == 1 ? "" : "s", in.inputs.size(),
      in.inputs.size() == 1 ? "" : "s", report.elapsed_seconds,
      in.parse.parse_errors, in.parse.parse_errors == 1 ? "" : "s");
  if (in.parse.truncated > 0) {
    absl::StrAppend(&out, ", ", in.parse.truncated, " truncated");
  }
  absl::StrAppend(&out, ")\n");
  if (report.stop_signal != 0) {
    absl::StrAppend(&out, "pydest: stopped reading on ",
                    SignalName(report.stop_signal), "\n");
    for (const InputPosition& p : in.positions) {
      if (!p.complete) {
        absl::StrAppend(&out, "pydest: ", p.path, " was read up to byte ",
                        p.offset, " (--resume with the --stats-json file "
                        "goes on from there)\n");
      }
    }
  }
  if (report.reloads > 0) {
    absl::StrAppend(&out, "pydest: reloaded the configuration ",
                    report.reloads, report.reloads == 1 ? " time" : " times",
                    " (the counters are summed over each destination's "
                    "generations)\n");
  }
  size_t width = std::strlen("destination");
  for (const DestinationReport& d : report.destinations) {
    width = std::max(width, d.name.size());
  }
  const int w = static_cast<int>(width);
  absl::StrAppend(&out, absl::StrFormat("%-*s %10s %10s %10s\n", w,
                                        "destination", "queued", "delivered",
                                        "dropped"));
  for (const DestinationReport& d : report.destinations) {
    absl::StrAppend(&out, absl::StrFormat("%-*s %10d %10d %10d\n", w, d.name,
                                          d.stats.queued, d.stats.delivered,
                                          d.stats.dropped()));
  }
  for (const DestinationReport& d : report.destinations) {
    std::vector<std::string> reasons = DropReasons(d.stats);
    if (!reasons.empty()) {
      absl::StrAppend(&out, "  ", d.name, " dropped ",
                      absl::StrJoin(reasons, ", "), "\n");
    }
    if (d.stats.retries > 0 || d.stats.python_exceptions > 0 ||
        d.stats.reopens > 0) {
      absl::StrAppend(&out, "  ", d.name, ": ", d.stats.retries,
                      " retries, ", d.stats.reopens, " reopens, ",
                      d.stats.python_exceptions, " Python exceptions\n");
    }
    if (d.stats.worker_restarts > 0) {
      absl::StrAppend(&out, "  ", d.name, ": ", d.stats.worker_restarts,
                      " worker process restarts\n");
    }
    if (Unsettled(d.stats)) {
      absl::StrAppend(
          &out, "  ", d.name, ": ",
          d.stats.queued - d.stats.processed,
          " messages have no outcome (a worker did not finish)\n");
    }
    if (d.stats.disk_buffer_recovered > 0) {
      absl::StrAppend(&out, "  ", d.name, ": ", d.stats.disk_buffer_recovered,
                      " messages of an earlier run came from the disk buffer "
                      "(counted in queued; ",
                      d.stats.disk_buffer_possible_duplicates,
                      " may have been delivered before)\n");
    }
    if (d.stats.kept_in_disk_buffer > 0) {
      absl::StrAppend(&out, "  ", d.name, ": ", d.stats.kept_in_disk_buffer,
                      " messages kept in the disk buffer for the next run\n");
    }
    if (!d.dead_letter.empty() &&
        d.stats.dead_lettered + d.stats.dead_letter_failed > 0) {
      absl::StrAppend(&out, "  ", d.name, ": ", d.stats.dead_lettered,
                      " dropped messages went to dead-letter(", d.dead_letter,
                      ")");
      if (d.stats.dead_letter_failed > 0) {
        absl::StrAppend(&out, ", ", d.stats.dead_letter_failed,
                        " could not (lost)");
      }
      if (d.dead_letter_stats.has_value()) {
        absl::StrAppend(&out, "; it delivered ",
                        d.dead_letter_stats->delivered, " and dropped ",
                        d.dead_letter_stats->dropped());
      }
      absl::StrAppend(&out, "\n");
    }
    if (d.stats.late_completions > 0) {
      // Counted dropped at the deadline, yet send() returned afterwards.
      absl::StrAppend(&out, "  ", d.name, ": ", d.stats.late_completions,
                      " of the messages dropped at the deadline may have "
                      "been delivered after it (late completions)\n");
    }
    if (!d.shutdown_error.empty()) {
      absl::StrAppend(&out, "  ", d.name, ": shutdown: ", d.shutdown_error,
                      "\n");
    }
  }
  return out;
}

std::string FormatJson(const RunReport& report) {
  using json = nlohmann::ordered_json;
  const InputReport& in = report.input;
  json input = {
      {"format", in.format},
      {"inputs", in.inputs},
      {"lines", in.parse.parsed},
      {"parse_errors", in.parse.parse_errors},
      {"truncated", in.parse.truncated},
      {"invalid_utf8", in.parse.invalid_utf8},
      {"empty_lines", in.empty_lines},
      {"bytes", in.bytes},
  };
  json positions = json::array();
  for (const InputPosition& p : in.positions) {
    positions.push_back({{"path", p.path},
                         {"offset", p.offset},
                         {"complete", p.complete},
                         {"device", p.device},
                         {"inode", p.inode}});
  }
  input["positions"] = std::move(positions);
  json destinations = json::object();
  for (const DestinationReport& d : report.destinations) {
    json stats = json::parse(d.stats.ToJson(), nullptr, false);
    if (stats.is_discarded() || !stats.is_object()) stats = json::object();
    stats["class"] = d.class_name;
    stats["dropped"] = d.stats.dropped();
    if (!d.shutdown_error.empty()) stats["shutdown_error"] = d.shutdown_error;
    if (!d.dead_letter.empty()) {
      json dead_letter = {{"target", d.dead_letter}};
      if (d.dead_letter_stats.has_value()) {
        json second = json::parse(d.dead_letter_stats->ToJson(), nullptr, false);
        if (second.is_object()) {
          second["dropped"] = d.dead_letter_stats->dropped();
          dead_letter["stats"] = std::move(second);
        }
      }
      stats["dead_letter"] = std::move(dead_letter);
    }
    destinations[d.name] = std::move(stats);
  }
  json doc = {
      {"input", std::move(input)},
      {"destinations", std::move(destinations)},
      {"elapsed_seconds", report.elapsed_seconds},
      {"stop_signal",
       report.stop_signal == 0 ? json(nullptr)
                               : json(SignalName(report.stop_signal))},
      {"reloads", report.reloads},
      {"exit_status", static_cast<int>(RunExitStatus(report))},
  };
  // Values can hold bytes that are not UTF-8 (destination names cannot, but
  // be safe): replace rather than throw.
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace pydest::cli
