// EncodeMessage/DecodeMessage: every field of a Message survives the trip
// (what the disk buffer relies on after a restart), and hostile bytes are
// errors, never crashes or reads past the end.
#include "libpydest/message/message_codec.h"

#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "pydest/message.h"

namespace pydest::internal {
namespace {

Message FullMessage() {
  return MessageBuilder()
      .SetStamp({-86400 * 365, 999999, -5 * 3600})
      .SetReceived({1700000000, 1, 3600 + 1800})
      .SetFacility(23)
      .SetSeverity(0)
      .AddFlags(kMessageParseError | kMessageInvalidUtf8)
      .SetHost("web01")
      .SetProgram("app")
      .SetPid("42")
      .SetMsgId("ID7")
      .SetText(std::string("bytes \xff\x00 kept", 13))
      .Set("HOST_FROM", "relay")
      .Set("custom", "")
      .Set("", "empty name")
      .Set("z.last", "z")
      .AddSdParam("exampleSDID@32473", "iut", "3")
      .AddSdParam("exampleSDID@32473", "eventSource", "Application")
      .AddSdElement("empty@1")
      .AddTag("t1")
      .AddTag(".source.s_file")
      .SetSourceIp("10.0.0.1")
      .SetDestIp("::1")
      .SetDestPort(514)
      .SetProto(17)
      .Build();
}

// Every observable field, as one comparable text.
std::string Describe(const Message& m) {
  std::string out;
  auto ts = [&](const Timestamp& t) {
    out += std::to_string(t.unix_seconds) + "." +
           std::to_string(t.microseconds) + "@" +
           std::to_string(t.utc_offset_seconds) + " ";
  };
  ts(m.stamp());
  ts(m.received());
  out += std::to_string(m.pri()) + " " + std::to_string(m.flags()) + " |";
  m.ForEachPair([&](std::string_view n, std::string_view v) {
    out.append(n).append("=").append(v).append("|");
  });
  for (size_t i = 0; i < m.sd_element_count(); ++i) {
    out.append(" [").append(m.sd_element_id(i));
    for (const SdParam& p : m.sd_params(i)) {
      out.append(" ").append(p.name).append("=").append(p.value);
    }
    out += "]";
  }
  for (const std::string& t : m.tags()) out += " #" + t;
  out.append(" ").append(m.source_ip()).append(" ").append(m.dest_ip());
  out += " " + std::to_string(m.dest_port()) + " " + std::to_string(m.proto());
  return out;
}

TEST(MessageCodecTest, EveryFieldRoundTrips) {
  const Message original = FullMessage();
  std::string bytes;
  EncodeMessage(original, &bytes);
  absl::StatusOr<Message> back = DecodeMessage(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(Describe(*back), Describe(original));
  EXPECT_EQ(back->Get(".SDATA.exampleSDID@32473.iut"), "3");
}

TEST(MessageCodecTest, EmptyMessageRoundTripsAndIsSmall) {
  std::string bytes;
  EncodeMessage(Message(), &bytes);
  EXPECT_LT(bytes.size(), 24u);
  absl::StatusOr<Message> back = DecodeMessage(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(Describe(*back), Describe(Message()));
}

TEST(MessageCodecTest, EncodingAppends) {
  std::string bytes = "prefix";
  EncodeMessage(Message(), &bytes);
  EXPECT_EQ(bytes.substr(0, 6), "prefix");
  EXPECT_TRUE(DecodeMessage(std::string_view(bytes).substr(6)).ok());
}

TEST(MessageCodecTest, OtherVersionsAndTrailingBytesAreRefused) {
  std::string bytes;
  EncodeMessage(FullMessage(), &bytes);
  std::string other = bytes;
  other[0] = 9;
  EXPECT_EQ(DecodeMessage(other).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(DecodeMessage(other).status().message().find("version 9"),
            std::string::npos);
  EXPECT_FALSE(DecodeMessage(bytes + "x").ok());
  EXPECT_FALSE(DecodeMessage("").ok());
}

TEST(MessageCodecTest, EveryTruncationIsAnError) {
  std::string bytes;
  EncodeMessage(FullMessage(), &bytes);
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(DecodeMessage(std::string_view(bytes).substr(0, n)).ok()) << n;
  }
}

TEST(MessageCodecTest, RandomCorruptionNeverCrashes) {
  std::string bytes;
  EncodeMessage(FullMessage(), &bytes);
  std::mt19937 rng(7);
  int decoded = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string bad = bytes;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; ++i) {
      bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    }
    // Either an error or some message: both are fine, a crash is not.
    decoded += DecodeMessage(bad).ok() ? 1 : 0;
  }
  // Random bytes too, of every small length.
  for (int round = 0; round < 5000; ++round) {
    std::string noise(rng() % 64, '\0');
    for (char& c : noise) c = static_cast<char>(rng());
    decoded += DecodeMessage(noise).ok() ? 1 : 0;
  }
  EXPECT_GE(decoded, 0);
}

TEST(MessageCodecTest, HugeCountsAreRefusedWithoutLooping) {
  // Version, two zero timestamps, pri, flags 0, no built-ins, then a pair
  // count of 2^62.
  std::string bytes = {1, 0, 0, 0, 0, 0, 0, 1, 5, 0, 0};
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>(0xff));
  bytes.push_back(0x3f);
  absl::Status s = DecodeMessage(bytes).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("count larger than the record"),
            std::string::npos) << s;
}

}  // namespace
}  // namespace pydest::internal
