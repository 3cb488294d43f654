// The recycling of message representations (libpydest/message/rep_pool.h):
// a message built after one was dropped reuses its rep and allocates
// nothing, yet shows nothing of the dropped message.
#include "libpydest/message/rep_pool.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "libpydest/message/message_rep.h"
#include "pydest/message.h"
#include "tests/common/allocation_counter.h"

namespace pydest {
namespace {

using internal::BuiltinPair;

const internal::MessageRep& Rep(const Message& m) {
  return internal::MessageAccess::Rep(m);
}

constexpr std::string_view kText1 =
    "message number 1 from cron with some payload text";
constexpr std::string_view kText2 =
    "message number 2 from cron with some payload text";

Message BuildTypical(std::string_view text = kText1) {
  MessageBuilder b;
  b.SetPri(13)
      .SetHost("host1")
      .SetProgram("cron")
      .SetPid("1001")
      .Set(kFileName, "/var/log/some/long/path/messages.log")
      .SetText(text)
      .AddTag(".source.s_file");
  return b.Build();
}

TEST(RepPool, DroppedMessageRepIsReusedByTheNextBuild) {
  const internal::MessageRep* first;
  {
    Message m = BuildTypical(kText1);
    first = &Rep(m);
  }
  Message again = BuildTypical(kText2);
  EXPECT_EQ(&Rep(again), first);
}

TEST(RepPool, RebuildingATypicalMessageAllocatesNothing) {
  { Message warm = BuildTypical(kText1); }
  const long before = testing::AllocationCount();
  for (int i = 0; i < 100; ++i) {
    Message m = BuildTypical(kText2);  // same lengths: the buffers fit
    ASSERT_EQ(m.program(), "cron");
  }
  EXPECT_EQ(testing::AllocationCount(), before);
}

TEST(RepPool, RecycledRepKeepsNothingOfItsLastMessage) {
  const internal::MessageRep* used;
  {
    MessageBuilder b;
    b.SetStamp({100, 5, 3600})
        .SetReceived({200, 6, 7200})
        .SetPri(3)
        .AddFlags(kMessageParseError)
        .SetHost("h")
        .SetMsgId("ID47")
        .Set("custom", "value")
        .AddSdParam("meta", "sequenceId", "9")
        .AddTag("tag")
        .SetSourceIp("10.0.0.1")
        .SetDestIp("10.0.0.2")
        .SetDestPort(514)
        .SetProto(6);
    Message m = b.Build();
    used = &Rep(m);
  }
  MessageBuilder b;
  b.SetProgram("p");
  Message fresh = b.Build();
  ASSERT_EQ(&Rep(fresh), used);
  const Message empty;
  EXPECT_EQ(fresh.stamp(), empty.stamp());
  EXPECT_EQ(fresh.received(), empty.received());
  EXPECT_EQ(fresh.facility(), kFacilityUser);
  EXPECT_EQ(fresh.severity(), kSeverityNotice);
  EXPECT_EQ(fresh.flags(), 0u);
  EXPECT_EQ(fresh.Get(kHost), std::nullopt);
  EXPECT_EQ(fresh.Get(kMsgId), std::nullopt);
  EXPECT_EQ(fresh.Get("custom"), std::nullopt);
  EXPECT_EQ(fresh.Get(".SDATA.meta.sequenceId"), std::nullopt);
  EXPECT_EQ(fresh.sd_element_count(), 0u);
  EXPECT_TRUE(fresh.tags().empty());
  EXPECT_EQ(fresh.source_ip(), "");
  EXPECT_EQ(fresh.dest_ip(), "");
  EXPECT_EQ(fresh.dest_port(), 0);
  EXPECT_EQ(fresh.proto(), 0);
  EXPECT_EQ(fresh.program(), "p");
  int pairs = 0;
  fresh.ForEachPair([&](std::string_view, std::string_view) { ++pairs; });
  EXPECT_EQ(pairs, 1);
}

TEST(RepPool, LongValueBufferIsNotKeptForTheNextMessage) {
  {
    MessageBuilder b;
    b.SetText(std::string(100000, 'x'));
    Message m = b.Build();
  }
  MessageBuilder b;
  b.SetText("short");
  Message m = b.Build();
  EXPECT_LE(Rep(m).builtin_value(BuiltinPair::kMessage).capacity(), 1024u);
}

TEST(RepPool, RepReleasedOnAnotherThreadComesBackToTheBuilder) {
  Message m = BuildTypical(kText1);
  const internal::MessageRep* rep = &Rep(m);
  std::thread other([moved = std::move(m)]() mutable { Message gone(std::move(moved)); });
  other.join();
  Message next = BuildTypical(kText2);
  EXPECT_EQ(&Rep(next), rep);
  EXPECT_EQ(next.text(), kText2);
}

TEST(RepPool, CopiesKeepTheRepUntilTheLastGoes) {
  Message a = BuildTypical(kText1);
  const internal::MessageRep* rep = &Rep(a);
  Message b = a;
  a = Message();
  Message c = BuildTypical(kText2);  // must not get b's rep
  EXPECT_NE(&Rep(c), rep);
  EXPECT_EQ(b.text(), kText1);
}

TEST(RepPool, MovedFromMessageIsEmpty) {
  Message a = BuildTypical(kText1);
  Message b = std::move(a);
  EXPECT_EQ(a.Get(kProgram), std::nullopt);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(b.program(), "cron");
  a = b;
  EXPECT_EQ(a.program(), "cron");
  a = a;  // self-assignment keeps it
  EXPECT_EQ(a.program(), "cron");
}

TEST(RepPool, UnbuiltBuilderGivesItsRepBack) {
  { Message warm = BuildTypical(); }
  const size_t before = internal::PooledRepCount();
  {
    MessageBuilder b;
    b.SetHost("never built");
    MessageBuilder moved = std::move(b);
    EXPECT_EQ(internal::PooledRepCount(), before - 1);
  }
  EXPECT_EQ(internal::PooledRepCount(), before);
  Message next = BuildTypical();
  EXPECT_EQ(next.host(), "host1");
}

// Last: it leaves the pool full, which the counts above do not expect.
TEST(RepPool, UnusedRepsAreBoundedAfterABurst) {
  {
    std::vector<Message> burst;
    for (size_t i = 0; i < internal::kMaxPooledReps + 500; ++i) {
      burst.push_back(BuildTypical());
    }
  }
  // Kept until a thread builds again; then trimmed to the limit.
  EXPECT_GE(internal::PooledRepCount(), internal::kMaxPooledReps);
  Message next = BuildTypical();
  EXPECT_LE(internal::PooledRepCount(), internal::kMaxPooledReps);
  EXPECT_GT(internal::PooledRepCount(), 0u);
}

}  // namespace
}  // namespace pydest
