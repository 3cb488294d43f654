// dead-letter(file()) (libpydest/delivery/dead_letter_file.h): one JSON line
// per dropped message, which pydest's JSON-lines reader turns back into the
// message; concurrent drops never interleave; a write that fails leaves the
// file as it was and counts the messages as lost.
#include "libpydest/delivery/dead_letter_file.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libpydest/delivery/dead_letter_line.h"
#include "nlohmann/json.hpp"
#include "pydest/parse.h"

namespace pydest::internal {
namespace {

using Json = nlohmann::json;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/dead_letter_", getpid(),
                      "_", name);
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

QueuedMessage Queued(Message m, uint64_t seqnum) {
  QueuedMessage q;
  q.message = std::move(m);
  q.seqnum = seqnum;
  return q;
}

Message RichMessage() {
  MessageBuilder b;
  b.SetStamp(Timestamp{1733150000, 123456, -5 * 3600})
      .SetReceived(Timestamp{1733150001, 7, 3600})
      .SetFacility(16)
      .SetSeverity(3)
      .SetHost("web-1")
      .SetProgram("nginx")
      .SetPid("4242")
      .SetMsgId("ID47")
      .SetText("GET /index.html \"quoted\" \\ tab\there")
      .Set("user.id", "17")
      .Set("level", "debug")  // a lower-case role name: stays a pair
      .Set("empty", "");
  b.AddSdElement("meta@1").Set(".SDATA.meta@1.seq", "5");
  b.AddTag("tagged").SetSourceIp("10.0.0.1");
  return b.Build();
}

const DeadLetterOrigin kOrigin{"d_out", "python(mod.Out)", "mod.Out"};

TEST(DeadLetterLineTest, SaysWhyWhereAndWhenAndReplaysAsTheMessage) {
  std::string text;
  const absl::Time when = absl::FromUnixSeconds(1733160000);
  AppendDeadLetterLine(RichMessage(), Outcome::kDroppedRetriesExhausted, 12,
                       when, kOrigin, &text);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1) << "one line";
  const Json line = Json::parse(text);
  const Json& meta = line.at("@dead_letter");
  EXPECT_EQ(meta.at("reason"), "dropped_retries_exhausted");
  EXPECT_EQ(meta.at("retryable"), true);
  EXPECT_EQ(meta.at("destination"), "d_out");
  EXPECT_EQ(meta.at("persist_name"), "python(mod.Out)");
  EXPECT_EQ(meta.at("class"), "mod.Out");
  EXPECT_EQ(meta.at("time"), "2024-12-02T17:20:00.000000Z");
  EXPECT_EQ(meta.at("seqnum"), 12);
  EXPECT_EQ(meta.at("tags"), Json::array({"tagged"}));
  EXPECT_EQ(meta.at("source_ip"), "10.0.0.1");
  EXPECT_EQ(line.at("ISODATE"), "2024-12-02T09:33:20.123456-05:00");
  EXPECT_EQ(line.at("FACILITY"), "local0");
  EXPECT_EQ(line.at("SEVERITY"), "err");
  EXPECT_EQ(line.at(".SDATA.meta@1.seq"), "5");

  // Replayed through pydest's JSON-lines reader: the same message.
  ParseOptions options;
  const Message back = ParseJsonLine(text.substr(0, text.size() - 1), options);
  const Message original = RichMessage();
  EXPECT_EQ(back.stamp(), original.stamp());
  EXPECT_EQ(back.facility(), 16);
  EXPECT_EQ(back.severity(), 3);
  for (const char* name : {"HOST", "PROGRAM", "PID", "MSGID", "MESSAGE",
                           "user.id", "level", "empty", ".SDATA.meta@1.seq"}) {
    EXPECT_EQ(back.Get(name), original.Get(name)) << name;
  }
  ASSERT_EQ(back.sd_element_count(), 1u);
  EXPECT_EQ(back.sd_element_id(0), "meta@1");
  // The metadata is not a part of the replayed message.
  bool metadata_pair = false;
  back.ForEachPair([&](std::string_view name, std::string_view) {
    if (name.find("dead_letter") != std::string_view::npos) {
      metadata_pair = true;
    }
    return true;
  });
  EXPECT_FALSE(metadata_pair);
  EXPECT_EQ(back.flags(), 0u);
}

