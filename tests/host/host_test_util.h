// What the host tests share: HostRun, one PyDestinationHost of a class in
// tests/host/classes (behave.py) with its outcomes and log records
// collected, and small helpers to build and send messages.
//
// Thread-safety: HostRun's outcome and log callbacks run on the host's
// threads and take its lock; the rest is for the test's own thread.
#ifndef TESTS_HOST_HOST_TEST_UTIL_H_
#define TESTS_HOST_HOST_TEST_UTIL_H_

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "pydest/host.h"

namespace pydest {

std::string ReadFile(const std::filesystem::path& path);

// One JSON object per non-empty line (the calls behave.py records).
std::vector<nlohmann::json> ReadJsonLines(const std::filesystem::path& path);

Message TextMessage(const std::string& text);

// One destination under test: its options, outcomes and log records.
class HostRun {
 public:
  // `cls` is a class of behave.py; `opts` its options() (an "out" file
  // for the recorded calls is added).
  HostRun(const std::string& cls,
          std::vector<std::pair<std::string, std::string>> opts);
  ~HostRun();

  // Creates the host from `options` (change them first if needed).
  absl::Status Create();
  PyDestinationHost& host() { return *host_; }

  // True once `n` outcomes were reported, false at the timeout.
  bool WaitOutcomes(size_t n, absl::Duration timeout = absl::Seconds(30));
  // text -> its outcomes (exactly one expected).
  std::map<std::string, std::vector<Outcome>> outcomes();
  void ExpectOneOutcomeEach(const std::vector<std::string>& texts,
                            Outcome expected);
  // How many log records contain `text`.
  int CountLogs(const std::string& text);
  // The calls the class recorded, in order.
  std::vector<nlohmann::json> Calls();

  DestinationOptions options;

 private:
  std::filesystem::path out_;
  std::unique_ptr<PyDestinationHost> host_;
  absl::Mutex mu_;
  absl::CondVar cv_;
  size_t count_ = 0;
  std::map<std::string, std::vector<Outcome>> outcomes_;
  std::vector<LogRecord> logs_;
};

// Sends a TextMessage of each text; a refused Send fails the test.
void SendAll(PyDestinationHost& host, const std::vector<std::string>& texts);

inline absl::Time In(absl::Duration d) { return absl::Now() + d; }

}  // namespace pydest

#endif  // TESTS_HOST_HOST_TEST_UTIL_H_
