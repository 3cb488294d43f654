// pydest: runs the Python destinations of a syslog-ng configuration outside
// syslog-ng, replaying log lines from files or standard input into them.
// See docs/pydest.md and `pydest --help`.
//
// The flow: parse the command line and the configuration (exit 2 on error),
// start one PyDestinationHost per selected python() destination (exit 3 if
// one fails), read and parse lines and hand every message to every host,
// then shut the hosts down with the --deadline and report the counters.
// SIGHUP meanwhile reloads the configuration (reloader.h).
// This file holds that flow and --check; the hosts are started and shut
// down in running_destinations.cc, swapped in live_destinations.cc, the
// inputs read in feed_inputs.cc.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "pydest/config.h"
#include "pydest/host.h"
#include "pydest/metrics.h"
#include "pydest/process.h"
#include "tools/pydest/args.h"
#include "tools/pydest/destination_plan.h"
#include "tools/pydest/exit_status.h"
#include "tools/pydest/fatal_signal.h"
#include "tools/pydest/feed_inputs.h"
#include "tools/pydest/input_plan.h"
#include "tools/pydest/metrics_server.h"
#include "tools/pydest/output_path.h"
#include "tools/pydest/resume.h"
#include "tools/pydest/line_reader.h"
#include "tools/pydest/load_configuration.h"
#include "tools/pydest/live_destinations.h"
#include "tools/pydest/progress_line.h"
#include "tools/pydest/reloader.h"
#include "tools/pydest/run_report.h"
#include "tools/pydest/running_destinations.h"
#include "tools/pydest/stop_signal.h"

#ifndef PYDEST_VERSION
#define PYDEST_VERSION "unknown"
#endif

