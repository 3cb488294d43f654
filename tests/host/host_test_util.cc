#include "tests/host/host_test_util.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace pydest {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<nlohmann::json> ReadJsonLines(const fs::path& path) {
  std::vector<nlohmann::json> out;
  std::istringstream lines(ReadFile(path));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

Message TextMessage(const std::string& text) {
  return MessageBuilder().SetText(text).SetHost("h").SetProgram("p").Build();
}

HostRun::HostRun(const std::string& cls,
                 std::vector<std::pair<std::string, std::string>> opts) {
  static int counter = 0;
  out_ = fs::temp_directory_path() /
         absl::StrCat("pydest_host_test_", ::getpid(), "_", ++counter,
                      ".jsonl");
  fs::remove(out_);
  options.name = "d_py#0";
  options.class_name = "behave." + cls;
  options.python_path = {PYDEST_TEST_CLASSES_DIR};
  options.version = ConfigVersion{3, 38};
  options.state_dir = fs::temp_directory_path().string();
  // The same tests again with the class in a worker process (meson's
  // host_*_process tests): the behaviour must not change.
  if (const char* iso = std::getenv("PYDEST_TEST_ISOLATION");
      iso != nullptr && std::string(iso) == "process") {
    options.isolation = Isolation::kProcess;
  }
  opts.emplace_back("out", out_.string());
  for (auto& [k, v] : opts) {
    OptionValue value;
    value.text = v;
    options.options.emplace_back(k, value);
  }
  options.on_outcome = [this](const Message& m, Outcome o) {
    absl::MutexLock lock(&mu_);
    outcomes_[std::string(m.text())].push_back(o);
    ++count_;
    cv_.SignalAll();
  };
  options.log_sink = [this](const LogRecord& r) {
    absl::MutexLock lock(&mu_);
    logs_.push_back(r);
  };
}

HostRun::~HostRun() {
  // First: its shutdown still reports outcomes and logs into this object.
  host_.reset();
  fs::remove(out_);
}

absl::Status HostRun::Create() {
  auto host = PyDestinationHost::Create(options);
  if (!host.ok()) return host.status();
  host_ = std::move(*host);
  return absl::OkStatus();
}

bool HostRun::WaitOutcomes(size_t n, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&mu_);
  while (count_ < n) {
    if (cv_.WaitWithDeadline(&mu_, deadline)) break;
  }
  return count_ >= n;
}

std::map<std::string, std::vector<Outcome>> HostRun::outcomes() {
  absl::MutexLock lock(&mu_);
  return outcomes_;
}

void HostRun::ExpectOneOutcomeEach(const std::vector<std::string>& texts,
                                   Outcome expected) {
  auto all = outcomes();
  for (const std::string& t : texts) {
    ASSERT_EQ(all[t].size(), 1u) << t;
    EXPECT_EQ(all[t][0], expected) << t << ": " << OutcomeName(all[t][0]);
  }
}

int HostRun::CountLogs(const std::string& text) {
  absl::MutexLock lock(&mu_);
  int n = 0;
  for (const LogRecord& r : logs_) n += r.text.find(text) != std::string::npos;
  return n;
}

std::vector<nlohmann::json> HostRun::Calls() { return ReadJsonLines(out_); }

void SendAll(PyDestinationHost& host, const std::vector<std::string>& texts) {
  for (const std::string& t : texts) {
    ASSERT_TRUE(host.Send(TextMessage(t)).ok());
  }
}

}  // namespace pydest
