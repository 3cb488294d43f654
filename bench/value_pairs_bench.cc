// value-pairs evaluation per message into a reused Record: scope(rfc5424)
// (the common python destination set-up) and scope(everything) (every pair
// and all 164 macros), plus a nv-pairs scope with a rekey chain and a typed
// pair() under 3.38 rules.
#include <string>

#include "benchmark/benchmark.h"
#include "libpydest/value_pairs/value_pairs.h"

namespace pydest::internal {
namespace {

Message BenchMessage() {
  MessageBuilder b;
  Timestamp t;
  t.unix_seconds = 1700000000;
  t.microseconds = 3000;
  b.SetStamp(t).SetReceived(t).SetFacility(4).SetSeverity(2);
  b.SetHost("mymachine.example.com").SetProgram("su").SetPid("1234");
  b.SetMsgId("ID47").SetText("'su root' failed for lonvick on /dev/pts/8");
  b.Set("HOST_FROM", "vm").Set("SOURCE", "s_in");
  b.Set("kv.user", "alice").Set("kv.count", "17").Set("kv.ratio", "0.5");
  b.Set(".json.a", "1").Set(".json.b.c", "x");
  b.AddSdParam("meta", "sequenceId", "1");
  b.AddSdParam("exampleSDID@32473", "iut", "3");
  b.AddSdParam("exampleSDID@32473", "eventSource", "Application");
  b.AddTag(".source.s_in");
  b.SetSourceIp("127.0.0.1").SetDestIp("127.0.0.1");
  return b.Build();
}

void Run(benchmark::State& state, const ValuePairsSpec& spec) {
  ValuePairsOptions o;
  o.version = {3, 38};
  o.on_error = OnError::kFallbackToString;
  auto vp = ValuePairs::Compile(spec, o);
  if (!vp.ok()) {
    state.SkipWithError(std::string(vp.status().message()).c_str());
    return;
  }
  Message msg = BenchMessage();
  TemplateOptions to;
  MacroContext ctx;
  ctx.template_options = &to;
  ctx.seqnum = 1;
  ctx.loghost = "vm";
  ctx.hostid = "8df08c02";
  Record record;
  EvaluationReport report;
  for (auto _ : state) {
    (*vp)->Evaluate(msg, ctx, &record, &report);
    benchmark::DoNotOptimize(record.entries.data());
  }
  state.counters["keys"] = static_cast<double>(record.entries.size());
}

void BM_ScopeRfc5424(benchmark::State& state) {
  ValuePairsSpec s;
  s.scopes = kScopeRfc5424;
  Run(state, s);
}
BENCHMARK(BM_ScopeRfc5424);

void BM_ScopeEverything(benchmark::State& state) {
  ValuePairsSpec s;
  s.scopes = kScopeEverything;
  Run(state, s);
}
BENCHMARK(BM_ScopeEverything);

void BM_NvPairsRekeyAndTypedPair(benchmark::State& state) {
  ValuePairsSpec s;
  s.scopes = kScopeAllNvPairs;
  RekeyTransform t;
  t.kind = RekeyTransform::Kind::kShiftLevels;
  t.count = 2;
  s.rekeys = {{".SDATA.*", {t}}};
  s.pairs = {{"pid", "$PID", TypeHint::kInt32}};
  Run(state, s);
}
BENCHMARK(BM_NvPairsRekeyAndTypedPair);

}  // namespace
}  // namespace pydest::internal

BENCHMARK_MAIN();