namespace pydest::cli {
namespace {

void Error(std::string text) {
  // Status messages may end in a traceback's newline.
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  std::fprintf(stderr, "pydest: %s\n", text.c_str());
}

void Error(absl::string_view text) { Error(std::string(text)); }

// What would run, from the configuration alone: shown by --check (before
// any class loads, so also when one then fails) and by --syntax-only.
void PrintPlan(const Config& config,
               const std::vector<ConfiguredDestination>& chosen) {
  for (const std::string& note : config.notes) Error(absl::StrCat("note: ", note));
  // What would run comes first, from the configuration alone, so that it is
  // shown even when a class then fails to load.
  for (const ConfiguredDestination& d : chosen) {
    // pydest feeds every destination; syslog-ng would leave one that no
    // log {} path names without messages. Say so.
    bool in_path = std::find(config.used_in_log_paths.begin(),
                             config.used_in_log_paths.end(),
                             d.name) != config.used_in_log_paths.end();
    std::printf("%s%s\n", DescribeDestination(d).c_str(),
                in_path ? "" : " (in no log path)");
  }
  if (!chosen.empty()) {
    std::printf("module search path: %s\n",
                absl::StrJoin(chosen.front().options.python_path, ":").c_str());
  }
  std::fflush(stdout);
}

// -s/--syntax-only: the configuration parsed, nothing run.
int RunSyntaxOnly(const Config& config,
                  const std::vector<ConfiguredDestination>& chosen,
                  const CommandLine& cl) {
  PrintPlan(config, chosen);
  std::printf("%s: syntax OK, %zu python() destination%s (no Python code "
              "ran; --check also imports and initialises them)\n",
              cl.config_file.c_str(), chosen.size(),
              chosen.size() == 1 ? "" : "s");
  return kExitAllDelivered;
}

int RunCheck(const Config& config,
             const std::vector<ConfiguredDestination>& chosen,
             const CommandLine& cl) {
  PrintPlan(config, chosen);
  ProgressLine quiet(false);
  std::vector<RunningDestination> running;
  absl::Status started = StartAll(chosen, cl.log_level, &quiet, &running);
  std::vector<std::string> errors;
  ShutdownAll(running, absl::Now() + cl.deadline, &errors);
  if (!started.ok()) {
    Error(started.message());
    return kExitDestinationFailed;
  }
  int status = kExitAllDelivered;
  for (size_t i = 0; i < running.size(); ++i) {
    if (!errors[i].empty()) {
      Error(absl::StrCat("destination '", running[i].config.name,
                         "' did not shut down cleanly: ", errors[i]));
      status = kExitDestinationFailed;
    }
  }
  if (status == kExitAllDelivered) {
    std::printf("%s: OK, %zu python() destination%s would run\n",
                cl.config_file.c_str(), running.size(),
                running.size() == 1 ? "" : "s");
  }
  return status;
}

int Run(const CommandLine& cl) {
  absl::StatusOr<LoadedConfiguration> loaded =
      LoadConfiguration(cl, /*run_python=*/!cl.syntax_only);
  if (!loaded.ok()) {
    Error(loaded.status().message());
    return kExitUsageError;
  }
  const Config& config = loaded->config;
  const std::vector<ConfiguredDestination>& chosen = loaded->chosen;
  if (cl.syntax_only) return RunSyntaxOnly(config, chosen, cl);
  if (cl.check) return RunCheck(config, chosen, cl);

  // Where the stats go is checked before anything is read: a typo there
  // must not cost a whole run.
  if (!cl.stats_json_file.empty()) {
    if (absl::Status s = CheckWritable(cl.stats_json_file); !s.ok()) {
      Error(s.message());
      return kExitUsageError;
    }
  }

  // The metrics endpoint is bound before anything is read too. It serves
  // the destinations once they have started (none before), every
  // generation summed across reloads; it is declared after `live`, so it
  // stops before they go.
  std::unique_ptr<LiveDestinations> live;
  absl::Mutex metrics_mu;
  LiveDestinations* metrics_source = nullptr;  // guarded by metrics_mu
  std::unique_ptr<MetricsServer> metrics;
  if (cl.metrics_listen) {
    absl::StatusOr<std::unique_ptr<MetricsServer>> started =
        MetricsServer::Start(cl.metrics_host, cl.metrics_port, [&] {
          std::vector<NamedDestinationStats> out;
          absl::MutexLock lock(&metrics_mu);
          if (metrics_source == nullptr) return out;
          // Totals is safe against a reload's swap of the hosts.
          for (DestinationTotals& t : metrics_source->Totals()) {
            out.push_back({t.name, t.stats});
            if (t.dead_letter_stats.has_value()) {
              out.push_back({absl::StrCat(t.name, ".dead-letter"),
                             *t.dead_letter_stats});
            }
          }
          return out;
        });
    if (!started.ok()) {
      Error(started.status().message());
      return kExitUsageError;
    }
    metrics = std::move(*started);
    const bool v6 = cl.metrics_host.find(':') != std::string::npos;
    Error(absl::StrCat("serving metrics on http://", v6 ? "[" : "",
                       cl.metrics_host, v6 ? "]" : "", ":", metrics->port(),
                       "/metrics"));
  }

  // Every input is opened before anything starts: a typo in a file name is
  // a usage error, not a half-done run.
  std::vector<PlannedInput> plan = PlanInputs(cl, config, chosen);
  std::vector<std::string> names;
  std::vector<InputFile> inputs;
  for (const PlannedInput& planned : plan) {
    absl::StatusOr<InputFile> in = InputFile::Open(planned.path);
    if (!in.ok()) {
      Error(in.status().message());
      return kExitUsageError;
    }
    names.push_back(planned.path);
    inputs.push_back(std::move(*in));
  }
  if (!cl.resume_file.empty()) {
    std::vector<std::string> notes;
    if (absl::Status s = ApplyResume(cl.resume_file, inputs, &notes);
        !s.ok()) {
      Error(s.message());
      return kExitUsageError;
    }
    for (const std::string& note : notes) Error(note);
  }

  const absl::Time started_at = absl::Now();
  ProgressLine progress(isatty(STDERR_FILENO) == 1);
  {
    std::vector<RunningDestination> running;
    if (absl::Status s = StartAll(chosen, cl.log_level, &progress, &running);
        !s.ok()) {
      std::vector<std::string> ignored;
      ShutdownAll(running, absl::Now() + cl.deadline, &ignored);
      Error(s.message());
      return kExitDestinationFailed;
    }
    live = std::make_unique<LiveDestinations>(std::move(running));
    absl::MutexLock lock(&metrics_mu);
    metrics_source = live.get();
  }

  RunReport report;
  report.input.format = cl.format_name;
  report.input.inputs = names;
  // The fatal-signal line reads it too.
  std::atomic<uint64_t>& read_count = FatalCounts().read;
  progress.Start([&live, &read_count] {
    ProgressSample s;
    s.read = read_count.load(std::memory_order_relaxed);
    for (const DestinationTotals& t : live->Totals()) {
      s.delivered += t.stats.delivered;
      s.dropped += t.stats.dropped();
      s.queued += t.stats.queue_depth;
    }
    return s;
  });

  // SIGHUP from here on reloads the configuration (reloader.h); the inputs
  // stay those of `plan`.
  Reloader reloader(cl, std::move(*loaded), plan, live.get(), &progress);
  reloader.Start();
  const bool read_ok =
      FeedInputs(plan, inputs, live.get(), &read_count, &progress,
                 &report.input);
  TakePendingStopSignal();
  report.stop_signal = StopSignal();
  // A reload under way is finished or abandoned before the hosts go.
  reloader.Stop();
  report.reloads = reloader.reloads();
  if (report.stop_signal != 0) {
    progress.Print(absl::StrCat("pydest: stopping: delivering what is queued "
                                "(deadline ",
                                absl::FormatDuration(cl.deadline), ")"));
  }

  // The progress line stays while the queues drain: with a slow
  // destination, most of a run can be this part.
  live->ShutdownAll(absl::Now() + cl.deadline);
  progress.Stop();
  report.elapsed_seconds = absl::ToDoubleSeconds(absl::Now() - started_at);
  for (DestinationTotals& t : live->Totals()) {
    DestinationReport d;
    d.name = std::move(t.name);
    d.class_name = std::move(t.class_name);
    d.stats = t.stats;
    d.shutdown_error = std::move(t.shutdown_error);
    d.dead_letter = std::move(t.dead_letter);
    d.dead_letter_stats = t.dead_letter_stats;
    report.destinations.push_back(std::move(d));
  }

  std::fputs(FormatTable(report).c_str(), stderr);
  int status = RunExitStatus(report);
  if (!cl.stats_json_file.empty()) {
    std::string json = FormatJson(report);
    FILE* f = std::fopen(cl.stats_json_file.c_str(), "w");
    if (f == nullptr || std::fwrite(json.data(), 1, json.size(), f) !=
                            json.size() || std::fclose(f) != 0) {
      Error(absl::StrCat(cl.stats_json_file, ": cannot write the statistics"));
      return kExitUsageError;
    }
  }
  if (!read_ok) return kExitUsageError;
  return status;
}

}  // namespace
}  // namespace pydest::cli

int main(int argc, char** argv) {
  using namespace pydest::cli;
  // Debian builds abseil with its debug-mode lock-order tracking, which
  // costs a graph look-up on every lock: a few per message here. The tests
  // keep it; the command does not need it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  // Before any thread and before Python: every thread inherits the blocked
  // stop signals, and faulthandler chains to the fatal-signal line.
  StartStopSignalThread();
  InstallFatalSignalReport();
  // A file size limit (ulimit -f) makes a write that passes it fail with
  // EFBIG, which a disk buffer or dead-letter file handles as a full disk,
  // instead of killing pydest with SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  pydest::SetDestinationExitStatus(kExitDestinationEnded);
  absl::StatusOr<CommandLine> cl = ParseCommandLine(argc, argv);
  if (!cl.ok()) {
    std::fprintf(stderr, "pydest: %s\nTry 'pydest --help'.\n",
                 std::string(cl.status().message()).c_str());
    return kExitUsageError;
  }
  if (cl->help) {
    std::fputs(Usage(), stdout);
    return kExitAllDelivered;
  }
  if (cl->version) {
    std::printf("pydest (libpydest) %s\n", PYDEST_VERSION);
    return kExitAllDelivered;
  }
  return Run(*cl);
}
