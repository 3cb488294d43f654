#include "tools/pydest/reloader.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "pydest/python_modules.h"
#include "tools/pydest/stop_signal.h"

namespace pydest::cli {
namespace {

// The new generation while it starts: one entry per chosen destination, in
// order; a disk-buffer() destination whose old host holds the buffer has
// no host yet (its index is in `deferred`).
struct NextGeneration {
  std::vector<RunningDestination> hosts;
  std::vector<size_t> deferred;
};

const RunningDestination* Named(const std::vector<RunningDestination>& all,
                                const std::string& name) {
  for (const RunningDestination& r : all) {
    if (r.config.name == name) return &r;
  }
  return nullptr;
}

// Python serves a module from sys.modules once imported: without this, the
// new hosts would run the old code (as syslog-ng's reload does). Forgotten:
// the modules of the classes and loaders() of what runs now, its python {}
// code, and whatever was imported from its python path (--python-path, the
// configuration's directory).
absl::Status ForgetModulesOf(const LoadedConfiguration& running) {
  std::vector<std::string> modules;
  std::vector<std::string> directories;
  auto add = [](std::vector<std::string>* to, const std::string& s) {
    if (!s.empty() && std::find(to->begin(), to->end(), s) == to->end()) {
      to->push_back(s);
    }
  };
  for (const ConfiguredDestination& d : running.chosen) {
    const std::string& cls = d.options.class_name;
    const size_t dot = cls.rfind('.');
    if (dot != std::string::npos) add(&modules, cls.substr(0, dot));
    for (const std::string& m : d.options.loaders) add(&modules, m);
    if (!d.options.global_code.empty()) add(&modules, "_syslogng_main");
    for (const std::string& dir : d.options.python_path) add(&directories, dir);
  }
  return ForgetPythonModules(modules, directories);
}

void ShutDownNow(std::vector<RunningDestination>& hosts, absl::Duration deadline) {
  std::vector<std::string> ignored;
  ShutdownAll(hosts, absl::Now() + deadline, &ignored);
}

}  // namespace

Reloader::Reloader(const CommandLine& cl, LoadedConfiguration running,
                   std::vector<PlannedInput> plan, LiveDestinations* live,
                   ProgressLine* progress)
    : cl_(cl),
      running_(std::move(running)),
      plan_(std::move(plan)),
      live_(live),
      progress_(progress) {}

Reloader::~Reloader() { Stop(); }

void Reloader::Start() {
  if (pipe2(quit_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    quit_pipe_[0] = quit_pipe_[1] = -1;
  }
  thread_ = std::thread([this] { Run(); });
}

void Reloader::Stop() {
  if (!thread_.joinable()) return;
  quitting_.store(true);
  const char byte = 1;
  [[maybe_unused]] ssize_t n = ::write(quit_pipe_[1], &byte, 1);
  thread_.join();
  ::close(quit_pipe_[0]);
  ::close(quit_pipe_[1]);
  quit_pipe_[0] = quit_pipe_[1] = -1;
}

bool Reloader::Abandoning() const {
  return quitting_.load() || StopRequested();
}

void Reloader::Say(const std::string& text) { progress_->Print(text); }

void Reloader::Fail(const std::string& why) {
  std::string text = why;
  // Messages may end in a traceback's newline.
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  Say(absl::StrCat("pydest: reload failed, keeping the running "
                   "configuration: ", text));
}

void Reloader::Run() {
  for (;;) {
    // A stop signal does not end this thread: a reload it interrupts
    // finishes or is abandoned, and Stop() ends the wait.
    struct pollfd fds[2] = {{quit_pipe_[0], POLLIN, 0},
                            {ReloadWakeFd(), POLLIN, 0}};
    if (quitting_.load()) return;
    if (::poll(fds, 2, -1) < 0) continue;
    if (quitting_.load()) return;
    if (TakeReloadRequest() && !StopRequested()) Reload();
  }
}

void Reloader::Reload() {
  // (a) The configuration, read as at start, its modules imported anew.
  if (absl::Status s = ForgetModulesOf(running_); !s.ok()) {
    Say(absl::StrCat("pydest: reload: the running configuration's Python "
                     "modules stay imported: ", s.message()));
  }
  absl::StatusOr<LoadedConfiguration> next = LoadConfiguration(cl_, true);
  if (!next.ok()) return Fail(std::string(next.status().message()));
  if (Abandoning()) {
    return Say("pydest: reload abandoned: stopping");
  }
  if (!SameInputs(plan_, PlanInputs(cl_, next->config, next->chosen))) {
    Say("pydest: reload: the configuration's inputs changed; pydest goes on "
        "reading the inputs it started with, into the destinations they fed "
        "then (changing sources needs a restart)");
  }

  // (b) Its hosts started while the running ones go on.
  NextGeneration gen;
  for (size_t i = 0; i < next->chosen.size(); ++i) {
    const ConfiguredDestination& d = next->chosen[i];
    const ConfiguredDestination* running = nullptr;
    for (const ConfiguredDestination& r : running_.chosen) {
      if (r.name == d.name) running = &r;
    }
    // The old host holds the buffer's lock until it is shut down.
    const bool deferred = d.options.disk_buffer.has_value() &&
                          running != nullptr &&
                          running->options.disk_buffer.has_value();
    ConfiguredDestination tried = d;
    if (deferred) tried.options.disk_buffer.reset();
    absl::StatusOr<RunningDestination> started =
        StartOne(tried, cl_.log_level, progress_);
    if (!started.ok()) {
      ShutDownNow(gen.hosts, cl_.deadline);
      return Fail(std::string(started.status().message()));
    }
    if (deferred) {
      // Tried: it imports and initialises. Gone again, for the real one.
      std::vector<RunningDestination> trial;
      trial.push_back(std::move(*started));
      ShutDownNow(trial, cl_.deadline);
      RunningDestination waiting;
      waiting.config = d;
      gen.hosts.push_back(std::move(waiting));
      gen.deferred.push_back(i);
    } else {
      gen.hosts.push_back(std::move(*started));
    }
    if (Abandoning()) {
      ShutDownNow(gen.hosts, cl_.deadline);
      return Say("pydest: reload abandoned: stopping");
    }
  }

  // (d) The switch: no message reaches any host until it is over.
  std::vector<RunningDestination> retired;
  {
    std::unique_ptr<LiveDestinations::Switch> pause = live_->Pause();
    std::vector<RunningDestination>& old = pause->running();
    for (RunningDestination& o : old) {
      const RunningDestination* successor = Named(gen.hosts, o.config.name);
      if (o.carry != nullptr && successor != nullptr &&
          successor->host != nullptr) {
        o.carry->Collect();
      }
    }
    // Whatever their queues hold is delivered by the deadline, or dropped
    // and carried over below.
    std::vector<std::string> errors;
    ShutdownAll(old, absl::Now() + cl_.deadline, &errors);
    for (size_t i = 0; i < old.size(); ++i) {
      if (!errors[i].empty()) {
        Say(absl::StrCat("pydest: reload: destination '", old[i].config.name,
                         "' did not shut down cleanly: ", errors[i]));
      }
    }
    for (size_t i : gen.deferred) {
      for (size_t k = 0; k < old.size(); ++k) {
        if (old[k].config.name == next->chosen[i].name) pause->Release(k);
      }
      absl::StatusOr<RunningDestination> started =
          StartOne(next->chosen[i], cl_.log_level, progress_);
      if (!started.ok()) {
        // Started a moment ago without its buffer: rare, and too late to
        // keep the old host. Its messages count as not accepted until a
        // later reload starts it.
        Say(absl::StrCat("pydest: reload: ", started.status().message(),
                         " (over its disk buffer, after its old host shut "
                         "down); it receives nothing until the next reload"));
        continue;
      }
      gen.hosts[i] = std::move(*started);
    }
    std::map<std::string, HandedOn> handed_on;
    for (RunningDestination& o : old) {
      auto successor = std::find_if(
          gen.hosts.begin(), gen.hosts.end(), [&o](const RunningDestination& r) {
            return r.config.name == o.config.name;
          });
      if (successor == gen.hosts.end() || successor->host == nullptr ||
          (o.host == nullptr && !o.last_stats.has_value())) {
        continue;
      }
      HandedOn& h = handed_on[o.config.name];
      // First in, before any new input; a stop leaves the rest dropped.
      const std::vector<Message> carried = o.carry->Take();
      h.carried = HandOver(*successor, carried, [] { return StopRequested(); });
      if (successor->config.options.disk_buffer.has_value()) {
        const DestinationStats last =
            o.host != nullptr ? o.host->stats() : *o.last_stats;
        h.kept = std::min(last.kept_in_disk_buffer,
                          successor->host->stats().disk_buffer_recovered);
      }
    }
    retired = pause->Replace(std::move(gen.hosts), errors, handed_on);
  }
  retired.clear();  // the old hosts, shut down already
  const size_t n = next->chosen.size();
  running_ = std::move(*next);
  reloads_.fetch_add(1);
  Say(absl::StrCat("pydest: reloaded ", cl_.config_file, ": ", n,
                   n == 1 ? " destination" : " destinations"));
}

}  // namespace pydest::cli
