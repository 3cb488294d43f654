// Benchmarks of the configuration parser: one python() option list (what a
// host parses per destination) and a distribution-sized syslog-ng.conf from
// the test corpus (read over except for its one python() destination).
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "benchmark/benchmark.h"
#include "pydest/config.h"

namespace {

constexpr char kPythonOptions[] =
    R"(python(class("anchordest.GoldenDest") persist-name("typed")
    value-pairs(scope(rfc5424 all-nv-pairs) exclude("R_*")
      rekey(".*" shift(1) add-prefix("x_"))
      pair("t_int" int("42")) pair("t_pid" int("$PID"))
      pair("t_double" double("3.14")) pair("t_list" list("a,b,c")))
    on-error(fallback-to-string) retries(5) batch-lines(100)
    options("out" "/tmp/out" "case" "typed" port 1883 tls yes));)";

void BM_ParsePythonOptions(benchmark::State& state) {
  for (auto _ : state) {
    auto options = pydest::ParsePythonOptions(kPythonOptions);
    benchmark::DoNotOptimize(options);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(sizeof(kPythonOptions) - 1));
}
BENCHMARK(BM_ParsePythonOptions);

void BM_ParseDistroConfig(benchmark::State& state) {
  const char* root = std::getenv("PYDEST_SOURCE_DIR");
  std::ifstream file(std::string(root != nullptr ? root : ".") +
                     "/tests/config/corpus/distro_syslog-ng.conf");
  std::ostringstream text;
  text << file.rdbuf();
  const std::string conf = text.str();
  if (conf.empty()) {
    state.SkipWithError("set PYDEST_SOURCE_DIR to the source tree");
    return;
  }
  for (auto _ : state) {
    // "<bench>" as the name: its includes resolve nowhere and are noted.
    auto config = pydest::ParseConfig(conf, "<bench>");
    benchmark::DoNotOptimize(config);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(conf.size()));
}
BENCHMARK(BM_ParseDistroConfig);

}  // namespace

BENCHMARK_MAIN();
