// The python layer's per-message cost: send() of a trivial destination with
// a dict of N keys (Record -> dict, the call, the result mapping), with a
// LogMessage, and a batch of 100 under one GIL acquisition.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "libpydest/python/python_destination.h"

namespace pydest::internal {
namespace {

// A ValuePairs that yields a fixed Record of `n` bytes keys.
class FixedValuePairs : public ValuePairs {
 public:
  explicit FixedValuePairs(int n) {
    for (int i = 0; i < n; ++i) {
      RecordEntry e;
      e.key = keys_.Intern("key" + std::to_string(i));
      e.value_offset = static_cast<uint32_t>(record_.buffer.size());
      std::string v = "value number " + std::to_string(i);
      e.value_size = static_cast<uint32_t>(v.size());
      record_.buffer += v;
      record_.entries.push_back(e);
    }
  }
  void Evaluate(const Message&, const MacroContext&, Record* record,
                EvaluationReport*) const override {
    *record = record_;
  }
  const KeyTable& keys() const override { return keys_; }

 private:
  KeyTable keys_;
  Record record_;
};

std::string ClassDir() {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/pydest-bench-XXXXXX";
    std::string d = mkdtemp(tmpl) ? tmpl : "/tmp";
    std::ofstream(d + "/benchdest.py")
        << "class Dest:\n"
           "    def send(self, msg):\n"
           "        return True\n";
    return d;
  }();
  return dir;
}

std::unique_ptr<PythonDestination> Make(std::shared_ptr<const ValuePairs> vp) {
  DestinationOptions o;
  o.class_name = "benchdest.Dest";
  o.python_path = {ClassDir()};
  o.log_sink = [](const LogRecord&) {};
  auto d = PythonDestination::CreateWithValuePairs(o, std::move(vp));
  if (!d.ok()) std::abort();
  return *std::move(d);
}

QueuedMessage Msg() {
  MessageBuilder b;
  b.SetHost("host").SetProgram("prog").SetText("a benchmark message");
  QueuedMessage q;
  q.message = b.Build();
  q.seqnum = 1;
  return q;
}

// Messages as a worker gets them: evaluated by the destination's preparer
// (on the prepare thread in a host), so these measure dict + send().
std::vector<QueuedMessage> PreparedMsgs(PythonDestination& d, size_t n) {
  std::vector<QueuedMessage> msgs(n, Msg());
  std::vector<QueuedMessage*> ptrs;
  for (auto& m : msgs) ptrs.push_back(&m);
  if (d.preparer() != nullptr) d.preparer()->Prepare(ptrs.data(), ptrs.size());
  return msgs;
}

void BM_SendDictBatch100(benchmark::State& state) {
  auto d = Make(std::make_shared<FixedValuePairs>(state.range(0)));
  const std::vector<QueuedMessage> msgs = PreparedMsgs(*d, 100);
  Driver* drv = d->driver(0);
  for (auto _ : state) {
    drv->BeginBatch();
    for (const auto& m : msgs) benchmark::DoNotOptimize(drv->Send(m));
    drv->EndBatch();
  }
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_SendDictBatch100)->Arg(5)->Arg(20)->Arg(60);

void BM_SendDictUnbatched(benchmark::State& state) {
  auto d = Make(std::make_shared<FixedValuePairs>(20));
  const QueuedMessage m = PreparedMsgs(*d, 1)[0];
  Driver* drv = d->driver(0);
  for (auto _ : state) benchmark::DoNotOptimize(drv->Send(m));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SendDictUnbatched);

void BM_SendLogMessageBatch100(benchmark::State& state) {
  auto d = Make(nullptr);
  const std::vector<QueuedMessage> msgs = PreparedMsgs(*d, 100);
  Driver* drv = d->driver(0);
  for (auto _ : state) {
    drv->BeginBatch();
    for (const auto& m : msgs) benchmark::DoNotOptimize(drv->Send(m));
    drv->EndBatch();
  }
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_SendLogMessageBatch100);

}  // namespace
}  // namespace pydest::internal
BENCHMARK_MAIN();
