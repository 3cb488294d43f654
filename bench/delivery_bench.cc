// Delivery engine throughput without Python: messages per second from
// Send() through the bounded queue to a driver whose send() returns SUCCESS
// at once — the cost libpydest adds around a destination (queue, batch pop,
// state machine, outcome callback, counters). Also with QUEUED batching and
// with several producer threads and workers.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "libpydest/delivery/delivery.h"
#include "libpydest/delivery/driver.h"

namespace pydest::internal {
namespace {

class NullDriver final : public Driver {
 public:
  explicit NullDriver(DeliveryResult result) : result_(result) {}
  bool Open() override { return true; }
  bool IsOpened() override { return true; }
  bool HasIsOpened() const override { return true; }
  DeliveryResult Send(const QueuedMessage&) override { return result_; }
  DeliveryResult Flush() override { return DeliveryResult::kSuccess; }
  void Close() override {}

 private:
  DeliveryResult result_;
};

// args: producers, workers, batch-lines (0 = SUCCESS per message).
void BM_DeliveryThroughput(benchmark::State& state) {
  const int producers = static_cast<int>(state.range(0));
  const int workers = static_cast<int>(state.range(1));
  const int batch_lines = static_cast<int>(state.range(2));
  const Message message =
      MessageBuilder().SetHost("host").SetProgram("app").SetText("hello").Build();
  constexpr int kMessages = 200000;
  for (auto _ : state) {
    std::atomic<int> done{0};
    DestinationOptions options;
    if (batch_lines > 0) {
      options.batch_lines = batch_lines;
      options.batch_timeout = absl::Seconds(1);
    }
    options.on_outcome = [&done](const Message&, Outcome) {
      done.fetch_add(1, std::memory_order_relaxed);
    };
    auto drivers = std::make_shared<std::vector<std::unique_ptr<NullDriver>>>();
    std::vector<Driver*> ptrs;
    for (int i = 0; i < workers; ++i) {
      drivers->push_back(std::make_unique<NullDriver>(
          batch_lines > 0 ? DeliveryResult::kQueued : DeliveryResult::kSuccess));
      ptrs.push_back(drivers->back().get());
    }
    Delivery delivery(options, ptrs, drivers);
    delivery.Start();
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p) {
      threads.emplace_back([&] {
        for (int i = 0; i < kMessages / producers; ++i) {
          delivery.Send(message).IgnoreError();
        }
      });
    }
    for (std::thread& t : threads) t.join();
    delivery.Flush(absl::Now() + absl::Seconds(60)).IgnoreError();
    const absl::Time now = absl::Now();
    delivery.Shutdown(now, now + absl::Seconds(10)).IgnoreError();
    if (done.load() != kMessages / producers * producers) {
      state.SkipWithError("missing outcomes");
    }
  }
  state.SetItemsProcessed(state.iterations() * kMessages);
}
BENCHMARK(BM_DeliveryThroughput)
    ->ArgNames({"producers", "workers", "batch_lines"})
    ->Args({1, 1, 0})
    ->Args({4, 1, 0})
    ->Args({4, 2, 0})
    ->Args({1, 1, 100})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace pydest::internal

BENCHMARK_MAIN();