TEST(DeadLetterLineTest, InvalidUtf8IsReplacedAndUnacceptedHasNoSeqnum) {
  std::string text;
  const Message m = MessageBuilder()
                        .SetText(std::string("bad \xff\xfe bytes", 12))
                        .Build();
  AppendDeadLetterLine(m, Outcome::kDroppedNotAccepted, 0, absl::Now(),
                       kOrigin, &text);
  const Json line = Json::parse(text);  // valid JSON whatever the bytes
  EXPECT_EQ(line.at("MESSAGE"), "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
  EXPECT_FALSE(line.at("@dead_letter").contains("seqnum"));
  EXPECT_EQ(line.at("@dead_letter").at("reason"), "dropped_not_accepted");
}

TEST(DeadLetterLineTest, APairNamedLikeTheFixedMembersCannotOverrideThem) {
  std::string text;
  const Message m = MessageBuilder()
                        .SetStamp(Timestamp{100, 0, 0})
                        .Set("ISODATE", "1999-01-01T00:00:00Z")
                        .Set("@dead_letter", "forged")
                        .Build();
  AppendDeadLetterLine(m, Outcome::kDroppedByDestination, 1, absl::Now(),
                       kOrigin, &text);
  const Json line = Json::parse(text);
  EXPECT_EQ(line.at("ISODATE"), "1970-01-01T00:01:40.000000+00:00");
  EXPECT_TRUE(line.at("@dead_letter").is_object());
}

TEST(DeadLetterFileTest, ConcurrentDropsGiveWholeLines) {
  const std::string path = TempPath("concurrent.jsonl");
  std::remove(path.c_str());
  auto file = DeadLetterFile::Open(path, kOrigin, nullptr);
  ASSERT_TRUE(file.ok()) << file.status();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&file, t] {
      for (int i = 0; i < 250; ++i) {
        QueuedMessage q[2] = {
            Queued(MessageBuilder().SetText(absl::StrCat(t, "-", i, "a"))
                       .Build(), 1),
            Queued(MessageBuilder().SetText(absl::StrCat(t, "-", i, "b"))
                       .Build(), 2)};
        EXPECT_EQ((*file)->Keep(q, 2, Outcome::kDroppedShutdown, absl::Now()),
                  2u);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_TRUE((*file)->Shutdown(absl::Now()).ok());
  const std::vector<std::string> lines = ReadLines(path);
  ASSERT_EQ(lines.size(), 2000u);
  for (const std::string& line : lines) {
    const Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(j.is_discarded()) << line;
    EXPECT_EQ(j.at("@dead_letter").at("reason"), "dropped_shutdown");
  }
  // After Shutdown nothing more is taken.
  QueuedMessage late = Queued(MessageBuilder().SetText("late").Build(), 3);
  EXPECT_EQ((*file)->Keep(&late, 1, Outcome::kDroppedShutdown, absl::Now()),
            0u);
  std::remove(path.c_str());
}

TEST(DeadLetterFileTest, AnUnopenableFileIsAnErrorNamingIt) {
  auto file = DeadLetterFile::Open("/nonexistent-dir/dead.jsonl", kOrigin,
                                   nullptr);
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.status().message().find("/nonexistent-dir/dead.jsonl"),
            std::string::npos)
      << file.status();
}

// A full disk, as a file-size limit in a child process: the write that does
// not fit is undone, so the file holds only whole lines, and Keep reports
// the messages lost (with one logged reason).
TEST(DeadLetterFileTest, AWriteThatDoesNotFitLeavesOnlyWholeLines) {
  const std::string path = TempPath("full.jsonl");
  std::remove(path.c_str());
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of a signal
    struct rlimit limit = {4000, 4000};
    setrlimit(RLIMIT_FSIZE, &limit);
    int logged = 0;
    auto file = DeadLetterFile::Open(
        path, kOrigin, [&logged](const LogRecord& r) {
          if (r.level == LogRecord::Level::kError) ++logged;
        });
    if (!file.ok()) _exit(10);
    size_t kept = 0, lost = 0;
    for (int i = 0; i < 100; ++i) {
      QueuedMessage q = Queued(
          MessageBuilder().SetText(std::string(200, 'x')).Build(), i + 1);
      const size_t k =
          (*file)->Keep(&q, 1, Outcome::kDroppedByDestination, absl::Now());
      kept += k;
      lost += 1 - k;
    }
    if (kept == 0 || lost == 0) _exit(11);
    if (logged != 1) _exit(12);  // at most one line a second
    (void)(*file)->Shutdown(absl::Now());
    // Tell the parent how many lines should be there.
    _exit(static_cast<int>(kept < 100 ? kept : 99) + 20);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  const int code = WEXITSTATUS(status);
  ASSERT_GE(code, 20) << "child failed with " << code;
  const size_t kept = static_cast<size_t>(code - 20);
  const std::vector<std::string> lines = ReadLines(path);
  EXPECT_EQ(lines.size(), kept);
  for (const std::string& line : lines) {
    EXPECT_FALSE(Json::parse(line, nullptr, false).is_discarded()) << line;
  }
  std::ifstream in(path, std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), {});
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.back(), '\n');
  std::remove(path.c_str());
}

}  // namespace
}  // namespace pydest::internal
