#include "tools/pydest/line_reader.h"

#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pydest::cli {
namespace {

using ::testing::ElementsAre;

// Writes `data` into a pipe (from another thread, so that inputs larger than
// the pipe buffer work) and reads it back as lines.
struct ReadResult {
  std::vector<std::string> lines;
  LineReader::Result end;
  uint64_t empty_lines = 0;
  uint64_t long_lines = 0;
  uint64_t bytes = 0;
};

ReadResult ReadAll(const std::string& data, size_t max_line_size = 65536) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  std::thread writer([&] {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = write(fds[1], data.data() + off, data.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(fds[1]);
  });
  LineReader reader(fds[0], max_line_size, nullptr);
  ReadResult r;
  std::string_view line;
  while ((r.end = reader.Next(&line)) == LineReader::Result::kLine) {
    r.lines.emplace_back(line);
  }
  writer.join();
  close(fds[0]);
  r.empty_lines = reader.empty_lines();
  r.long_lines = reader.long_lines();
  r.bytes = reader.bytes_read();
  return r;
}

TEST(LineReaderTest, SplitsOnNewlineAndStripsTheTerminator) {
  ReadResult r = ReadAll("a\nbb\nccc\n");
  EXPECT_THAT(r.lines, ElementsAre("a", "bb", "ccc"));
  EXPECT_EQ(r.end, LineReader::Result::kEnd);
  EXPECT_EQ(r.bytes, 9u);
}

TEST(LineReaderTest, CarriageReturnBeforeNewlineIsStripped) {
  EXPECT_THAT(ReadAll("a\r\nb\r\n").lines, ElementsAre("a", "b"));
}

TEST(LineReaderTest, LastLineWithoutNewlineIsRead) {
  EXPECT_THAT(ReadAll("a\nlast").lines, ElementsAre("a", "last"));
}

TEST(LineReaderTest, EmptyLinesAreSkippedAndCounted) {
  ReadResult r = ReadAll("\na\n\n\r\nb\n");
  EXPECT_THAT(r.lines, ElementsAre("a", "b"));
  EXPECT_EQ(r.empty_lines, 3u);
}

TEST(LineReaderTest, EmptyInputHasNoLines) {
  ReadResult r = ReadAll("");
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.end, LineReader::Result::kEnd);
}

TEST(LineReaderTest, OverlongLineIsHandedOnOneByteOverTheLimitAndRestSkipped) {
  std::string longline(100, 'x');
  ReadResult r = ReadAll("short\n" + longline + "\nnext\n", 10);
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[0], "short");
  EXPECT_EQ(r.lines[1], std::string(11, 'x'));
  EXPECT_EQ(r.lines[2], "next");
  EXPECT_EQ(r.long_lines, 1u);
}

TEST(LineReaderTest, OverlongLineLargerThanTheReadBufferKeepsMemoryBounded) {
  std::string huge(1 << 20, 'y');
  ReadResult r = ReadAll(huge + "\nafter\n" + huge, 1000);
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[0].size(), 1001u);
  EXPECT_EQ(r.lines[1], "after");
  EXPECT_EQ(r.lines[2].size(), 1001u);
  EXPECT_EQ(r.long_lines, 2u);
}

TEST(LineReaderTest, ManyLinesAcrossReadChunksArriveIntact) {
  std::string data;
  std::vector<std::string> expected;
  for (int i = 0; i < 20000; ++i) {
    expected.push_back("line number " + std::to_string(i));
    data += expected.back() + "\n";
  }
  EXPECT_EQ(ReadAll(data).lines, expected);
}

TEST(LineReaderTest, StopRequestEndsReading) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(write(fds[1], "a\nb\n", 4), 4);
  bool stop = false;
  LineReader reader(fds[0], 100, [&stop] { return stop; });
  std::string_view line;
  ASSERT_EQ(reader.Next(&line), LineReader::Result::kLine);
  EXPECT_EQ(line, "a");
  stop = true;
  EXPECT_EQ(reader.Next(&line), LineReader::Result::kStopped);
  close(fds[0]);
  close(fds[1]);
}

TEST(LineReaderTest, OpeningAMissingFileNamesIt) {
  auto in = InputFile::Open("/nonexistent/pydest-input.log");
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(std::string(in.status().message()).find("pydest-input.log"),
            std::string::npos);
}

TEST(LineReaderTest, OpeningADirectoryIsAnError) {
  EXPECT_FALSE(InputFile::Open("/").ok());
}

TEST(LineReaderTest, DashIsStandardInput) {
  auto in = InputFile::Open("-");
  ASSERT_TRUE(in.ok());
  EXPECT_TRUE(in->is_stdin());
  EXPECT_EQ(in->fd(), STDIN_FILENO);
}

}  // namespace
}  // namespace pydest::cli
