// A worker's log record as a stderr line (libpydest/process/log_line.h):
// it comes back as it was, any other line is not a record, and a record
// too long for one atomic pipe write has no line.
#include "libpydest/process/log_line.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "libpydest/process/worker_protocol.h"

namespace pydest::internal {
namespace {

LogRecord Record(std::string text) {
  LogRecord record;
  record.level = LogRecord::Level::kError;
  record.text = std::move(text);
  record.tags = {{"driver", "d"}, {"line", "a\nb\x1e"}};
  return record;
}

TEST(LogLine, ARecordComesBackFromItsLine) {
  const LogRecord record = Record("connection lost; retrying");
  std::optional<std::string> line = LogLineOf(record);
  ASSERT_TRUE(line.has_value());
  ASSERT_EQ(line->back(), '\n');
  // One line whatever the record holds: the reader splits at '\n'.
  EXPECT_EQ(line->find('\n'), line->size() - 1);
  line->pop_back();
  std::optional<LogRecord> back = LogRecordOfLine(*line);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->level, LogRecord::Level::kError);
  EXPECT_EQ(back->text, record.text);
  EXPECT_EQ(back->tags, record.tags);
}

TEST(LogLine, OtherLinesAreNotRecords) {
  EXPECT_FALSE(LogRecordOfLine("Traceback (most recent call last):"));
  EXPECT_FALSE(LogRecordOfLine(""));
  EXPECT_FALSE(LogRecordOfLine("\x1epydest-log zz"));   // not hex
  EXPECT_FALSE(LogRecordOfLine("\x1epydest-log 0"));    // odd length
  EXPECT_FALSE(LogRecordOfLine("\x1epydest-log 00ff"));  // not a record
  std::optional<std::string> line = LogLineOf(Record("x"));
  ASSERT_TRUE(line.has_value());
  // Cut short, as a line mixed with other output would be.
  EXPECT_FALSE(LogRecordOfLine(line->substr(0, line->size() / 2 * 2 - 4)));
}

TEST(LogLine, ARecordLongerThanOneAtomicWriteHasNoLine) {
  EXPECT_FALSE(LogLineOf(Record(std::string(kMaxLogLineBytes, 'x'))));
  EXPECT_TRUE(LogLineOf(Record(std::string(kMaxLogLineBytes / 4, 'x'))));
}

}  // namespace
}  // namespace pydest::internal
