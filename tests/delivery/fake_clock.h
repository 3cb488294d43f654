// FakeClock: simulated time for delivery tests. A wait whose deadline is at
// or before the horizon completes at once and moves the time to its
// deadline; a wait past the horizon (or with no deadline) blocks for real
// until signalled, and counts as "idle". Tests move the horizon forward
// (SetHorizon) to let time pass up to a point, then WaitIdle until every
// worker is blocked there — a deterministic replay of "the probe ran until
// t_stop" without sleeping.
//
// Thread-safety: all methods are thread-safe.
#ifndef TESTS_DELIVERY_FAKE_CLOCK_H_
#define TESTS_DELIVERY_FAKE_CLOCK_H_

#include <algorithm>
#include <functional>
#include <list>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libpydest/delivery/clock.h"

namespace pydest::internal {

class FakeClock final : public Clock {
 public:
  // Time starts at `start`; the horizon at +infinity (every finite wait
  // completes at once) unless set.
  explicit FakeClock(absl::Time start = absl::UnixEpoch()) : now_(start) {}

  absl::Time Now() override {
    absl::MutexLock lock(&mu_);
    return now_;
  }

  bool WaitWithDeadline(absl::Mutex* mu, absl::CondVar* cv,
                        absl::Time deadline) override {
    Waiter me{mu, cv, true};
    std::list<Waiter>::iterator it;
    {
      absl::MutexLock lock(&mu_);
      if (deadline != absl::InfiniteFuture() && deadline <= horizon_) {
        now_ = std::max(now_, deadline);
        return true;
      }
      if (horizon_ != absl::InfiniteFuture()) now_ = std::max(now_, horizon_);
      ++idle_;
      it = waiters_.insert(waiters_.end(), me);
      changed_.SignalAll();
    }
    cv->Wait(mu);  // the caller holds *mu; SetHorizon signals under it
    if (paused()) {
      // Pause(): let the test finish what it is doing (e.g. queue several
      // messages "at the same instant") before this waiter proceeds.
      mu->Unlock();
      {
        absl::MutexLock lock(&mu_);
        while (paused_) changed_.Wait(&mu_);
      }
      mu->Lock();
    }
    absl::MutexLock lock(&mu_);
    if (it->counted) --idle_;
    waiters_.erase(it);
    changed_.SignalAll();
    return false;
  }

  // Moves the time forward by `d` at once, as if the caller had worked for
  // that long (a driver's send() taking 3 ms); waits are not woken.
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

  // Jitter: returns lo + fraction * (hi - lo).
  double Uniform(double lo, double hi) override {
    absl::MutexLock lock(&mu_);
    return lo + uniform_fraction_ * (hi - lo);
  }
  void SetUniformFraction(double f) {
    absl::MutexLock lock(&mu_);
    uniform_fraction_ = f;
  }

  // While paused, waiters that get signalled do not return until Resume().
  void Pause() {
    absl::MutexLock lock(&mu_);
    paused_ = true;
  }
  void Resume() {
    absl::MutexLock lock(&mu_);
    paused_ = false;
    changed_.SignalAll();
  }
  bool paused() {
    absl::MutexLock lock(&mu_);
    return paused_;
  }

  // Lets simulated time run up to `horizon` and wakes every blocked waiter
  // (they re-check and block again if they still have nothing to do).
  void SetHorizon(absl::Time horizon) {
    std::list<Waiter> copy;
    {
      absl::MutexLock lock(&mu_);
      horizon_ = horizon;
      for (Waiter& w : waiters_) w.counted = false;
      idle_ = 0;
      copy = waiters_;
    }
    for (Waiter& w : copy) {
      absl::MutexLock lock(w.mu);
      w.cv->SignalAll();
    }
  }

  // Waits (real time, up to `timeout`) until `n` waiters are blocked past
  // the horizon. True when they are.
  bool WaitIdle(int n, absl::Duration timeout = absl::Seconds(20)) {
    // CondVar rather than Mutex::Await (see the TSan note in harness.h).
    const absl::Time deadline = absl::Now() + timeout;
    absl::MutexLock lock(&mu_);
    while (idle_ < n) {
      if (changed_.WaitWithDeadline(&mu_, deadline)) break;
    }
    return idle_ >= n;
  }

 private:
  struct Waiter {
    absl::Mutex* mu;
    absl::CondVar* cv;
    bool counted;
  };

  absl::Mutex mu_;
  absl::CondVar changed_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
  absl::Time horizon_ ABSL_GUARDED_BY(mu_) = absl::InfiniteFuture();
  double uniform_fraction_ ABSL_GUARDED_BY(mu_) = 0.5;
  int idle_ ABSL_GUARDED_BY(mu_) = 0;
  bool paused_ ABSL_GUARDED_BY(mu_) = false;
  std::list<Waiter> waiters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pydest::internal

#endif  // TESTS_DELIVERY_FAKE_CLOCK_H_
