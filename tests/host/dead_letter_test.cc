// dead-letter() through the host, with real Python classes: drops go to a
// JSON-lines file (DROP from send(), an on-error drop of value-pairs), or
// to a second Python destination that inherits the first one's paths; what
// the second one refuses is counted; errors in the dead letter itself fail
// Create with a message naming it.
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/host.h"
#include "tests/host/host_test_util.h"

namespace pydest {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class DeadLetterHostTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           absl::StrCat("pydest_dl_", ::getpid(), "_",
                        testing::UnitTest::GetInstance()
                            ->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A second BehaveDest recording into `out`, without python_path or
  // state_dir of its own (it inherits them).
  static std::shared_ptr<DestinationOptions> Second(
      const fs::path& out,
      std::vector<std::pair<std::string, std::string>> opts = {}) {
    auto second = std::make_shared<DestinationOptions>();
    second->class_name = "behave.BehaveDest";
    opts.emplace_back("out", out.string());
    for (auto& [k, v] : opts) {
      OptionValue value;
      value.text = v;
      second->options.emplace_back(k, value);
    }
    return second;
  }
  static std::vector<std::string> Sent(const fs::path& out) {
    std::vector<std::string> texts;
    for (const auto& c : ReadJsonLines(out)) {
      if (c["call"] == "send") texts.push_back(c["msg"].get<std::string>());
    }
    return texts;
  }

  fs::path dir_;
};

TEST_F(DeadLetterHostTest, DroppedMessagesAreAppendedToTheFile) {
  HostRun run("BehaveDest", {{"send_ret", "drop"}});
  // DROP suspends the worker for time-reopen() (3.x behaviour): keep it short.
  run.options.time_reopen = absl::Milliseconds(10);
  const fs::path file = dir_ / "dead.jsonl";
  run.options.dead_letter = DeadLetterSpec{file.string(), nullptr};
  ASSERT_TRUE(run.Create().ok());
  const std::vector<std::string> texts = {"a", "b", "c"};
  SendAll(run.host(), texts);
  ASSERT_TRUE(run.host().Flush(In(absl::Seconds(30))).ok());
  run.ExpectOneOutcomeEach(texts, Outcome::kDroppedByDestination);
  const std::vector<nlohmann::json> lines = ReadJsonLines(file);
  ASSERT_EQ(lines.size(), 3u);
  for (size_t i = 0; i < lines.size(); ++i) {
    const nlohmann::json& meta = lines[i]["@dead_letter"];
    EXPECT_EQ(meta["reason"], "dropped_by_destination");
    EXPECT_EQ(meta["destination"], "d_py#0");
    EXPECT_EQ(meta["class"], "behave.BehaveDest");
    EXPECT_EQ(meta["seqnum"], i + 1);
    EXPECT_EQ(lines[i]["MESSAGE"], texts[i]);
  }
  const DestinationStats stats = run.host().stats();
  EXPECT_EQ(stats.dead_lettered, 3u);
  EXPECT_EQ(stats.dead_letter_failed, 0u);
  EXPECT_FALSE(run.host().dead_letter_stats().has_value());
}

TEST_F(DeadLetterHostTest, AnOnErrorDropIsDeadLetteredWithItsReason) {
  HostRun run("BehaveDest", {});
  // value-pairs(pair("n" int("$MESSAGE")) pair("MESSAGE" "$MESSAGE")).
  ValuePairsSpec vp;
  vp.pairs.push_back({"n", "$MESSAGE", TypeHint::kInt32});
  vp.pairs.push_back({"MESSAGE", "$MESSAGE", TypeHint::kNone});
  run.options.value_pairs = vp;
  const fs::path file = dir_ / "dead.jsonl";
  run.options.dead_letter = DeadLetterSpec{file.string(), nullptr};
  ASSERT_TRUE(run.Create().ok());
  SendAll(run.host(), {"12", "not a number", "34"});
  ASSERT_TRUE(run.host().Flush(In(absl::Seconds(30))).ok());
  const std::vector<nlohmann::json> lines = ReadJsonLines(file);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["@dead_letter"]["reason"], "dropped_on_error");
  EXPECT_EQ(lines[0]["MESSAGE"], "not a number");
  EXPECT_EQ(run.host().stats().delivered, 2u);
}

