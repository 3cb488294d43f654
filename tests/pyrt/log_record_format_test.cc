// A log record as text: syslog-ng's internal-message layout, which both the
// destination context (no sink set) and the host's default sink write.
#include "libpydest/pyrt/log_record_format.h"

#include <gtest/gtest.h>

namespace pydest::internal {
namespace {

TEST(LogRecordFormat, TagsFollowTheTextAndTheTracebackTheLine) {
  LogRecord record;
  record.text = "Exception while calling a Python function";
  record.tags = {{"caller", "d_py#0"}, {"function", "send"}};
  record.traceback = "Traceback (most recent call last):\nValueError: x\n";
  EXPECT_EQ(FormatLogRecord(record),
            "Exception while calling a Python function; caller='d_py#0', "
            "function='send'\nTraceback (most recent call last):\n"
            "ValueError: x");
}

TEST(LogRecordFormat, PlainTextStaysAsItIs) {
  LogRecord record;
  record.text = "opened";
  EXPECT_EQ(FormatLogRecord(record), "opened");
}

}  // namespace
}  // namespace pydest::internal
