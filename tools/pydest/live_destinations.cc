#include "tools/pydest/live_destinations.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tools/pydest/generation_stats.h"
#include "tools/pydest/stop_signal.h"

namespace pydest::cli {
namespace {

bool Feeds(const std::vector<std::string>& wanted, const std::string& name) {
  return wanted.empty() ||
         std::find(wanted.begin(), wanted.end(), name) != wanted.end();
}

bool NotPausing(std::atomic<bool>* pause_wanted) {
  return !pause_wanted->load();
}

}  // namespace

LiveDestinations::LiveDestinations(std::vector<RunningDestination> first)
    : running_(std::move(first)) {
  absl::MutexLock lock(&counters_mu_);
  for (const RunningDestination& r : running_) HistoryOf(r);
}

LiveDestinations::~LiveDestinations() = default;

LiveDestinations::History& LiveDestinations::HistoryOf(
    const RunningDestination& r) {
  auto [it, added] = history_.try_emplace(r.config.name);
  if (added) order_.push_back(r.config.name);
  it->second.class_name = r.config.options.class_name;
  it->second.dead_letter = DeadLetterTarget(r.config.options);
  return it->second;
}

void LiveDestinations::AddNotSent(const std::string& name, uint64_t n) {
  absl::MutexLock lock(&counters_mu_);
  history_[name].not_sent += n;
}

void LiveDestinations::AddShutdownError(const std::string& name,
                                        const std::string& error) {
  if (error.empty()) return;
  std::string& all = history_[name].shutdown_errors;
  absl::StrAppend(&all, all.empty() ? "" : "; ", error);
}

size_t LiveDestinations::Deliver(const std::vector<std::string>& wanted,
                                 absl::Span<const Message> messages) {
  const size_t n = messages.size();
  if (n == 0) return 0;
  // By destination name: a new generation goes on where the old one
  // stopped, a destination a reload added gets them all.
  std::map<std::string, size_t> taken;
  auto give_up = [this] { return StopRequested() || pause_wanted_.load(); };
  for (;;) {
    gate_mu_.ReaderLockWhen(absl::Condition(&NotPausing, &pause_wanted_));
    size_t by_all = n;
    bool complete = true;
    for (RunningDestination& r : running_) {
      if (!Feeds(wanted, r.config.name)) continue;
      size_t& done = taken[r.config.name];
      if (r.host == nullptr && done < n) {
        // Not running (a reload could not start it): nothing to wait for.
        AddNotSent(r.config.name, n - done);
        done = n;
      }
      if (done < n) done += HandOver(r, messages.subspan(done), give_up);
      by_all = std::min(by_all, done);
      complete = complete && done == n;
    }
    if (!complete && StopRequested()) {
      for (const RunningDestination& r : running_) {
        if (!Feeds(wanted, r.config.name)) continue;
        const size_t done = taken[r.config.name];
        if (done < n) AddNotSent(r.config.name, n - done);
      }
      complete = true;
    }
    gate_mu_.ReaderUnlock();
    // Otherwise a switch is under way: wait for it, then go on.
    if (complete) return by_all;
  }
}

std::unique_ptr<LiveDestinations::Switch> LiveDestinations::Pause() {
  pause_wanted_.store(true);
  gate_mu_.Lock();
  return std::unique_ptr<Switch>(new Switch(this));
}

LiveDestinations::Switch::~Switch() {
  // Cleared under the gate: the waiting feeders' condition is looked at
  // again when it is released.
  live_->pause_wanted_.store(false);
  live_->gate_mu_.Unlock();
}

std::vector<RunningDestination>& LiveDestinations::Switch::running() {
  return live_->running_;
}

void LiveDestinations::Switch::Release(size_t i) {
  std::unique_ptr<PyDestinationHost> host;
  {
    // Under the counters' lock: Totals reads the host or its last counters.
    absl::MutexLock lock(&live_->counters_mu_);
    RunningDestination& r = live_->running_[i];
    if (r.host == nullptr) return;
    r.last_stats = r.host->stats();
    r.last_dead_letter_stats = r.host->dead_letter_stats();
    host = std::move(r.host);
  }
}

std::vector<RunningDestination> LiveDestinations::Switch::Replace(
    std::vector<RunningDestination> next, const std::vector<std::string>& errors,
    const std::map<std::string, HandedOn>& handed_on) {
  LiveDestinations& live = *live_;
  std::vector<RunningDestination> old = std::move(live.running_);
  absl::MutexLock lock(&live.counters_mu_);
  for (size_t i = 0; i < old.size(); ++i) {
    RunningDestination& r = old[i];
    History& h = live.history_[r.config.name];
    if (i < errors.size()) live.AddShutdownError(r.config.name, errors[i]);
    if (r.host == nullptr && !r.last_stats.has_value()) continue;
    DestinationStats final_stats =
        r.host != nullptr ? r.host->stats() : *r.last_stats;
    RecoveredFromPredecessor(h.recovered_from_predecessor, &final_stats);
    h.recovered_from_predecessor = 0;
    auto it = handed_on.find(r.config.name);
    if (it != handed_on.end()) {
      HandOn(it->second.carried, it->second.kept, &final_stats);
    }
    AddGeneration(final_stats, &h.retired);
    std::optional<DestinationStats> second = r.host != nullptr
                                                 ? r.host->dead_letter_stats()
                                                 : r.last_dead_letter_stats;
    if (second.has_value()) {
      if (!h.retired_dead_letter.has_value()) {
        h.retired_dead_letter = DestinationStats();
      }
      AddGeneration(*second, &*h.retired_dead_letter);
    }
  }
  for (const RunningDestination& r : next) {
    History& h = live.HistoryOf(r);
    auto it = handed_on.find(r.config.name);
    h.recovered_from_predecessor = it != handed_on.end() ? it->second.kept : 0;
  }
  live.running_ = std::move(next);
  return old;
}

void LiveDestinations::ShutdownAll(absl::Time deadline) {
  std::vector<std::string> errors;
  cli::ShutdownAll(running_, deadline, &errors);
  absl::MutexLock lock(&counters_mu_);
  for (size_t i = 0; i < running_.size(); ++i) {
    AddShutdownError(running_[i].config.name, errors[i]);
  }
}

std::vector<DestinationTotals> LiveDestinations::Totals() const {
  absl::MutexLock lock(&counters_mu_);
  std::vector<DestinationTotals> out;
  for (const std::string& name : order_) {
    const History& h = history_.at(name);
    DestinationTotals t;
    t.name = name;
    t.class_name = h.class_name;
    t.dead_letter = h.dead_letter;
    t.stats = h.retired;
    t.dead_letter_stats = h.retired_dead_letter;
    t.shutdown_error = h.shutdown_errors;
    for (const RunningDestination& r : running_) {
      if (r.config.name != name) continue;
      if (r.host == nullptr && !r.last_stats.has_value()) continue;
      DestinationStats now = r.host != nullptr ? r.host->stats() : *r.last_stats;
      RecoveredFromPredecessor(h.recovered_from_predecessor, &now);
      AddGeneration(now, &t.stats);
      std::optional<DestinationStats> second = r.host != nullptr
                                                   ? r.host->dead_letter_stats()
                                                   : r.last_dead_letter_stats;
      if (second.has_value()) {
        if (!t.dead_letter_stats.has_value()) {
          t.dead_letter_stats = DestinationStats();
        }
        AddGeneration(*second, &*t.dead_letter_stats);
      }
    }
    t.stats.dropped_not_accepted += h.not_sent;
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace pydest::cli
