#include "tools/pydest/running_destinations.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "tools/pydest/fatal_signal.h"

namespace pydest::cli {
namespace {

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

}  // namespace

// Shuts every host down at once, so that one slow destination does not eat
// the others' share of the deadline. The first one on this thread: deinit()
// runs on the thread that calls Shutdown, and syslog-ng calls it from its
// main thread, so a single destination sees the same.
void ShutdownAll(std::vector<RunningDestination>& running,
                 absl::Time deadline, std::vector<std::string>* errors) {
  errors->assign(running.size(), "");
  auto shutdown = [&running, errors, deadline](size_t i) {
    if (running[i].host == nullptr) return;
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

absl::StatusOr<RunningDestination> StartOne(const ConfiguredDestination& d,
                                            LogRecord::Level log_level,
                                            ProgressLine* progress) {
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
  auto carry = std::make_shared<CarryOver>();
  options.on_outcome_report = [carry](const Message& m,
                                      const OutcomeReport& report) {
    carry->Offer(m, report);
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
  r.carry = std::move(carry);
  return r;
}

absl::Status StartAll(const std::vector<ConfiguredDestination>& chosen,
                      LogRecord::Level log_level, ProgressLine* progress,
                      std::vector<RunningDestination>* running) {
  for (const ConfiguredDestination& d : chosen) {
    absl::StatusOr<RunningDestination> r = StartOne(d, log_level, progress);
    if (!r.ok()) return r.status();
    running->push_back(std::move(*r));
  }
  return absl::OkStatus();
}

// TrySendBatch polled with a short sleep instead of a blocking Send, so that
// give_up (a stop signal, a reload's pause) is noticed even when a suspended
// destination holds the queue full. The pause stays short (at most 1 ms,
// about a thousand messages at full speed) so that the room a worker makes
// is taken soon.
size_t HandOver(RunningDestination& r, absl::Span<const Message> messages,
                const std::function<bool()>& give_up) {
  std::vector<uint64_t> contexts;
  auto try_send = [&r, &contexts](absl::Span<const Message> rest) {
    contexts.resize(rest.size());
    const uint64_t first = r.carry->NextContexts(rest.size());
    for (size_t i = 0; i < rest.size(); ++i) contexts[i] = first + i;
    const size_t taken = r.host->TrySendBatch(rest, contexts);
    FatalCounts().expected.fetch_add(taken, std::memory_order_relaxed);
    return taken;
  };
  size_t done = try_send(messages);
  absl::Duration pause = absl::Microseconds(50);
  while (done < messages.size() && !give_up()) {
    absl::SleepFor(pause);
    const size_t more = try_send(messages.subspan(done));
    done += more;
    pause = more > 0 ? absl::Microseconds(50)
                     : std::min(pause * 2, absl::Milliseconds(1));
  }
  return done;
}

std::string DeadLetterTarget(const DestinationOptions& options) {
  if (!options.dead_letter.has_value()) return "";
  if (options.dead_letter->python != nullptr) {
    return absl::StrCat("python(", options.dead_letter->python->class_name,
                        ")");
  }
  return absl::StrCat("file(", options.dead_letter->file, ")");
}

}  // namespace pydest::cli
