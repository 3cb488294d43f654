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

TEST(LineReaderTest, BeforeReadRunsBeforeEveryReadNotBetweenLinesOfOneRead) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  // The hook writes the next chunk itself, so each read() gets exactly one
  // chunk; the line "g" spans two reads.
  std::vector<std::string> chunks = {"a\nb\n", "c\n", "d\ne\nf\ng", "\n"};
  size_t next_chunk = 0;
  std::vector<std::string> events;
  LineReader reader(fds[0], 100, nullptr);
  reader.set_before_read([&] {
    events.push_back("read");
    if (next_chunk < chunks.size()) {
      const std::string& c = chunks[next_chunk++];
      ASSERT_EQ(write(fds[1], c.data(), c.size()),
                static_cast<ssize_t>(c.size()));
    } else {
      close(fds[1]);
    }
  });
  std::string_view line;
  LineReader::Result result;
  std::vector<uint64_t> reads_at_line;
  while ((result = reader.Next(&line)) == LineReader::Result::kLine) {
    events.emplace_back(line);
    reads_at_line.push_back(reader.reads());
  }
  close(fds[0]);
  EXPECT_EQ(result, LineReader::Result::kEnd);
  EXPECT_THAT(events, ElementsAre("read", "a", "b", "read", "c", "read", "d",
                                  "e", "f", "read", "g", "read"));
  // The lines of one read() see the same count; the last read() (end of
  // input) read nothing and does not count.
  EXPECT_THAT(reads_at_line, ElementsAre(1, 1, 2, 3, 3, 3, 4));
  EXPECT_EQ(reader.reads(), 4u);
}

TEST(LineReaderTest, BeforeReadRunsOncePerReadOfAFileLargerThanTheReadChunk) {
  char path[] = "/tmp/pydest_line_reader_test_XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  unlink(path);
  std::string data;
  for (int i = 0; i < 20000; ++i) {  // about 300 KiB: several 64 KiB reads
    data += "line number " + std::to_string(i) + "\n";
  }
  ASSERT_EQ(write(fd, data.data(), data.size()),
            static_cast<ssize_t>(data.size()));
  ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);
  LineReader reader(fd, 65536, nullptr);
  uint64_t hooks = 0;
  reader.set_before_read([&] { ++hooks; });
  std::string_view line;
  size_t lines = 0;
  uint64_t last_reads = 0;
  while (reader.Next(&line) == LineReader::Result::kLine) {
    ++lines;
    // Every line was preceded by as many hook calls as there were reads:
    // none ran between the lines of one read.
    ASSERT_EQ(hooks, reader.reads()) << "line " << lines;
    ASSERT_GE(reader.reads(), last_reads);
    last_reads = reader.reads();
  }
  close(fd);
  EXPECT_EQ(lines, 20000u);
  EXPECT_GE(reader.reads(), data.size() / (64 * 1024));
  EXPECT_EQ(hooks, reader.reads() + 1);  // and once before the end-of-file
  EXPECT_EQ(reader.bytes_read(), data.size());
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
