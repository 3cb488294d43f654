// Helpers for the python layer's tests: options pointing at
// tests/python/classes, a log sink that records, eval() in the probe
// module, and a ValuePairs fake that yields a fixed Record.
#ifndef TESTS_PYTHON_PYTHON_TEST_UTIL_H_
#define TESTS_PYTHON_PYTHON_TEST_UTIL_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "libpydest/delivery/driver.h"
#include "libpydest/python/python_destination.h"
#include "libpydest/value_pairs/value_pairs.h"
#include "pydest/destination_options.h"
#include "pydest/log_record.h"
#include "pydest/message.h"

namespace pydest::internal::testing {

// Records every LogRecord a destination logs. Thread-safe.
class LogCapture {
 public:
  std::function<void(const LogRecord&)> Sink();
  std::vector<LogRecord> records() const;
  // The first record whose text contains `text`, or nullptr.
  std::unique_ptr<LogRecord> Find(const std::string& text) const;
  int Count(const std::string& text) const;

 private:
  mutable absl::Mutex mu_;
  std::vector<LogRecord> records_ ABSL_GUARDED_BY(mu_);
};

// class() = "probe.<cls>", python_path = tests/python/classes, the sink
// of `capture`, state_dir a fresh temporary directory.
DestinationOptions ProbeOptions(const std::string& cls, LogCapture* capture);

// repr(eval(expr)) in the probe module's namespace (GIL taken here).
std::string EvalRepr(const std::string& expr);
// Runs statements in the probe module's namespace; false on exception.
bool Exec(const std::string& code);
// Clears probe.events and probe.received.
void ResetProbe();

QueuedMessage MakeQueued(const std::string& text, uint64_t seqnum = 1);

// What a worker does with `m`, after the destination's prepare stage: with
// value-pairs, the RecordPreparer evaluates it (a refused message returns
// kError without send(), as the prepare stage settles it); then worker
// `worker`'s driver sends it.
DeliveryResult SendPrepared(PythonDestination& d, QueuedMessage& m,
                            int worker = 0);

// A ValuePairs whose Evaluate() copies a Record built by the test.
class FakeValuePairs : public ValuePairs {
 public:
  void Evaluate(const Message& msg, const MacroContext& ctx, Record* record,
                EvaluationReport* report) const override;
  const KeyTable& keys() const override { return keys_; }

  void AddBytes(const std::string& key, const std::string& value);
  void AddInt(const std::string& key, int64_t value);
  void AddDouble(const std::string& key, double value);
  void AddBool(const std::string& key, bool value);
  void AddDateTime(const std::string& key, int64_t unix_micros);
  void AddList(const std::string& key, const std::vector<std::string>& items);
  void AddNull(const std::string& key);
  void set_drop_message(bool drop) { drop_message_ = drop; }
  int evaluations() const { return evaluations_.load(); }

 private:
  RecordEntry& Add(const std::string& key, ValueKind kind);
  KeyTable keys_;
  Record record_;
  bool drop_message_ = false;
  // Workers evaluate concurrently (Evaluate is const and thread-safe).
  mutable std::atomic<int> evaluations_{0};
};

}  // namespace pydest::internal::testing

#endif  // TESTS_PYTHON_PYTHON_TEST_UTIL_H_
