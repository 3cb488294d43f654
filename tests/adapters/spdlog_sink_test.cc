// pydest/spdlog_sink.h against a recording host: how an spdlog record
// becomes a Message, what the options change, and that records the host
// refuses are counted, not lost silently.
#include "pydest/spdlog_sink.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "pydest/host.h"
#include "spdlog/spdlog.h"

namespace pydest {
namespace {

// Keeps what it is handed; refuses everything once `open` is false.
class RecordingHost : public PyDestinationHost {
 public:
  using PyDestinationHost::Send;
  using PyDestinationHost::TrySend;
  absl::Status Send(Message message, uint64_t) override {
    if (!open) return absl::FailedPreconditionError("shut down");
    Keep(std::move(message), /*waited=*/true);
    return absl::OkStatus();
  }
  bool TrySend(Message message, uint64_t) override {
    if (!open) return false;
    Keep(std::move(message), /*waited=*/false);
    return true;
  }
  absl::Status Flush(absl::Time) override {
    ++flushes;
    return flush_status;
  }
  absl::Status Shutdown(absl::Time) override { return absl::OkStatus(); }
  DestinationStats stats() const override { return {}; }

  std::vector<Message> Taken() {
    absl::MutexLock lock(&mu_);
    return messages_;
  }

  bool open = true;
  bool last_waited = false;
  int flushes = 0;
  absl::Status flush_status;

 private:
  void Keep(Message m, bool waited) {
    absl::MutexLock lock(&mu_);
    messages_.push_back(std::move(m));
    last_waited = waited;
  }
  absl::Mutex mu_;
  std::vector<Message> messages_;
};

TEST(SpdlogSinkTest, MapsLevelLoggerTimeAndText) {
  auto host = std::make_shared<RecordingHost>();
  SpdlogSinkOptions options;
  options.host = "h1";
  auto sink = std::make_shared<PyDestinationSinkSt>(host, options);
  spdlog::logger logger("billing", sink);
  logger.set_level(spdlog::level::trace);
  const auto before = std::chrono::system_clock::now();
  logger.error("charge {} failed", 7);
  logger.trace("detail");

  const std::vector<Message> got = host->Taken();
  ASSERT_EQ(got.size(), 2u);
  const Message& m = got[0];
  EXPECT_EQ(m.text(), "charge 7 failed");
  EXPECT_EQ(m.program(), "billing");
  EXPECT_EQ(m.host(), "h1");
  EXPECT_EQ(m.pid(), std::to_string(::getpid()));
  EXPECT_EQ(m.severity(), static_cast<int>(Severity::kError));
  EXPECT_EQ(m.facility(), kFacilityUser);
  EXPECT_GE(m.stamp().ToTime(), absl::FromChrono(before) - absl::Microseconds(1));
  EXPECT_EQ(m.stamp().utc_offset_seconds, 0);
  EXPECT_TRUE(m.Get(".spdlog.thread_id").has_value());
  EXPECT_FALSE(m.Get(".spdlog.file").has_value());  // no source location
  EXPECT_EQ(got[1].severity(), static_cast<int>(Severity::kDebug));
  EXPECT_TRUE(host->last_waited);  // wait_when_full: Send
  EXPECT_EQ(sink->refused(), 0u);
}

TEST(SpdlogSinkTest, EveryLevelHasASeverity) {
  EXPECT_EQ(SeverityFromSpdlogLevel(spdlog::level::trace), Severity::kDebug);
  EXPECT_EQ(SeverityFromSpdlogLevel(spdlog::level::debug), Severity::kDebug);
  EXPECT_EQ(SeverityFromSpdlogLevel(spdlog::level::info),
            Severity::kInformational);
  EXPECT_EQ(SeverityFromSpdlogLevel(spdlog::level::warn), Severity::kWarning);
  EXPECT_EQ(SeverityFromSpdlogLevel(spdlog::level::err), Severity::kError);
  EXPECT_EQ(SeverityFromSpdlogLevel(spdlog::level::critical),
            Severity::kCritical);
}

TEST(SpdlogSinkTest, SourceLocationBecomesPrefixedPairs) {
  auto host = std::make_shared<RecordingHost>();
  SpdlogSinkOptions options;
  options.pairs_prefix = ".app.";
  auto logger = std::make_shared<spdlog::logger>(
      "x", std::make_shared<PyDestinationSinkSt>(host, options));
  SPDLOG_LOGGER_CALL(logger, spdlog::level::info, "located");
  const std::vector<Message> got = host->Taken();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].Get(".app.line"), std::to_string(__LINE__ - 3));
  EXPECT_NE(got[0].Get(".app.file").value_or("").find("spdlog_sink_test.cc"),
            std::string_view::npos);
  EXPECT_EQ(got[0].Get(".app.function"), "TestBody");
  EXPECT_FALSE(got[0].Get(".spdlog.thread_id").has_value());
}

TEST(SpdlogSinkTest, EmptyPrefixAddsNoPairsAndDefaultProgramNamesTheUnnamed) {
  auto host = std::make_shared<RecordingHost>();
  SpdlogSinkOptions options;
  options.pairs_prefix = "";
  options.default_program = "myapp";
  spdlog::logger logger("", std::make_shared<PyDestinationSinkSt>(host, options));
  logger.info("hi");
  const Message m = host->Taken().at(0);
  EXPECT_EQ(m.program(), "myapp");
  int pairs = 0;
  m.ForEachPair([&](std::string_view name, std::string_view) {
    pairs += name[0] == '.' ? 1 : 0;
  });
  EXPECT_EQ(pairs, 0);
  EXPECT_FALSE(m.host().empty());  // the machine's name
}

TEST(SpdlogSinkTest, UseFormatterSendsThePatternedLineWithoutNewline) {
  auto host = std::make_shared<RecordingHost>();
  SpdlogSinkOptions options;
  options.use_formatter = true;
  auto sink = std::make_shared<PyDestinationSinkSt>(host, options);
  sink->set_pattern("[%n] %l: %v");
  spdlog::logger logger("svc", sink);
  logger.warn("disk at {}%", 91);
  EXPECT_EQ(host->Taken().at(0).text(), "[svc] warning: disk at 91%");
}

TEST(SpdlogSinkTest, RefusedRecordsAreCounted) {
  auto host = std::make_shared<RecordingHost>();
  SpdlogSinkOptions options;
  options.wait_when_full = false;
  auto sink = std::make_shared<PyDestinationSinkMt>(host, options);
  spdlog::logger logger("svc", sink);
  logger.info("taken");
  EXPECT_FALSE(host->last_waited);  // TrySend
  host->open = false;
  logger.info("refused 1");
  logger.info("refused 2");
  EXPECT_EQ(host->Taken().size(), 1u);
  EXPECT_EQ(sink->refused(), 2u);
}

TEST(SpdlogSinkTest, FlushWaitsThroughTheHostAndCountsTimeouts) {
  auto host = std::make_shared<RecordingHost>();
  auto sink = std::make_shared<PyDestinationSinkMt>(host);
  spdlog::logger logger("svc", sink);
  logger.flush();
  EXPECT_EQ(host->flushes, 1);
  EXPECT_EQ(sink->flush_timeouts(), 0u);
  host->flush_status = absl::DeadlineExceededError("slow");
  logger.flush();
  EXPECT_EQ(sink->flush_timeouts(), 1u);
}

}  // namespace
}  // namespace pydest
