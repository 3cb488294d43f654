// SetLogHook (include/pydest/log_hook.h) through a host: a destination
// created without a log_sink sends its records to the process's hook
// instead of stderr, and an empty hook puts them back on stderr.
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/host.h"
#include "pydest/log_hook.h"

namespace pydest {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

// Sends one message to a RaisingSend destination without a log_sink and
// shuts it down: send() raises, which is logged.
void RunRaisingDestination() {
  DestinationOptions options;
  options.class_name = "raising.RaisingSend";
  options.python_path = {PYDEST_TEST_CLASSES_DIR};
  options.retries = 1;
  auto host = PyDestinationHost::Create(options);
  ASSERT_TRUE(host.ok()) << host.status();
  ASSERT_TRUE((*host)->Send(MessageBuilder().SetText("m1").Build()).ok());
  ASSERT_TRUE((*host)->Shutdown(absl::Now() + absl::Seconds(30)).ok());
}

TEST(HostLogHook, HookReceivesTheRecordsOfADestinationWithoutLogSink) {
  absl::Mutex mu;
  std::vector<LogRecord> seen;
  SetLogHook([&](const LogRecord& r) {
    absl::MutexLock lock(&mu);
    seen.push_back(r);
  });
  testing::internal::CaptureStderr();
  RunRaisingDestination();
  const std::string err = testing::internal::GetCapturedStderr();
  SetLogHook(nullptr);

  EXPECT_THAT(err, Not(HasSubstr("Exception while calling")));
  bool found = false;
  for (const LogRecord& r : seen) {
    if (r.text == "Exception while calling a Python function") {
      found = true;
      EXPECT_EQ(r.level, LogRecord::Level::kError);
      EXPECT_THAT(r.tags, Contains(Pair("function", "send")));
      EXPECT_THAT(r.traceback, HasSubstr("send() always fails here"));
    }
  }
  EXPECT_TRUE(found) << seen.size() << " records, none of the exception";
}

TEST(HostLogHook, ResetPutsTheRecordsBackOnStderr) {
  int hook_calls = 0;
  SetLogHook([&](const LogRecord&) { ++hook_calls; });
  SetLogHook(nullptr);
  testing::internal::CaptureStderr();
  RunRaisingDestination();
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, HasSubstr(
                       "pydest: error: Exception while calling a Python "
                       "function"));
  EXPECT_EQ(hook_calls, 0);
}

}  // namespace
}  // namespace pydest
