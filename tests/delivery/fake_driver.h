// FakeDriver: a scripted Driver for delivery tests, modelled on the probe
// class of the golden behaviour runs (anchordest.BehaveDest): open(),
// is_opened() (optional), send(), flush(), close(), each recorded with the
// calling thread, each result chosen by a script function.
//
// Driver::Open() is "open() then is_opened() when the class has it", so the
// record shows both calls, as calls.jsonl does.
//
// Thread-safety: the Driver methods run on one worker thread; calls(),
// Release() and the counters may be read from the test thread at any time.
#ifndef TESTS_DELIVERY_FAKE_DRIVER_H_
#define TESTS_DELIVERY_FAKE_DRIVER_H_

#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "libpydest/delivery/driver.h"

namespace pydest::internal {

struct FakeCall {
  std::string call;  // "open", "is_opened", "send(m1)", "flush", "close"
  std::thread::id thread;
};

class FakeDriver : public Driver {
 public:
  struct Script {
    bool has_is_opened = true;
    // n = 1 for the first call of that method.
    std::function<bool(int n)> open = [](int) { return true; };
    // Overrides is_opened()'s answer (otherwise: open and not closed).
    std::function<bool(int n)> is_opened;
    std::function<DeliveryResult(const std::string& text, int n)> send =
        [](const std::string&, int) { return DeliveryResult::kSuccess; };
    std::function<DeliveryResult(int n)> flush = [](int) {
      return DeliveryResult::kSuccess;
    };
    // send() of a message with this text blocks until Release().
    std::string hang_on;
    // Take runs of messages (Driver::SendsRuns, as a worker process does),
    // through the default SendRun. Default: $PYDEST_TEST_DRIVER_RUNS set
    // (meson runs the delivery suites once more so, suite isolation).
    bool runs = std::getenv("PYDEST_TEST_DRIVER_RUNS") != nullptr;
  };

  explicit FakeDriver(Script script) : script_(std::move(script)) {}

  bool Open() override {
    Record("open");
    opened_ = script_.open(++open_calls_);
    if (opened_ && script_.has_is_opened) return IsOpened();
    return opened_;
  }
  bool IsOpened() override {
    Record("is_opened");
    if (script_.is_opened) return script_.is_opened(++is_opened_calls_);
    return opened_;
  }
  bool HasIsOpened() const override { return script_.has_is_opened; }
  bool SendsRuns() const override { return script_.runs; }
  DeliveryResult Send(const QueuedMessage& message) override {
    const std::string text(message.message.text());
    // A message a Preparer went over shows it: "send(m1 prepared)".
    Record("send(" + text + (message.prepared ? " prepared" : "") + ")");
    if (!script_.hang_on.empty() && text == script_.hang_on) {
      release_.WaitForNotification();
    }
    return script_.send(text, ++send_calls_);
  }
  DeliveryResult Flush() override {
    Record("flush");
    return script_.flush(++flush_calls_);
  }
  void Close() override {
    Record("close");
    opened_ = false;
  }
  void BeginBatch() override {
    absl::MutexLock lock(&mu_);
    ++batches_;
    in_batch_ = true;
  }
  void EndBatch() override {
    absl::MutexLock lock(&mu_);
    in_batch_ = false;
  }

  std::vector<FakeCall> calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  // The calls as one space-separated string ("open is_opened send(m1) ...").
  std::string Sequence() const {
    std::string out;
    for (const FakeCall& c : calls()) {
      if (!out.empty()) out += ' ';
      out += c.call;
    }
    return out;
  }
  int batches() const {
    absl::MutexLock lock(&mu_);
    return batches_;
  }
  void Release() { release_.Notify(); }

 private:
  void Record(std::string call) {
    absl::MutexLock lock(&mu_);
    calls_.push_back({std::move(call), std::this_thread::get_id()});
  }

  Script script_;
  bool opened_ = false;
  int open_calls_ = 0, is_opened_calls_ = 0, send_calls_ = 0, flush_calls_ = 0;
  absl::Notification release_;
  mutable absl::Mutex mu_;
  std::vector<FakeCall> calls_ ABSL_GUARDED_BY(mu_);
  int batches_ ABSL_GUARDED_BY(mu_) = 0;
  bool in_batch_ ABSL_GUARDED_BY(mu_) = false;
};

// A script whose send() always returns `r`.
inline FakeDriver::Script SendAlways(DeliveryResult r) {
  FakeDriver::Script s;
  s.send = [r](const std::string&, int) { return r; };
  return s;
}

}  // namespace pydest::internal

#endif  // TESTS_DELIVERY_FAKE_DRIVER_H_
