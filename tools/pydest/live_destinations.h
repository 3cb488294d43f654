// The destinations of a running pydest, one generation of each at a time
// (a reload on SIGHUP replaces them): what the inputs feed (Deliver), what
// the metrics endpoint, the progress line and the report read (Totals), and
// what a reload swaps (Pause, then Switch::Replace).
//
// Two locks, so that a scrape never waits for a switch: the hand-over gate,
// held shared by the feeding threads while they hand messages over and
// exclusively by a Switch for as long as the old hosts take to shut down;
// and the counters' lock, held briefly by Totals and by Replace. The
// running generation changes only under both.
//
// Thread-safety: Deliver from any number of feeding threads at once;
// Totals from any thread; Pause from one thread at a time (the reloading
// one); ShutdownAll once, after the feeding and reloading threads ended.
#ifndef PYDEST_TOOLS_PYDEST_LIVE_DESTINATIONS_H_
#define PYDEST_TOOLS_PYDEST_LIVE_DESTINATIONS_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pydest/message.h"
#include "pydest/stats.h"
#include "tools/pydest/running_destinations.h"

namespace pydest::cli {

// One destination as the report shows it, every generation summed.
struct DestinationTotals {
  std::string name;
  std::string class_name;  // of its latest generation
  // All its generations' counters (generation_stats.h), plus the messages
  // a stop signal kept pydest from handing over (dropped_not_accepted).
  DestinationStats stats;
  std::string dead_letter;  // DeadLetterTarget of its latest generation
  std::optional<DestinationStats> dead_letter_stats;  // with python()
  // The shutdown errors of its generations ("" = all clean), "; "-joined.
  std::string shutdown_error;
};

// What a retired generation handed on to the next one under the same name
// (generation_stats.h HandOn).
struct HandedOn {
  uint64_t carried = 0;  // reported kDroppedShutdown, accepted by the next
  uint64_t kept = 0;     // left in the disk buffer the next one recovered
};

class LiveDestinations {
 public:
  explicit LiveDestinations(std::vector<RunningDestination> first);
  ~LiveDestinations();
  LiveDestinations(const LiveDestinations&) = delete;
  LiveDestinations& operator=(const LiveDestinations&) = delete;

  // Hands `messages` to every running destination whose name `wanted` holds
  // (each of them when it is empty), waiting for room in a full queue and
  // through a switch (a destination's new generation goes on where the old
  // one stopped). Returns once every one took them all, or a stop was
  // requested: what was left is then counted not accepted. Returns how
  // many (from the front) every destination took.
  size_t Deliver(const std::vector<std::string>& wanted,
                 absl::Span<const Message> messages);

  // A pause of the hand-over, for a reload: no message reaches any host
  // until it ends (Deliver waits; what the inputs read stays with them).
  class Switch {
   public:
    ~Switch();  // the hand-over resumes
    Switch(const Switch&) = delete;
    Switch& operator=(const Switch&) = delete;

    // The generation running now; the reload shuts its hosts down.
    std::vector<RunningDestination>& running();

    // Destroys the host of running()[i], shut down already, keeping its
    // last counters (RunningDestination::last_stats): what holds its disk
    // buffer's lock goes with it, for its successor to open.
    void Release(size_t i);

    // Makes `next` the running generation. The one it replaces must be shut
    // down: its final counters join its destinations' totals, less what
    // each handed on (`handed_on`, by name); `errors` are its shutdown
    // errors, in running()'s order. Returns the replaced hosts, for the
    // caller to destroy once the switch is over. Call at most once.
    std::vector<RunningDestination> Replace(
        std::vector<RunningDestination> next,
        const std::vector<std::string>& errors,
        const std::map<std::string, HandedOn>& handed_on);

   private:
    friend class LiveDestinations;
    explicit Switch(LiveDestinations* live) : live_(live) {}
    LiveDestinations* live_;
  };

  // Waits until no feeding thread is handing over (they give up waiting for
  // room at once), then holds them off until the Switch is destroyed.
  std::unique_ptr<Switch> Pause();

  // Shuts the running generation down by `deadline` (the end of the run).
  void ShutdownAll(absl::Time deadline);

  // Every destination that ran (a reload may have removed some), in the
  // order they first ran.
  std::vector<DestinationTotals> Totals() const;

 private:
  // What the retired generations of one destination left.
  struct History {
    DestinationStats retired;
    std::optional<DestinationStats> retired_dead_letter;
    uint64_t not_sent = 0;
    // Of the running generation's disk_buffer_recovered, what its
    // predecessor left in the buffer (not an earlier run's).
    uint64_t recovered_from_predecessor = 0;
    std::string class_name;
    std::string dead_letter;
    std::string shutdown_errors;
  };

  void AddNotSent(const std::string& name, uint64_t n);
  void AddShutdownError(const std::string& name, const std::string& error)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(counters_mu_);
  History& HistoryOf(const RunningDestination& r)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(counters_mu_);

  // The gate. pause_wanted_ is set before a Switch takes the gate (so that
  // feeders waiting for room let go) and cleared before it gives it back.
  absl::Mutex gate_mu_;
  std::atomic<bool> pause_wanted_{false};
  // Changed only under gate_mu_ (exclusive) and counters_mu_ together:
  // feeders read it under the gate, Totals under counters_mu_.
  std::vector<RunningDestination> running_;

  mutable absl::Mutex counters_mu_;
  std::map<std::string, History> history_ ABSL_GUARDED_BY(counters_mu_);
  std::vector<std::string> order_ ABSL_GUARDED_BY(counters_mu_);
};

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_LIVE_DESTINATIONS_H_
