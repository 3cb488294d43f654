// pydest's reload on SIGHUP (docs/pydest.md, "Reloading on SIGHUP"): the
// configuration read again as at start, the changed Python modules
// imported anew, new hosts started beside the running ones, and only when
// all of them started, a switch: the input paused, the old hosts shut down
// with --deadline, what their shutdown dropped handed to the new hosts
// first, the input resumed. A reload that fails changes nothing but a line
// on standard error.
//
// A destination with a disk-buffer() cannot have two hosts over its buffer
// (the files are locked): its new configuration is tried first with a
// memory queue (init() and open() run, then deinit()), and its real host
// starts after the old one is down, so init() runs twice for it.
//
// The input plan stays the start's: which files are read, and which
// destinations their messages go to, need a restart.
//
// Thread-safety: Start and Stop from the thread that owns the Reloader;
// the reloads run on a thread of its own. reloads() from any thread.
#ifndef PYDEST_TOOLS_PYDEST_RELOADER_H_
#define PYDEST_TOOLS_PYDEST_RELOADER_H_

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tools/pydest/args.h"
#include "tools/pydest/input_plan.h"
#include "tools/pydest/live_destinations.h"
#include "tools/pydest/load_configuration.h"
#include "tools/pydest/progress_line.h"

namespace pydest::cli {

class Reloader {
 public:
  // `running` is the configuration *live runs now, `plan` the inputs read
  // from it. Messages go to standard error through `progress`. All of them
  // must outlive the Reloader.
  Reloader(const CommandLine& cl, LoadedConfiguration running,
           std::vector<PlannedInput> plan, LiveDestinations* live,
           ProgressLine* progress);
  ~Reloader();  // Stop()
  Reloader(const Reloader&) = delete;
  Reloader& operator=(const Reloader&) = delete;

  // Starts the thread that waits for SIGHUP; a SIGHUP that came before
  // reloads at once.
  void Start();

  // Ends that thread. A reload under way is abandoned while its new hosts
  // start (they are shut down, the running ones stay), finished once the
  // switch began. Idempotent.
  void Stop();

  // How many reloads took effect.
  int reloads() const { return reloads_.load(); }

 private:
  void Run();
  void Reload();
  // Whether a reload under way should give up: a stop signal, or Stop().
  bool Abandoning() const;
  void Say(const std::string& text);
  void Fail(const std::string& why);

  const CommandLine& cl_;
  LoadedConfiguration running_;  // only the reloading thread uses it
  const std::vector<PlannedInput> plan_;
  LiveDestinations* const live_;
  ProgressLine* const progress_;
  int quit_pipe_[2] = {-1, -1};
  std::atomic<bool> quitting_{false};
  std::atomic<int> reloads_{0};
  std::thread thread_;
};

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_RELOADER_H_
