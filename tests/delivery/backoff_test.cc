// time-reopen() backoff: syslog-ng's fixed interval and libpydest's
// exponential schedule with cap and jitter.
#include "libpydest/delivery/backoff.h"

#include "gtest/gtest.h"
#include "tests/delivery/fake_clock.h"

namespace pydest::internal {
namespace {

TEST(BackoffTest, FixedBackoffAlwaysWaitsTimeReopen) {
  FakeClock clock;
  Backoff b(absl::Seconds(1), ReopenBackoff{}, &clock);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(b.Next(), absl::Seconds(1));
}

TEST(BackoffTest, ExponentialBackoffGrowsByMultiplierUpToCap) {
  FakeClock clock;
  ReopenBackoff p;
  p.kind = ReopenBackoff::Kind::kExponential;
  p.multiplier = 3;
  p.max_interval = absl::Seconds(20);
  p.jitter = 0;
  Backoff b(absl::Seconds(1), p, &clock);
  EXPECT_EQ(b.Next(), absl::Seconds(1));
  EXPECT_EQ(b.Next(), absl::Seconds(3));
  EXPECT_EQ(b.Next(), absl::Seconds(9));
  EXPECT_EQ(b.Next(), absl::Seconds(20));
  for (int i = 0; i < 2000; ++i) b.Next();  // no overflow at large n
  EXPECT_EQ(b.Next(), absl::Seconds(20));
}

TEST(BackoffTest, ResetStartsOverFromTimeReopen) {
  FakeClock clock;
  ReopenBackoff p;
  p.kind = ReopenBackoff::Kind::kExponential;
  p.jitter = 0;
  Backoff b(absl::Seconds(2), p, &clock);
  b.Next();
  b.Next();
  b.Reset();
  EXPECT_EQ(b.Next(), absl::Seconds(2));
}

TEST(BackoffTest, JitterStaysWithinBounds) {
  FakeClock clock;
  ReopenBackoff p;
  p.kind = ReopenBackoff::Kind::kExponential;
  p.multiplier = 2;
  p.max_interval = absl::Seconds(10);
  p.jitter = 0.25;
  for (double f : {0.0, 1.0}) {
    clock.SetUniformFraction(f);
    Backoff b(absl::Seconds(4), p, &clock);
    // 4 s +/- 25%, then 8 s +/- 25%, then the 10 s cap +/- 25%.
    EXPECT_EQ(b.Next(), absl::Seconds(f == 0 ? 3 : 5));
    EXPECT_EQ(b.Next(), absl::Seconds(f == 0 ? 6 : 10));
    EXPECT_EQ(b.Next(), absl::Seconds(f == 0 ? 7.5 : 12.5));
  }
}

TEST(BackoffTest, RealClockJitterStaysWithinBounds) {
  ReopenBackoff p;
  p.kind = ReopenBackoff::Kind::kExponential;
  p.multiplier = 1;
  p.jitter = 0.1;
  Backoff b(absl::Seconds(1), p, Clock::Real());
  for (int i = 0; i < 1000; ++i) {
    const absl::Duration d = b.Next();
    EXPECT_GE(d, absl::Milliseconds(900));
    EXPECT_LE(d, absl::Milliseconds(1100));
  }
}

}  // namespace
}  // namespace pydest::internal
