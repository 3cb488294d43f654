// SetLogHook (include/pydest/log_hook.h) at the runtime's end: a record with
// no log_sink to go to reaches the hook, a destination's log_sink still
// takes its own, and what cannot go to the hook goes to stderr.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "libpydest/pyrt/destination_context.h"
#include "libpydest/pyrt/log_hook.h"
#include "pydest/log_hook.h"

namespace pydest::internal {
namespace {

LogRecord Record(const std::string& text) {
  LogRecord r;
  r.level = LogRecord::Level::kWarning;
  r.text = text;
  return r;
}

// Removes the hook when the test ends, pass or fail.
struct HookReset {
  ~HookReset() { SetLogHook(nullptr); }
};

TEST(LogHook, ARecordWithoutALogSinkGoesToTheHookNotStderr) {
  HookReset reset;
  std::vector<std::string> seen;
  SetLogHook([&](const LogRecord& r) { seen.push_back(r.text); });
  testing::internal::CaptureStderr();
  CurrentDestination()->Log(Record("no destination"));  // the default context
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(seen, std::vector<std::string>{"no destination"});
}

TEST(LogHook, ADestinationsLogSinkStillTakesItsRecords) {
  HookReset reset;
  int hook_calls = 0;
  SetLogHook([&](const LogRecord&) { ++hook_calls; });
  DestinationContext context;
  std::string sink_saw;
  context.log_sink = [&](const LogRecord& r) { sink_saw = r.text; };
  context.Log(Record("mine"));
  EXPECT_EQ(sink_saw, "mine");
  EXPECT_EQ(hook_calls, 0);
}

TEST(LogHook, AnEmptyHookRestoresStderr) {
  int hook_calls = 0;
  SetLogHook([&](const LogRecord&) { ++hook_calls; });
  SetLogHook(nullptr);
  testing::internal::CaptureStderr();
  CurrentDestination()->Log(Record("back on stderr"));
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "back on stderr\n");
  EXPECT_EQ(hook_calls, 0);
  EXPECT_FALSE(CallLogHook(Record("none set")));
}

TEST(LogHook, ARecordLoggedFromInsideTheHookGoesToStderr) {
  HookReset reset;
  std::vector<std::string> seen;
  SetLogHook([&](const LogRecord& r) {
    seen.push_back(r.text);
    CurrentDestination()->Log(Record("from inside the hook"));
  });
  testing::internal::CaptureStderr();
  CurrentDestination()->Log(Record("outer"));
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "from inside the hook\n");
  EXPECT_EQ(seen, std::vector<std::string>{"outer"});
}

TEST(LogHook, AHookThatThrowsLeavesTheRecordToStderr) {
  HookReset reset;
  SetLogHook([](const LogRecord&) { throw std::runtime_error("hook broke"); });
  testing::internal::CaptureStderr();
  CurrentDestination()->Log(Record("still written"));
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "still written\n");
}

}  // namespace
}  // namespace pydest::internal
