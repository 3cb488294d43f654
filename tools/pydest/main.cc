// pydest: runs the Python destinations of a syslog-ng configuration outside
// syslog-ng, replaying log lines from files or standard input into them.
// See docs/pydest.md and `pydest --help`.
//
// The flow: parse the command line and the configuration (exit 2 on error),
// start one PyDestinationHost per selected python() destination (exit 3 if
// one fails), read and parse lines and hand every message to every host,
// then shut the hosts down with the --deadline and report the counters.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pydest/config.h"
#include "pydest/config_generators.h"
#include "pydest/host.h"
#include "pydest/parse.h"
#include "pydest/process.h"
#include "tools/pydest/args.h"
#include "tools/pydest/destination_plan.h"
#include "tools/pydest/exit_status.h"
#include "tools/pydest/fatal_signal.h"
#include "tools/pydest/line_reader.h"
#include "tools/pydest/progress_line.h"
#include "tools/pydest/run_report.h"
#include "tools/pydest/input_plan.h"
#include "tools/pydest/stop_signal.h"

#ifndef PYDEST_VERSION
#define PYDEST_VERSION "unknown"
#endif

namespace pydest::cli {
namespace {

struct RunningDestination {
  ConfiguredDestination config;
  std::unique_ptr<PyDestinationHost> host;
  // Read but not handed to this host: a stop signal came while its queue
  // was full (reported as dropped, not accepted).
  uint64_t not_sent = 0;
};

void Error(std::string text) {
  // Status messages may end in a traceback's newline.
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  std::fprintf(stderr, "pydest: %s\n", text.c_str());
}

void Error(absl::string_view text) { Error(std::string(text)); }

const char* LevelName(LogRecord::Level level) {
  switch (level) {
    case LogRecord::Level::kTrace: return "trace";
    case LogRecord::Level::kDebug: return "debug";
    case LogRecord::Level::kInfo: return "info";
    case LogRecord::Level::kWarning: return "warning";
    case LogRecord::Level::kError: return "error";
  }
  return "?";
}

// The host's own logging (syslog-ng's internal() messages), one record per
// line on standard error like syslog-ng -F -e prints them; tracebacks follow.
std::string FormatLogRecord(const std::string& destination,
                            const LogRecord& record) {
  std::string out = absl::StrCat("pydest: ", destination, ": ",
                                 LevelName(record.level), ": ", record.text);
  for (const auto& [name, value] : record.tags) {
    absl::StrAppend(&out, "; ", name, "='", value, "'");
  }
  if (!record.traceback.empty()) {
    absl::StrAppend(&out, "\n", record.traceback);
    if (out.back() == '\n') out.pop_back();
  }
  return out;
}

// Messages parsed from lines already read are handed over together, up to
// this many, and always before the reader waits for more input: one queue
// lock per run of messages instead of one per message.
constexpr size_t kHandOverBatch = 64;

// Hands `messages` to `host`, waiting for room when its queue is full
// (log-fifo-size under the block policy, as syslog-ng's flow control would).
// TrySendBatch polled with a short sleep instead of a blocking Send, so that
// a stop signal is noticed even when a suspended destination holds the
// queue full. Returns how many were handed over: all of them, unless a stop
// came first. The pause stays short (at most 1 ms, about a thousand
// messages at full speed) so that the room a worker makes is taken soon.
size_t HandOver(PyDestinationHost& host, absl::Span<const Message> messages) {
  size_t done = host.TrySendBatch(messages);
  absl::Duration pause = absl::Microseconds(50);
  while (done < messages.size() && !StopRequested()) {
    absl::SleepFor(pause);
    const size_t more = host.TrySendBatch(messages.subspan(done));
    done += more;
    pause = more > 0 ? absl::Microseconds(50)
                     : std::min(pause * 2, absl::Milliseconds(1));
  }
  return done;
}

// Shuts every host down at once, so that one slow destination does not eat
// the others' share of the deadline. The first one on this thread: deinit()
// runs on the thread that calls Shutdown, and syslog-ng calls it from its
// main thread, so a single destination sees the same.
void ShutdownAll(std::vector<RunningDestination>& running,
                 absl::Time deadline, std::vector<std::string>* errors) {
  errors->assign(running.size(), "");
  auto shutdown = [&running, errors, deadline](size_t i) {
    absl::Status s = running[i].host->Shutdown(deadline);
    if (!s.ok()) (*errors)[i] = s.ToString();
  };
  std::vector<std::thread> threads;
  for (size_t i = 1; i < running.size(); ++i) {
    threads.emplace_back(shutdown, i);
  }
  if (!running.empty()) shutdown(0);
  for (std::thread& t : threads) t.join();
}

absl::Status StartAll(const std::vector<ConfiguredDestination>& chosen,
                      LogRecord::Level log_level, ProgressLine* progress,
                      std::vector<RunningDestination>* running) {
  for (const ConfiguredDestination& d : chosen) {
    DestinationOptions options = d.options;
    std::string name = d.name;
    options.name = name;
    options.log_sink = [progress, name, log_level](const LogRecord& record) {
      // Levels are ordered trace < debug < info < warning < error.
      if (static_cast<int>(record.level) < static_cast<int>(log_level)) return;
      progress->Print(FormatLogRecord(name, record));
    };
    // For the fatal-signal line: outcomes counted without a lock.
    options.on_outcome = [](const Message&, Outcome) {
      FatalCounts().settled.fetch_add(1, std::memory_order_relaxed);
    };
    absl::StatusOr<std::unique_ptr<PyDestinationHost>> host =
        PyDestinationHost::Create(options);
    if (!host.ok()) {
      // A NUL in class() would cut the printed line.
      const std::string shown = absl::StrReplaceAll(
          d.options.class_name, {{absl::string_view("\0", 1), "\\x00"}});
      return absl::Status(
          host.status().code(),
          absl::StrCat("destination '", name, "' (class ", shown,
                       ") failed to start: ", host.status().message()));
    }
    RunningDestination r;
    r.config = d;
    r.config.options = std::move(options);
    r.host = std::move(*host);
    running->push_back(std::move(r));
  }
  return absl::OkStatus();
}

// The destinations of `running` that `planned` feeds.
std::vector<RunningDestination*> Receivers(
    const PlannedInput& planned, std::vector<RunningDestination>* running) {
  std::vector<RunningDestination*> out;
  for (RunningDestination& r : *running) {
    if (planned.destinations.empty() ||
        std::find(planned.destinations.begin(), planned.destinations.end(),
                  r.config.name) != planned.destinations.end()) {
      out.push_back(&r);
    }
  }
  return out;
}

// Reads every input line by line, parses each line and hands the message to
// the destinations that input feeds, until the inputs end or a stop signal
// comes. Counts into *input; false if an input could not be read to its end.
bool FeedInputs(const std::vector<PlannedInput>& plan,
                const std::vector<InputFile>& inputs,
                std::vector<RunningDestination>* running,
                std::atomic<uint64_t>* read_count, ProgressLine* progress,
                InputReport* input) {
  bool ok = true;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (StopRequested()) break;
    const InputFile& in = inputs[i];
    ParseOptions options = plan[i].options;
    const InputFormat format = plan[i].format;
    const std::vector<RunningDestination*> receivers =
        Receivers(plan[i], running);
    LineReader reader(in.fd(), options.max_line_size, &StopRequested);
    reader.set_wake_fd(StopWakeFd());
    std::vector<Message> pending;
    pending.reserve(kHandOverBatch);
    auto hand_over = [&pending, &receivers] {
      for (RunningDestination* r : receivers) {
        r->not_sent += pending.size() - HandOver(*r->host, pending);
      }
      pending.clear();
    };
    reader.set_before_read(hand_over);
    uint64_t reads = 0;
    std::string_view line;
    LineReader::Result result;
    while ((result = reader.Next(&line)) == LineReader::Result::kLine) {
      if (reader.reads() != reads) {
        // The lines of one read() were received together, as syslog-ng's
        // sources stamp a fetched batch with one clock reading.
        reads = reader.reads();
        options.received = absl::Now();
      }
      pending.push_back(ParseLine(line, format, options, &input->parse));
      read_count->fetch_add(1, std::memory_order_relaxed);
      FatalCounts().expected.fetch_add(receivers.size(),
                                       std::memory_order_relaxed);
      if (pending.size() == kHandOverBatch) hand_over();
    }
    hand_over();
    input->bytes += reader.bytes_read();
    input->empty_lines += reader.empty_lines();
    if (result == LineReader::Result::kError) {
      progress->Print(absl::StrCat("pydest: ", in.path(), ": ", reader.error()));
      ok = false;
    }
  }
  return ok;
}

int RunCheck(const Config& config,
             const std::vector<ConfiguredDestination>& chosen,
             const CommandLine& cl) {
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
  ConfigReadOptions read_options;
  read_options.include_path = cl.include_path;
  // Drivers that python {} code defines with register_config_generator;
  // its modules are found where the destinations' are.
  DestinationOptions search;
  SetPythonPath(cl.python_path, cl.config_file, &search);
  read_options.config_generators = PythonConfigGenerators(search.python_path);
  absl::StatusOr<Config> config = ParseConfigFile(cl.config_file, read_options);
  if (!config.ok()) {
    Error(config.status().message());
    return kExitUsageError;
  }
  absl::StatusOr<std::vector<ConfiguredDestination>> chosen =
      SelectDestinations(*config, cl.destinations);
  if (!chosen.ok()) {
    Error(absl::StrCat(cl.config_file, ": ", chosen.status().message()));
    return kExitUsageError;
  }
  for (ConfiguredDestination& d : *chosen) {
    SetPythonPath(cl.python_path, cl.config_file, &d.options);
  }
  if (cl.check) return RunCheck(*config, *chosen, cl);

  // Every input is opened before anything starts: a typo in a file name is
  // a usage error, not a half-done run.
  const std::vector<PlannedInput> plan = PlanInputs(cl, *config, *chosen);
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

  const absl::Time started_at = absl::Now();
  ProgressLine progress(isatty(STDERR_FILENO) == 1);
  std::vector<RunningDestination> running;
  if (absl::Status s = StartAll(*chosen, cl.log_level, &progress, &running);
      !s.ok()) {
    std::vector<std::string> ignored;
    ShutdownAll(running, absl::Now() + cl.deadline, &ignored);
    Error(s.message());
    return kExitDestinationFailed;
  }

  RunReport report;
  report.input.format = cl.format_name;
  report.input.inputs = names;
  // The fatal-signal line reads it too.
  std::atomic<uint64_t>& read_count = FatalCounts().read;
  progress.Start([&running, &read_count] {
    ProgressSample s;
    s.read = read_count.load(std::memory_order_relaxed);
    for (const RunningDestination& r : running) {
      DestinationStats st = r.host->stats();
      s.delivered += st.delivered;
      s.dropped += st.dropped();
      s.queued += st.queue_depth;
    }
    return s;
  });

  const bool read_ok =
      FeedInputs(plan, inputs, &running, &read_count, &progress,
                 &report.input);
  TakePendingStopSignal();
  report.stop_signal = StopSignal();
  if (report.stop_signal != 0) {
    progress.Print(absl::StrCat("pydest: stopping: delivering what is queued "
                                "(deadline ",
                                absl::FormatDuration(cl.deadline), ")"));
  }

  // The progress line stays while the queues drain: with a slow
  // destination, most of a run can be this part.
  std::vector<std::string> shutdown_errors;
  ShutdownAll(running, absl::Now() + cl.deadline, &shutdown_errors);
  progress.Stop();
  report.elapsed_seconds = absl::ToDoubleSeconds(absl::Now() - started_at);
  for (size_t i = 0; i < running.size(); ++i) {
    DestinationReport d;
    d.name = running[i].config.name;
    d.class_name = running[i].config.options.class_name;
    d.stats = running[i].host->stats();
    d.stats.dropped_not_accepted += running[i].not_sent;
    d.shutdown_error = shutdown_errors[i];
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
