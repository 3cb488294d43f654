// Harness: a Delivery over FakeDrivers and a FakeClock, with the outcomes
// and log records it produced, for the delivery tests.
//
// Thread-safety: outcome/log recording is thread-safe; the rest is for the
// test thread.
#ifndef TESTS_DELIVERY_HARNESS_H_
#define TESTS_DELIVERY_HARNESS_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "libpydest/delivery/delivery.h"
#include "pydest/message.h"
#include "tests/delivery/fake_clock.h"
#include "tests/delivery/fake_driver.h"

namespace pydest::internal {

inline Message TextMessage(const std::string& text) {
  return MessageBuilder().SetText(text).Build();
}

class Harness {
 public:
  explicit Harness(Clock* clock = nullptr)
      : clock_(clock != nullptr ? clock : &fake_clock_) {
    options.name = "d_py#0";
    options.on_outcome = [this](const Message& m, Outcome o) {
      absl::MutexLock lock(&mu_);
      outcomes_.emplace_back(std::string(m.text()), o);
      changed_.SignalAll();
    };
    options.log_sink = [this](const LogRecord& r) {
      absl::MutexLock lock(&mu_);
      logs_.push_back(r);
    };
  }
  ~Harness() {
    if (delivery_ != nullptr) {
      const absl::Time now = clock_->Now();
      delivery_->Shutdown(now, now + absl::Seconds(5)).IgnoreError();
    }
  }

  FakeDriver& AddDriver(FakeDriver::Script script) {
    drivers_->push_back(std::make_shared<FakeDriver>(std::move(script)));
    return *drivers_->back();
  }
  FakeDriver& driver(int i = 0) { return *(*drivers_)[i]; }

  // Builds the Delivery (with the options as they are now).
  Delivery& Build() {
    std::vector<Driver*> ptrs;
    for (auto& d : *drivers_) ptrs.push_back(d.get());
    delivery_ = std::make_unique<Delivery>(options, ptrs, drivers_, clock_,
                                           preparer);
    return *delivery_;
  }
  Delivery& Start() {
    if (delivery_ == nullptr) Build();
    delivery_->Start();
    return *delivery_;
  }
  Delivery& delivery() { return *delivery_; }
  FakeClock& clock() { return fake_clock_; }

  void Send(const std::string& text) {
    ASSERT_TRUE(delivery_->Send(TextMessage(text)).ok());
  }
  // Waits (real time) until `n` outcomes were reported.
  bool WaitOutcomes(size_t n, absl::Duration timeout = absl::Seconds(20)) {
    // CondVar rather than Mutex::Await: abseil evaluates Await conditions
    // on other threads, which the TSan shim cannot order (scripts/sanitize).
    const absl::Time deadline = absl::Now() + timeout;
    absl::MutexLock lock(&mu_);
    while (outcomes_.size() < n) {
      if (changed_.WaitWithDeadline(&mu_, deadline)) break;
    }
    return outcomes_.size() >= n;
  }
  // The common run of a worker test: build, queue `texts`, start, wait for
  // their outcomes and for the worker to go idle, then ShutdownNow().
  ::testing::AssertionResult RunToShutdown(
      const std::vector<std::string>& texts) {
    Build();
    for (const std::string& text : texts) {
      absl::Status s = delivery_->Send(TextMessage(text));
      if (!s.ok()) return ::testing::AssertionFailure() << s;
    }
    Start();
    if (!WaitOutcomes(texts.size())) {
      return ::testing::AssertionFailure() << "not every message settled";
    }
    if (!clock().WaitIdle(1)) {
      return ::testing::AssertionFailure() << "worker never went idle";
    }
    absl::Status s = ShutdownNow();
    if (!s.ok()) return ::testing::AssertionFailure() << s;
    return ::testing::AssertionSuccess();
  }
  // Shutdown whose drain deadline is "now": what syslog-ng does on stop.
  absl::Status ShutdownNow() {
    const absl::Time now = clock_->Now();
    return delivery_->Shutdown(now, now + absl::Hours(1));
  }

  std::vector<std::pair<std::string, Outcome>> outcomes() {
    absl::MutexLock lock(&mu_);
    return outcomes_;
  }
  // text -> outcome; fails the test on a second outcome for one text.
  std::map<std::string, Outcome> OutcomeByText() {
    std::map<std::string, Outcome> out;
    for (auto& [text, o] : outcomes()) {
      EXPECT_TRUE(out.emplace(text, o).second) << "second outcome for " << text;
    }
    return out;
  }
  std::vector<LogRecord> logs() {
    absl::MutexLock lock(&mu_);
    return logs_;
  }
  int CountLogs(const std::string& text) {
    int n = 0;
    for (const LogRecord& r : logs()) n += r.text == text ? 1 : 0;
    return n;
  }

  DestinationOptions options;
  std::shared_ptr<Preparer> preparer;  // set before Build(): a prepare thread

 private:
  FakeClock fake_clock_;
  Clock* clock_;
  std::shared_ptr<std::vector<std::shared_ptr<FakeDriver>>> drivers_ =
      std::make_shared<std::vector<std::shared_ptr<FakeDriver>>>();
  std::unique_ptr<Delivery> delivery_;
  absl::Mutex mu_;
  absl::CondVar changed_;
  std::vector<std::pair<std::string, Outcome>> outcomes_ ABSL_GUARDED_BY(mu_);
  std::vector<LogRecord> logs_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pydest::internal

#endif  // TESTS_DELIVERY_HARNESS_H_
