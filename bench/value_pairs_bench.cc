// value-pairs evaluation per message into a reused Record: scope(rfc5424)
// (the common python destination set-up) and scope(everything) (every pair
// and all 164 macros; also with every message's dates its own), plus a nv-pairs scope with a rekey chain and a typed
// pair() under 3.38 rules.
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "libpydest/value_pairs/value_pairs.h"

namespace pydest::internal {
namespace {

Timestamp At(int64_t seconds, int32_t usec) {
  Timestamp t;
  t.unix_seconds = seconds;
  t.microseconds = usec;
  return t;
}

Message BenchMessage(Timestamp stamp, Timestamp received) {
  MessageBuilder b;
  b.SetStamp(stamp).SetReceived(received).SetFacility(4).SetSeverity(2);
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

// `distinct_stamps` messages, each with its own stamp and reception time,
// evaluated in turn (as a live stream is: no two messages share a date).
void Run(benchmark::State& state, const ValuePairsSpec& spec,
         int distinct_stamps = 0) {
  ValuePairsOptions o;
  o.version = {3, 38};
  o.on_error = OnError::kFallbackToString;
  auto vp = ValuePairs::Compile(spec, o);
  if (!vp.ok()) {
    state.SkipWithError(std::string(vp.status().message()).c_str());
    return;
  }
  std::vector<Message> msgs;
  if (distinct_stamps == 0) {
    msgs.push_back(BenchMessage(At(1700000000, 3000), At(1700000000, 3000)));
  }
  for (int i = 0; i < distinct_stamps; ++i) {
    msgs.push_back(BenchMessage(At(1700000000 + i, 1000 * i + 7),
                                At(1700000000 + i, 1000 * i + 250)));
  }
  size_t next = 0;
  TemplateOptions to;
  MacroContext ctx;
  ctx.template_options = &to;
  ctx.seqnum = 1;
  ctx.loghost = "vm";
  ctx.hostid = "8df08c02";
  Record record;
  EvaluationReport report;
  for (auto _ : state) {
    (*vp)->Evaluate(msgs[next], ctx, &record, &report);
    if (++next == msgs.size()) next = 0;
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

// Every message with dates of its own: each is rendered, none is cached.
void BM_ScopeEverythingNewDates(benchmark::State& state) {
  ValuePairsSpec s;
  s.scopes = kScopeEverything;
  Run(state, s, 64);
}
BENCHMARK(BM_ScopeEverythingNewDates);

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
