// A program that logs with spdlog and ships its log lines through a
// syslog-ng Python destination (jsonl_destination.py, unchanged) with
// pydest::PyDestinationSinkMt.
//
//   spdlog_sink_example PYTHON_DIR OUTPUT.jsonl
//
// Logs a few records from two loggers and two threads, flushes, shuts the
// host down and prints what happened. Exit status 0 when every record was
// delivered.
#include <cstdio>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "pydest/destination_options.h"
#include "pydest/host.h"
#include "pydest/option_value.h"
#include "pydest/spdlog_sink.h"
#include "pydest/value_pairs.h"
#include "spdlog/spdlog.h"  // the logger and SPDLOG_LOGGER_CALL

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s PYTHON_DIR OUTPUT.jsonl\n", argv[0]);
    return 2;
  }
  pydest::DestinationOptions options;
  options.class_name = "jsonl_destination.JsonLinesDestination";
  options.python_path = {argv[1]};
  pydest::OptionValue path;
  path.text = argv[2];
  options.options = {{"path", path}};
  pydest::ValuePairsSpec pairs;
  pairs.scopes = pydest::kScopeRfc5424 | pydest::kScopeDotNvPairs;
  options.value_pairs = pairs;

  auto made = pydest::PyDestinationHost::Create(options);
  if (!made.ok()) {
    std::fprintf(stderr, "%s\n", made.status().ToString().c_str());
    return 1;
  }
  std::shared_ptr<pydest::PyDestinationHost> host = std::move(*made);

  pydest::SpdlogSinkOptions sink_options;
  sink_options.host = "example-host";  // stable output for the test
  auto sink = std::make_shared<pydest::PyDestinationSinkMt>(host, sink_options);
  auto checkout = std::make_shared<spdlog::logger>("checkout", sink);
  auto payments = std::make_shared<spdlog::logger>("payments", sink);
  checkout->set_level(spdlog::level::trace);

  checkout->info("order {} placed", 42);
  SPDLOG_LOGGER_CALL(checkout, spdlog::level::warn, "stock low for {}", "sku-7");
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&payments, t] {
      for (int i = 0; i < 3; ++i) {
        payments->error("card declined (thread {}, try {})", t, i);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  checkout->critical("checkout service degraded");
  checkout->flush();  // waits for the outcomes of all nine records

  const absl::Status stopped = host->Shutdown(absl::Now() + absl::Seconds(5));
  const pydest::DestinationStats stats = host->stats();
  std::printf("delivered %llu, dropped %llu, refused by the host %llu\n",
              static_cast<unsigned long long>(stats.delivered),
              static_cast<unsigned long long>(stats.dropped()),
              static_cast<unsigned long long>(sink->refused()));
  if (!stopped.ok()) {
    std::fprintf(stderr, "%s\n", stopped.ToString().c_str());
    return 1;
  }
  return stats.delivered == 9 && sink->refused() == 0 ? 0 : 1;
}
