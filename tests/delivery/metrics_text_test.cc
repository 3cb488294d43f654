// RenderMetrics (include/pydest/metrics.h): the exact Prometheus and
// OpenMetrics text of one small snapshot, label escaping, and the inputs it
// refuses. metrics_text_parse_test.py reads the text back with
// prometheus_client.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/metrics.h"

namespace pydest {
namespace {

using ::testing::HasSubstr;

// d_py: 3 accepted, 2 delivered, 1 dropped at shutdown; two send() calls
// within 10 us, queue times of 1 ms and 20 s.
NamedDestinationStats SmallSnapshot() {
  NamedDestinationStats d;
  d.name = "d_py";
  DestinationStats& s = d.stats;
  s.queued = 3;
  s.processed = 3;
  s.delivered = 2;
  s.dropped_shutdown = 1;
  s.queue_capacity = 100;
  s.suspended_ms = 2001;
  s.written_bytes = 42;
  s.send_latency.counts[0] = 2;
  s.send_latency.count = 2;
  s.send_latency.sum_seconds = 0.000012;
  s.queue_time.counts[6] = 1;
  s.queue_time.counts[LatencyHistogram::kBoundCount] = 1;
  s.queue_time.count = 2;
  s.queue_time.sum_seconds = 20.001;
  return d;
}

std::string Render(std::vector<NamedDestinationStats> all,
                   MetricsFormat format) {
  absl::StatusOr<std::string> text = RenderMetrics(all, format);
  EXPECT_TRUE(text.ok()) << text.status();
  return text.ok() ? *text : "";
}

TEST(MetricsTextTest, PrometheusTextOfASmallSnapshot) {
  // HELP and TYPE name the sample (with _total); no UNIT, no end marker.
  EXPECT_EQ(Render({SmallSnapshot()}, MetricsFormat::kPrometheusText),
            R"txt(# HELP pydest_messages_queued_total Messages accepted by Send, TrySend or TrySendBatch.
# TYPE pydest_messages_queued_total counter
pydest_messages_queued_total{destination="d_py"} 3
# HELP pydest_messages_processed_total Messages that reached their final outcome, by outcome (delivered, or why they were dropped).
# TYPE pydest_messages_processed_total counter
pydest_messages_processed_total{destination="d_py",outcome="delivered"} 2
pydest_messages_processed_total{destination="d_py",outcome="dropped_by_destination"} 0
pydest_messages_processed_total{destination="d_py",outcome="dropped_retries_exhausted"} 0
pydest_messages_processed_total{destination="d_py",outcome="dropped_on_error"} 0
pydest_messages_processed_total{destination="d_py",outcome="dropped_queue_overflow"} 0
pydest_messages_processed_total{destination="d_py",outcome="dropped_shutdown"} 1
pydest_messages_processed_total{destination="d_py",outcome="dropped_not_accepted"} 0
pydest_messages_processed_total{destination="d_py",outcome="kept_in_disk_buffer"} 0
pydest_messages_processed_total{destination="d_py",outcome="dropped_poison"} 0
# HELP pydest_queue_depth Messages in the queue now.
# TYPE pydest_queue_depth gauge
pydest_queue_depth{destination="d_py"} 0
# HELP pydest_queue_capacity The queue's size, log-fifo-size().
# TYPE pydest_queue_capacity gauge
pydest_queue_capacity{destination="d_py"} 100
# HELP pydest_retries_total Messages offered to send() again after an error.
# TYPE pydest_retries_total counter
pydest_retries_total{destination="d_py"} 0
# HELP pydest_reopens_total open() attempts after a failure or disconnect (a worker reconnects; worker threads are never restarted in-process).
# TYPE pydest_reopens_total counter
pydest_reopens_total{destination="d_py"} 0
# HELP pydest_worker_restarts_total isolation(process): worker processes started again after one died (a crash, an exit, a kill, send-timeout()).
# TYPE pydest_worker_restarts_total counter
pydest_worker_restarts_total{destination="d_py"} 0
# HELP pydest_suspended_seconds_total Time workers spent suspended, waiting for time-reopen() or the backoff.
# TYPE pydest_suspended_seconds_total counter
pydest_suspended_seconds_total{destination="d_py"} 2.001
# HELP pydest_python_exceptions_total Exceptions raised by the destination's Python code.
# TYPE pydest_python_exceptions_total counter
pydest_python_exceptions_total{destination="d_py"} 0
# HELP pydest_batches_total flush() calls that settled a batch.
# TYPE pydest_batches_total counter
pydest_batches_total{destination="d_py"} 0
# HELP pydest_casting_errors_total Values that could not take their type hint (on-error()).
# TYPE pydest_casting_errors_total counter
pydest_casting_errors_total{destination="d_py"} 0
# HELP pydest_late_completions_total send() or flush() calls that returned after their messages were dropped at the shutdown deadline.
# TYPE pydest_late_completions_total counter
pydest_late_completions_total{destination="d_py"} 0
# HELP pydest_written_bytes_total Bytes the destination reported with stats_written_bytes_add().
# TYPE pydest_written_bytes_total counter
pydest_written_bytes_total{destination="d_py"} 42
# HELP pydest_disk_buffer_bytes Bytes the destination's disk-buffer() files take (0 without one).
# TYPE pydest_disk_buffer_bytes gauge
pydest_disk_buffer_bytes{destination="d_py"} 0
# HELP pydest_disk_buffer_recovered_total Messages an earlier run left in the disk buffer, queued first.
# TYPE pydest_disk_buffer_recovered_total counter
pydest_disk_buffer_recovered_total{destination="d_py"} 0
# HELP pydest_dead_lettered_total Dropped messages the destination's dead-letter() took.
# TYPE pydest_dead_lettered_total counter
pydest_dead_lettered_total{destination="d_py"} 0
# HELP pydest_dead_letter_failed_total Dropped messages its dead-letter() could not take (file not writable, or its Python destination refused them).
# TYPE pydest_dead_letter_failed_total counter
pydest_dead_letter_failed_total{destination="d_py"} 0
# HELP pydest_send_latency_seconds How long each send() call took, retries included.
# TYPE pydest_send_latency_seconds histogram
pydest_send_latency_seconds_bucket{destination="d_py",le="1e-05"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="2.5e-05"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="5e-05"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.0001"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.00025"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.0005"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.001"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.0025"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.005"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.01"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.025"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.05"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.1"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.25"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.5"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="1.0"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="2.5"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="5.0"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="10.0"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="+Inf"} 2
pydest_send_latency_seconds_count{destination="d_py"} 2
pydest_send_latency_seconds_sum{destination="d_py"} 1.2e-05
# HELP pydest_queue_time_seconds Time from a message's acceptance to its first send() call.
# TYPE pydest_queue_time_seconds histogram
pydest_queue_time_seconds_bucket{destination="d_py",le="1e-05"} 0
pydest_queue_time_seconds_bucket{destination="d_py",le="2.5e-05"} 0
pydest_queue_time_seconds_bucket{destination="d_py",le="5e-05"} 0
pydest_queue_time_seconds_bucket{destination="d_py",le="0.0001"} 0
pydest_queue_time_seconds_bucket{destination="d_py",le="0.00025"} 0
pydest_queue_time_seconds_bucket{destination="d_py",le="0.0005"} 0
pydest_queue_time_seconds_bucket{destination="d_py",le="0.001"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.0025"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.005"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.01"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.025"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.05"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.1"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.25"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.5"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="1.0"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="2.5"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="5.0"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="10.0"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="+Inf"} 2
pydest_queue_time_seconds_count{destination="d_py"} 2
pydest_queue_time_seconds_sum{destination="d_py"} 20.001
)txt");
}

TEST(MetricsTextTest, OpenMetricsTextOfASmallSnapshot) {
  // HELP and TYPE name the family (without _total), UNIT for seconds and
  // bytes, "# EOF" at the end; the samples are the same.
  EXPECT_EQ(Render({SmallSnapshot()}, MetricsFormat::kOpenMetricsText),
            R"txt(# HELP pydest_messages_queued Messages accepted by Send, TrySend or TrySendBatch.
# TYPE pydest_messages_queued counter
pydest_messages_queued_total{destination="d_py"} 3
# HELP pydest_messages_processed Messages that reached their final outcome, by outcome (delivered, or why they were dropped).
# TYPE pydest_messages_processed counter
pydest_messages_processed_total{destination="d_py",outcome="delivered"} 2
pydest_messages_processed_total{destination="d_py",outcome="dropped_by_destination"} 0
pydest_messages_processed_total{destination="d_py",outcome="dropped_retries_exhausted"} 0
pydest_messages_processed_total{destination="d_py",outcome="dropped_on_error"} 0
pydest_messages_processed_total{destination="d_py",outcome="dropped_queue_overflow"} 0
pydest_messages_processed_total{destination="d_py",outcome="dropped_shutdown"} 1
pydest_messages_processed_total{destination="d_py",outcome="dropped_not_accepted"} 0
pydest_messages_processed_total{destination="d_py",outcome="kept_in_disk_buffer"} 0
pydest_messages_processed_total{destination="d_py",outcome="dropped_poison"} 0
# HELP pydest_queue_depth Messages in the queue now.
# TYPE pydest_queue_depth gauge
pydest_queue_depth{destination="d_py"} 0
# HELP pydest_queue_capacity The queue's size, log-fifo-size().
# TYPE pydest_queue_capacity gauge
pydest_queue_capacity{destination="d_py"} 100
# HELP pydest_retries Messages offered to send() again after an error.
# TYPE pydest_retries counter
pydest_retries_total{destination="d_py"} 0
# HELP pydest_reopens open() attempts after a failure or disconnect (a worker reconnects; worker threads are never restarted in-process).
# TYPE pydest_reopens counter
pydest_reopens_total{destination="d_py"} 0
# HELP pydest_worker_restarts isolation(process): worker processes started again after one died (a crash, an exit, a kill, send-timeout()).
# TYPE pydest_worker_restarts counter
pydest_worker_restarts_total{destination="d_py"} 0
# HELP pydest_suspended_seconds Time workers spent suspended, waiting for time-reopen() or the backoff.
# TYPE pydest_suspended_seconds counter
# UNIT pydest_suspended_seconds seconds
pydest_suspended_seconds_total{destination="d_py"} 2.001
# HELP pydest_python_exceptions Exceptions raised by the destination's Python code.
# TYPE pydest_python_exceptions counter
pydest_python_exceptions_total{destination="d_py"} 0
# HELP pydest_batches flush() calls that settled a batch.
# TYPE pydest_batches counter
pydest_batches_total{destination="d_py"} 0
# HELP pydest_casting_errors Values that could not take their type hint (on-error()).
# TYPE pydest_casting_errors counter
pydest_casting_errors_total{destination="d_py"} 0
# HELP pydest_late_completions send() or flush() calls that returned after their messages were dropped at the shutdown deadline.
# TYPE pydest_late_completions counter
pydest_late_completions_total{destination="d_py"} 0
# HELP pydest_written_bytes Bytes the destination reported with stats_written_bytes_add().
# TYPE pydest_written_bytes counter
# UNIT pydest_written_bytes bytes
pydest_written_bytes_total{destination="d_py"} 42
# HELP pydest_disk_buffer_bytes Bytes the destination's disk-buffer() files take (0 without one).
# TYPE pydest_disk_buffer_bytes gauge
pydest_disk_buffer_bytes{destination="d_py"} 0
# HELP pydest_disk_buffer_recovered Messages an earlier run left in the disk buffer, queued first.
# TYPE pydest_disk_buffer_recovered counter
pydest_disk_buffer_recovered_total{destination="d_py"} 0
# HELP pydest_dead_lettered Dropped messages the destination's dead-letter() took.
# TYPE pydest_dead_lettered counter
pydest_dead_lettered_total{destination="d_py"} 0
# HELP pydest_dead_letter_failed Dropped messages its dead-letter() could not take (file not writable, or its Python destination refused them).
# TYPE pydest_dead_letter_failed counter
pydest_dead_letter_failed_total{destination="d_py"} 0
# HELP pydest_send_latency_seconds How long each send() call took, retries included.
# TYPE pydest_send_latency_seconds histogram
# UNIT pydest_send_latency_seconds seconds
pydest_send_latency_seconds_bucket{destination="d_py",le="1e-05"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="2.5e-05"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="5e-05"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.0001"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.00025"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.0005"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.001"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.0025"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.005"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.01"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.025"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.05"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.1"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.25"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="0.5"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="1.0"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="2.5"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="5.0"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="10.0"} 2
pydest_send_latency_seconds_bucket{destination="d_py",le="+Inf"} 2
pydest_send_latency_seconds_count{destination="d_py"} 2
pydest_send_latency_seconds_sum{destination="d_py"} 1.2e-05
# HELP pydest_queue_time_seconds Time from a message's acceptance to its first send() call.
# TYPE pydest_queue_time_seconds histogram
# UNIT pydest_queue_time_seconds seconds
pydest_queue_time_seconds_bucket{destination="d_py",le="1e-05"} 0
pydest_queue_time_seconds_bucket{destination="d_py",le="2.5e-05"} 0
pydest_queue_time_seconds_bucket{destination="d_py",le="5e-05"} 0
pydest_queue_time_seconds_bucket{destination="d_py",le="0.0001"} 0
pydest_queue_time_seconds_bucket{destination="d_py",le="0.00025"} 0
pydest_queue_time_seconds_bucket{destination="d_py",le="0.0005"} 0
pydest_queue_time_seconds_bucket{destination="d_py",le="0.001"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.0025"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.005"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.01"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.025"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.05"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.1"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.25"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="0.5"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="1.0"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="2.5"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="5.0"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="10.0"} 1
pydest_queue_time_seconds_bucket{destination="d_py",le="+Inf"} 2
pydest_queue_time_seconds_count{destination="d_py"} 2
pydest_queue_time_seconds_sum{destination="d_py"} 20.001
# EOF
)txt");
}

TEST(MetricsTextTest, LabelValuesEscapeBackslashQuoteAndNewline) {
  NamedDestinationStats d;
  d.name = "a\\b\"c\nd";
  for (MetricsFormat f :
       {MetricsFormat::kPrometheusText, MetricsFormat::kOpenMetricsText}) {
    EXPECT_THAT(Render({d}, f), HasSubstr(R"(destination="a\\b\"c\nd")"));
  }
}

TEST(MetricsTextTest, EachFamilyHasItsMetadataOnceAndEveryDestination) {
  NamedDestinationStats a = SmallSnapshot();
  NamedDestinationStats b;
  b.name = "d_other";
  b.stats.queue_depth = 7;
  const std::string text = Render({a, b}, MetricsFormat::kPrometheusText);
  EXPECT_THAT(text, HasSubstr("# TYPE pydest_queue_depth gauge\n"
                              "pydest_queue_depth{destination=\"d_py\"} 0\n"
                              "pydest_queue_depth{destination=\"d_other\"} 7\n"));
  size_t helps = 0;
  for (size_t at = text.find("# HELP pydest_queue_depth ");
       at != std::string::npos;
       at = text.find("# HELP pydest_queue_depth ", at + 1)) {
    ++helps;
  }
  EXPECT_EQ(helps, 1u);
}

TEST(MetricsTextTest, NoDestinationsIsAnEmptyExposition) {
  EXPECT_EQ(Render({}, MetricsFormat::kPrometheusText), "");
  EXPECT_EQ(Render({}, MetricsFormat::kOpenMetricsText), "# EOF\n");
}

TEST(MetricsTextTest, TwoDestinationsWithOneNameAreRefused) {
  const std::vector<NamedDestinationStats> all = {SmallSnapshot(),
                                                  SmallSnapshot()};
  absl::StatusOr<std::string> text = RenderMetrics(all);
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(text.status().message(), HasSubstr("\"d_py\" appears twice"));
}

TEST(MetricsTextTest, ANameThatIsNotUtf8IsRefused) {
  NamedDestinationStats d;
  d.name = "d_\xff";
  const std::vector<NamedDestinationStats> all = {d};
  EXPECT_EQ(RenderMetrics(all).status().code(),
            absl::StatusCode::kInvalidArgument);
  d.name = "d_\xc3\xa9";  // é
  const std::vector<NamedDestinationStats> ok = {d};
  EXPECT_TRUE(RenderMetrics(ok).ok());
}

TEST(MetricsTextTest, ContentTypesNameTheFormatVersions) {
  EXPECT_STREQ(MetricsContentType(MetricsFormat::kPrometheusText),
               "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_STREQ(MetricsContentType(MetricsFormat::kOpenMetricsText),
               "application/openmetrics-text; version=1.0.0; charset=utf-8");
}

}  // namespace
}  // namespace pydest