TEST_F(DeadLetterHostTest, ASecondPythonDestinationReceivesTheDrops) {
  HostRun run("BehaveDest", {{"send_ret", "drop"}});
  // DROP suspends the worker for time-reopen() (3.x behaviour): keep it short.
  run.options.time_reopen = absl::Milliseconds(10);
  const fs::path second_out = dir_ / "second.jsonl";
  run.options.dead_letter = DeadLetterSpec{"", Second(second_out)};
  ASSERT_TRUE(run.Create().ok()) << "second inherits python_path";
  const std::vector<std::string> texts = {"x1", "x2", "x3", "x4"};
  SendAll(run.host(), texts);
  // The first destination's Flush waits for the second one's deliveries.
  ASSERT_TRUE(run.host().Flush(In(absl::Seconds(30))).ok());
  EXPECT_EQ(Sent(second_out), texts);
  const DestinationStats stats = run.host().stats();
  EXPECT_EQ(stats.dropped_by_destination, 4u);
  EXPECT_EQ(stats.dead_lettered, 4u);
  ASSERT_TRUE(run.host().dead_letter_stats().has_value());
  EXPECT_EQ(run.host().dead_letter_stats()->delivered, 4u);
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(10))).ok());
  // Shut down with the first: its deinit() ran.
  bool deinit = false;
  for (const auto& c : ReadJsonLines(second_out)) {
    deinit = deinit || c["call"] == "deinit";
  }
  EXPECT_TRUE(deinit);
}

TEST_F(DeadLetterHostTest, WhatTheSecondDestinationRefusesIsCounted) {
  HostRun run("BehaveDest", {{"send_ret", "drop"}});
  // DROP suspends the worker for time-reopen() (3.x behaviour): keep it short.
  run.options.time_reopen = absl::Milliseconds(10);
  // One slot, and a send() that takes 50 ms: most drops find it full.
  auto second = Second(dir_ / "second.jsonl",
                       {{"send_ret", "sleep"}, {"sleep", "0.05"}});
  second->log_fifo_size = 1;
  run.options.dead_letter = DeadLetterSpec{"", second};
  ASSERT_TRUE(run.Create().ok());
  std::vector<std::string> texts;
  for (int i = 0; i < 40; ++i) texts.push_back(absl::StrCat("m", i));
  SendAll(run.host(), texts);
  ASSERT_TRUE(run.WaitOutcomes(40)) << run.host().stats().ToJson();
  const DestinationStats stats = run.host().stats();
  EXPECT_EQ(stats.dead_lettered + stats.dead_letter_failed, 40u);
  EXPECT_GT(stats.dead_letter_failed, 0u);
  EXPECT_GT(stats.dead_lettered, 0u);
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(20))).ok());
  // Whatever the second one accepted it also settled.
  ASSERT_TRUE(run.host().dead_letter_stats().has_value());
  EXPECT_EQ(run.host().dead_letter_stats()->processed, stats.dead_lettered);
}

// With a disk buffer, what is still queued at the Shutdown deadline is
// kept for the next run, not dropped: it never becomes a dead letter.
TEST_F(DeadLetterHostTest, MessagesKeptInADiskBufferAreNotDeadLetters) {
  HostRun run("BehaveDest", {{"send_ret", "sleep"}, {"sleep", "0.2"}});
  run.options.time_reopen = absl::Milliseconds(10);
  DiskBufferSpec buffer;
  buffer.dir = (dir_ / "dq").string();
  run.options.disk_buffer = buffer;
  run.options.persist_name = "dl_kept";
  const fs::path file = dir_ / "dead.jsonl";
  run.options.dead_letter = DeadLetterSpec{file.string(), nullptr};
  ASSERT_TRUE(run.Create().ok());
  std::vector<std::string> texts;
  for (int i = 0; i < 20; ++i) texts.push_back(absl::StrCat("k", i));
  SendAll(run.host(), texts);
  run.host().Shutdown(In(absl::Seconds(1))).IgnoreError();
  const DestinationStats stats = run.host().stats();
  EXPECT_GT(stats.kept_in_disk_buffer, 0u);
  EXPECT_EQ(stats.dropped(), 0u);
  EXPECT_EQ(stats.dead_lettered, 0u);
  EXPECT_TRUE(ReadJsonLines(file).empty());
}

TEST_F(DeadLetterHostTest, ErrorsInTheDeadLetterFailCreate) {
  {
    HostRun run("BehaveDest", {});
    run.options.dead_letter =
        DeadLetterSpec{(dir_ / "missing" / "dead.jsonl").string(), nullptr};
    absl::Status st = run.Create();
    ASSERT_FALSE(st.ok());
    EXPECT_THAT(st.message(), HasSubstr("missing/dead.jsonl"));
    EXPECT_THAT(st.message(), HasSubstr("cannot open it for appending"));
  }
  {
    HostRun run("BehaveDest", {});
    auto second = Second(dir_ / "second.jsonl");
    second->class_name = "behave.NoSuchClass";
    run.options.dead_letter = DeadLetterSpec{"", second};
    absl::Status st = run.Create();
    ASSERT_FALSE(st.ok());
    EXPECT_THAT(st.message(), HasSubstr("dead-letter(python()): "));
    EXPECT_THAT(st.message(), HasSubstr("NoSuchClass"));
  }
  {
    HostRun run("BehaveDest", {});
    run.options.dead_letter = DeadLetterSpec{};
    absl::Status st = run.Create();
    ASSERT_FALSE(st.ok());
    EXPECT_THAT(st.message(), HasSubstr("needs file(\"PATH\") or python"));
  }
}

}  // namespace
}  // namespace pydest
