// Macro evaluation cost: every macro of the all-macros scope on a typical
// RFC 5424 message (what value-pairs(scope(everything)) pays per message),
// and a few single macros.
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "libpydest/message/macros.h"
#include "pydest/message.h"

namespace pydest::internal {
namespace {

Message TypicalMessage() {
  absl::Time t = absl::FromCivil(absl::CivilSecond(2024, 1, 2, 3, 4, 5),
                                 absl::UTCTimeZone());
  return MessageBuilder()
      .SetStamp(Timestamp::FromTime(t + absl::Microseconds(123456), 7200))
      .SetReceived(Timestamp::FromTime(t + absl::Seconds(1)))
      .SetPri(165)
      .SetHost("mymachine.example.com")
      .SetProgram("evntslog")
      .SetPid("1234")
      .SetMsgId("ID47")
      .SetText("An application event log entry")
      .AddSdParam("exampleSDID@32473", "iut", "3")
      .AddSdParam("exampleSDID@32473", "eventSource", "Application")
      .AddSdParam("exampleSDID@32473", "eventID", "1011")
      .AddSdParam("examplePriority@32473", "class", "high")
      .AddTag(".source.s_in")
      .Build();
}

struct Fixture {
  Message msg = TypicalMessage();
  TemplateOptions options;
  MacroContext ctx;
  std::string out;
  Fixture() {
    ctx.template_options = &options;
    ctx.seqnum = 42;
    ctx.now = Timestamp::FromTime(absl::FromUnixSeconds(1795513312));
    ctx.loghost = "vm";
    ctx.hostid = "8df08c02";
    out.reserve(4096);
  }
};

void BM_AllMacros(benchmark::State& state) {
  Fixture f;
  const std::vector<MacroId>& all = AllMacros();
  for (auto _ : state) {
    for (MacroId id : all) {
      f.out.clear();
      AppendMacro(id, f.msg, f.ctx, &f.out);
      benchmark::DoNotOptimize(f.out.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * all.size());
}
BENCHMARK(BM_AllMacros);

void BM_AllMacrosLocalTimeZone(benchmark::State& state) {
  Fixture f;
  f.options.local_time_zone = "Europe/Budapest";
  const std::vector<MacroId>& all = AllMacros();
  for (auto _ : state) {
    for (MacroId id : all) {
      f.out.clear();
      AppendMacro(id, f.msg, f.ctx, &f.out);
      benchmark::DoNotOptimize(f.out.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * all.size());
}
BENCHMARK(BM_AllMacrosLocalTimeZone);

void BM_Single(benchmark::State& state, const char* name) {
  Fixture f;
  MacroId id = *LookupMacro(name);
  for (auto _ : state) {
    f.out.clear();
    AppendMacro(id, f.msg, f.ctx, &f.out);
    benchmark::DoNotOptimize(f.out.data());
  }
}
BENCHMARK_CAPTURE(BM_Single, ISODATE, "ISODATE");
BENCHMARK_CAPTURE(BM_Single, MSGHDR, "MSGHDR");
BENCHMARK_CAPTURE(BM_Single, SDATA, "SDATA");
BENCHMARK_CAPTURE(BM_Single, FACILITY, "FACILITY");

void BM_Lookup(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(LookupMacro("R_WEEK_DAY_NAME"));
  }
}
BENCHMARK(BM_Lookup);

}  // namespace
}  // namespace pydest::internal

BENCHMARK_MAIN();
