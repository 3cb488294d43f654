// Benchmarks of the readers: one line of each format, as the CLI host parses
// them (receive time and host name fixed, so no clock or gethostname calls).
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "pydest/parse.h"

namespace {

pydest::ParseOptions BenchOptions() {
  pydest::ParseOptions o;
  o.received = absl::FromCivil(absl::CivilSecond(2026, 11, 24, 9, 41, 52),
                               absl::UTCTimeZone());
  o.local_utc_offset_seconds = 0;
  o.host_from = "bench";
  return o;
}

void Run(benchmark::State& state, std::string_view line,
         pydest::InputFormat format) {
  const pydest::ParseOptions options = BenchOptions();
  for (auto _ : state) {
    pydest::Message m = pydest::ParseLine(line, format, options);
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(line.size()));
}

void BM_ParseRfc3164(benchmark::State& state) {
  Run(state,
      "<34>Oct 11 22:14:15 mymachine su[1234]: 'su root' failed for lonvick "
      "on /dev/pts/8",
      pydest::InputFormat::kRfc3164);
}
BENCHMARK(BM_ParseRfc3164);

// A busy log read in the process's local zone (run with TZ=... to pick one):
// every line a new second, received a second apart, as the pydest command
// sees a file of 1M lines. Stresses the civil-time conversion and offset
// lookups that a fixed line and fixed offset never reach.
void BM_ParseRfc3164LocalChangingSeconds(benchmark::State& state) {
  constexpr int kLines = 1 << 16;
  std::vector<std::string> lines;
  lines.reserve(kLines);
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time start =
      absl::FromCivil(absl::CivilSecond(2026, 11, 24, 10, 0, 0), utc);
  for (int i = 0; i < kLines; ++i) {
    const absl::CivilSecond c =
        absl::ToCivilSecond(start + absl::Seconds(i), utc);
    char buf[128];
    std::snprintf(buf, sizeof(buf),
                  "<13>Nov %2d %02d:%02d:%02d host1 cron[1001]: message %d",
                  c.day(), c.hour(), c.minute(), c.second(), i);
    lines.emplace_back(buf);
  }
  pydest::ParseOptions options = BenchOptions();
  options.local_utc_offset_seconds.reset();
  int i = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    options.received = start + absl::Seconds(i + 2);
    pydest::Message m =
        pydest::ParseLine(lines[i], pydest::InputFormat::kRfc3164, options);
    benchmark::DoNotOptimize(m);
    bytes += static_cast<int64_t>(lines[i].size());
    if (++i == kLines) i = 0;
  }
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_ParseRfc3164LocalChangingSeconds);

void BM_ParseRfc5424WithSd(benchmark::State& state) {
  Run(state,
      "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 1234 "
      "ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" "
      "eventID=\"1011\"][examplePriority@32473 class=\"high\"] An application "
      "event log entry",
      pydest::InputFormat::kRfc5424);
}
BENCHMARK(BM_ParseRfc5424WithSd);

void BM_ParseJson(benchmark::State& state) {
  Run(state,
      R"({"timestamp":"2024-01-02T03:04:05.123+02:00","host":"web1",)"
      R"("program":"api","level":"info","message":"request done",)"
      R"("user":"bob","status":200,"latency":0.0123,"ok":true,)"
      R"("req":{"method":"GET","path":"/v1/items"},"tags":["a","b"]})",
      pydest::InputFormat::kJson);
}
BENCHMARK(BM_ParseJson);

void BM_ParseAutoDetect(benchmark::State& state) {
  Run(state, "<13>Feb  5 17:32:18 host1 myprog: no pid here",
      pydest::InputFormat::kAuto);
}
BENCHMARK(BM_ParseAutoDetect);

}  // namespace

BENCHMARK_MAIN();
