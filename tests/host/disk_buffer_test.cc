// disk-buffer() through the host: what is still queued at the Shutdown
// deadline stays in the buffer (kKeptInDiskBuffer) and the next host over
// the same buffer delivers it first, in order; messages beyond the memory
// part wait in the files and come back in order; a buffer is one process's;
// a full buffer follows the overflow policy and says so.
#include <unistd.h>

#include <filesystem>
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

class DiskBufferHostTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           absl::StrCat("pydest_dq_", ::getpid(), "_",
                        testing::UnitTest::GetInstance()
                            ->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A run over this test's buffer.
  void UseBuffer(HostRun& run) {
    DiskBufferSpec spec;
    spec.dir = dir_.string();
    run.options.disk_buffer = spec;
    run.options.persist_name = "dq_test";
    run.options.time_reopen = absl::Milliseconds(20);
  }
  static std::vector<std::string> Texts(const std::string& prefix, int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) out.push_back(absl::StrCat(prefix, i));
    return out;
  }
  static std::vector<std::string> SentTexts(HostRun& run) {
    std::vector<std::string> out;
    for (const auto& c : run.Calls()) {
      if (c["call"] == "send") out.push_back(c["msg"].get<std::string>());
    }
    return out;
  }

  fs::path dir_;
};

TEST_F(DiskBufferHostTest, KeptAtShutdownAndDeliveredFirstByTheNextHost) {
  const std::vector<std::string> first = Texts("m", 50);
  {
    HostRun run("BehaveDest", {{"open_ret", "false"}});  // never delivers
    UseBuffer(run);
    ASSERT_TRUE(run.Create().ok());
    SendAll(run.host(), first);
    ASSERT_TRUE(run.host().Shutdown(In(absl::Milliseconds(300))).ok());
    run.ExpectOneOutcomeEach(first, Outcome::kKeptInDiskBuffer);
    const DestinationStats s = run.host().stats();
    EXPECT_EQ(s.kept_in_disk_buffer, 50u);
    EXPECT_EQ(s.dropped(), 0u);
    EXPECT_EQ(s.processed, 50u);
  }
  {
    HostRun run("BehaveDest", {});
    UseBuffer(run);
    ASSERT_TRUE(run.Create().ok());
    EXPECT_EQ(run.host().stats().disk_buffer_recovered, 50u);
    EXPECT_EQ(run.CountLogs("Disk buffer holds messages of an earlier run"), 1);
    SendAll(run.host(), {"new"});
    ASSERT_TRUE(run.WaitOutcomes(51));
    ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
    std::vector<std::string> expected = first;
    expected.push_back("new");
    EXPECT_EQ(SentTexts(run), expected);
    EXPECT_EQ(run.host().stats().delivered, 51u);
    EXPECT_EQ(run.host().stats().queued, 51u);
  }
  HostRun run("BehaveDest", {});
  UseBuffer(run);
  ASSERT_TRUE(run.Create().ok());
  EXPECT_EQ(run.host().stats().disk_buffer_recovered, 0u);
}

// The documented way to change a destination's options while messages
// keep coming (docs/disk-buffer.md, "Changing a destination's options"):
// the producer hands over to nobody while the old host shuts down (what it
// could not deliver stays in the buffer), the new host takes the buffer
// over and delivers that first, then the producer hands over to it. Every
// message is delivered, in order, by one host or the other.
TEST_F(DiskBufferHostTest, SwappingOptionsOverTheBufferLosesNothing) {
  const std::vector<std::string> texts = Texts("w", 300);
  size_t next = 0;
  std::vector<std::string> delivered;
  {
    // The old options: a slow send(), so that the swap finds a backlog.
    HostRun old_host("BehaveDest", {{"send_ret", "sleep"}, {"sleep", "0.002"}});
    UseBuffer(old_host);
    ASSERT_TRUE(old_host.Create().ok());
    for (; next < 150; ++next) {
      ASSERT_TRUE(old_host.host().Send(TextMessage(texts[next])).ok());
    }
    // Swap: stop handing over, shut the old one down with a short deadline.
    const absl::Status swapped = old_host.host().Shutdown(In(absl::Milliseconds(200)));
    ASSERT_TRUE(swapped.ok()) << swapped;
    const DestinationStats s = old_host.host().stats();
    EXPECT_GT(s.kept_in_disk_buffer, 0u) << "the swap found no backlog";
    EXPECT_EQ(s.delivered + s.kept_in_disk_buffer, 150u);
    EXPECT_EQ(s.dropped(), 0u);
    delivered = SentTexts(old_host);
  }
  // The new options, over the same buffer.
  HostRun new_host("BehaveDest", {{"flush_ret", "true"}});
  UseBuffer(new_host);
  ASSERT_TRUE(new_host.Create().ok());
  for (; next < texts.size(); ++next) {
    ASSERT_TRUE(new_host.host().Send(TextMessage(texts[next])).ok());
  }
  ASSERT_TRUE(new_host.host().Shutdown(In(absl::Seconds(20))).ok());
  EXPECT_EQ(new_host.host().stats().dropped(), 0u);
  // A send() the old host's deadline cut short may be repeated (at least
  // once); otherwise each text once, in order.
  for (const std::string& t : SentTexts(new_host)) {
    if (delivered.empty() || delivered.back() != t) delivered.push_back(t);
  }
  EXPECT_EQ(delivered, texts);
}

TEST_F(DiskBufferHostTest, MessagesBeyondTheMemoryPartComeBackInOrder) {
  HostRun run("BehaveDest", {{"open_delay", "0.3"}});
  UseBuffer(run);
  run.options.disk_buffer->mem_buf_length = 8;
  run.options.disk_buffer->front_cache_size = 5;
  ASSERT_TRUE(run.Create().ok());
  const std::vector<std::string> texts = Texts("s", 300);
  SendAll(run.host(), texts);
  EXPECT_GT(run.host().stats().disk_buffer_bytes, 0u);
  ASSERT_TRUE(run.WaitOutcomes(300));
  ASSERT_TRUE(run.host().Shutdown(In(absl::Seconds(5))).ok());
  EXPECT_EQ(SentTexts(run), texts);
  run.ExpectOneOutcomeEach(texts, Outcome::kDelivered);
  EXPECT_EQ(run.host().stats().queue_depth, 0u);
}

TEST_F(DiskBufferHostTest, ASecondHostOnTheSameBufferIsRefused) {
  HostRun first("BehaveDest", {});
  UseBuffer(first);
  ASSERT_TRUE(first.Create().ok());
  HostRun second("BehaveDest", {});
  UseBuffer(second);
  const absl::Status s = second.Create();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("disk-buffer(): disk buffer "));
  EXPECT_THAT(s.message(), HasSubstr(absl::StrCat("in use by process ",
                                                  ::getpid())));
}

TEST_F(DiskBufferHostTest, AFullBufferUnderBlockSaysWhyTheProducerWaits) {
  HostRun run("BehaveDest", {{"open_ret", "false"}});  // never delivers
  UseBuffer(run);
  run.options.disk_buffer->disk_buf_size = 1 << 20;
  ASSERT_TRUE(run.Create().ok());
  const std::string big(8000, 'x');
  int taken = 0;
  for (int i = 0; i < 400; ++i) {
    taken += run.host().TrySend(TextMessage(absl::StrCat(i, big))) ? 1 : 0;
  }
  EXPECT_GT(taken, 0);
  EXPECT_LT(taken, 400);  // refused once the buffer was full, not dropped
  EXPECT_EQ(run.host().stats().dropped(), 0u);
  EXPECT_GE(run.CountLogs("Disk buffer full; waiting for room"), 1);
  ASSERT_TRUE(run.host().Shutdown(In(absl::Milliseconds(300))).ok());
}

TEST_F(DiskBufferHostTest, AFullBufferDropsAsOverflowSaysAndLogsWhy) {
  HostRun run("BehaveDest", {{"open_ret", "false"}});
  UseBuffer(run);
  run.options.disk_buffer->disk_buf_size = 1 << 20;
  run.options.overflow = OverflowPolicy::kDropNewest;
  ASSERT_TRUE(run.Create().ok());
  const std::string big(8000, 'x');
  int sent = 0;
  for (; sent < 400; ++sent) {
    ASSERT_TRUE(run.host().Send(TextMessage(absl::StrCat(sent, big))).ok());
  }
  const DestinationStats s = run.host().stats();
  EXPECT_GT(s.dropped_queue_overflow, 0u);
  EXPECT_LT(s.queued, 400u);
  EXPECT_LE(s.disk_buffer_bytes, uint64_t{1} << 20);
  EXPECT_GE(run.CountLogs("Disk buffer full"), 1);
  ASSERT_TRUE(run.host().Shutdown(In(absl::Milliseconds(300))).ok());
  const DestinationStats end = run.host().stats();
  EXPECT_EQ(end.kept_in_disk_buffer, end.queued);
  EXPECT_EQ(end.kept_in_disk_buffer + end.dropped_queue_overflow, 400u);
}

TEST_F(DiskBufferHostTest, AFullBufferUnderBlockRefusesTrySend) {
  HostRun run("BehaveDest", {{"open_ret", "false"}});
  UseBuffer(run);
  run.options.disk_buffer->disk_buf_size = 1 << 20;
  ASSERT_TRUE(run.Create().ok());
  const std::string big(8000, 'y');
  int accepted = 0;
  while (accepted < 1000 &&
         run.host().TrySend(TextMessage(absl::StrCat(accepted, big)))) {
    ++accepted;
  }
  EXPECT_GT(accepted, 50);
  EXPECT_LT(accepted, 1000);
  ASSERT_TRUE(run.host().Shutdown(In(absl::Milliseconds(300))).ok());
  EXPECT_EQ(run.host().stats().kept_in_disk_buffer,
            static_cast<uint64_t>(accepted));
}

}  // namespace
}  // namespace pydest
