// Memory of the host, for the two memory claims (docs/performance.md):
//
//   memory_soak soak [N]   N messages (default 10M) through the host (scope
//                          rfc5424 dict, no-op send(), Flush every 10k),
//                          printing RSS every million: it must stay flat.
//   memory_soak queue [N]  N messages (default 1M) held in the queue of a
//                          destination that never connects, log-fifo-size N:
//                          prints the bytes one queued message costs.
//
// Every message is built fresh, as a reader would build it. Exit status 1
// when a message is lost (soak) or the host cannot start.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "pydest/host.h"

#ifndef PYDEST_BENCH_PYTHONDIR
#error "meson passes PYDEST_BENCH_PYTHONDIR (bench/python)"
#endif

namespace pydest {
namespace {

long RssKiB() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

Message FreshMessage(uint64_t i) {
  MessageBuilder b;
  Timestamp t;
  t.unix_seconds = 1700000000 + static_cast<int64_t>(i / 1000);
  t.microseconds = static_cast<int32_t>(i % 1000) * 1000;
  b.SetStamp(t).SetReceived(t).SetFacility(4).SetSeverity(2);
  b.SetHost("mymachine.example.com").SetProgram("app").SetPid("1234");
  b.SetMsgId("ID47").SetText(
      absl::StrCat("benchmark message number ", i, " with some text"));
  return b.Build();
}

DestinationOptions Options(const char* class_name,
                           std::shared_ptr<std::atomic<uint64_t>> delivered) {
  DestinationOptions o;
  o.class_name = class_name;
  o.python_path = {PYDEST_BENCH_PYTHONDIR};
  ValuePairsSpec vp;
  vp.scopes = kScopeRfc5424;
  o.value_pairs = vp;
  o.version = {3, 38};
  o.log_sink = [](const LogRecord&) {};
  o.on_outcome = [delivered](const Message&, Outcome outcome) {
    if (outcome == Outcome::kDelivered) delivered->fetch_add(1);
  };
  return o;
}

int Soak(uint64_t n) {
  auto delivered = std::make_shared<std::atomic<uint64_t>>(0);
  auto host = PyDestinationHost::Create(Options("hostbench.Dest", delivered));
  if (!host.ok()) {
    std::fprintf(stderr, "%s\n", std::string(host.status().message()).c_str());
    return 1;
  }
  std::printf("messages\tRSS KiB\n0\t%ld\n", RssKiB());
  const absl::Time start = absl::Now();
  for (uint64_t i = 1; i <= n; ++i) {
    if (!(*host)->Send(FreshMessage(i)).ok()) return 1;
    if (i % 10000 == 0) {
      if (!(*host)->Flush(absl::Now() + absl::Seconds(60)).ok()) return 1;
    }
    if (i % 1000000 == 0) {
      std::printf("%llu\t%ld\n", static_cast<unsigned long long>(i), RssKiB());
      std::fflush(stdout);
    }
  }
  (void)(*host)->Shutdown(absl::Now() + absl::Seconds(10));
  const double secs = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf("delivered %llu of %llu in %.1f s\n",
              static_cast<unsigned long long>(delivered->load()),
              static_cast<unsigned long long>(n), secs);
  return delivered->load() == n ? 0 : 1;
}

int Queue(uint64_t n) {
  auto delivered = std::make_shared<std::atomic<uint64_t>>(0);
  DestinationOptions o = Options("hostbench.DownDest", delivered);
  o.log_fifo_size = n;
  o.time_reopen = absl::Seconds(3600);
  auto host = PyDestinationHost::Create(o);
  if (!host.ok()) {
    std::fprintf(stderr, "%s\n", std::string(host.status().message()).c_str());
    return 1;
  }
  const long before = RssKiB();
  for (uint64_t i = 0; i < n; ++i) {
    if (!(*host)->TrySend(FreshMessage(i))) return 1;
  }
  const long after = RssKiB();
  const DestinationStats s = (*host)->stats();
  std::printf("queued %llu messages: RSS %ld -> %ld KiB, %.0f bytes each\n",
              static_cast<unsigned long long>(s.queue_depth), before, after,
              (after - before) * 1024.0 / static_cast<double>(n));
  (void)(*host)->Shutdown(absl::Now());
  return 0;
}

}  // namespace
}  // namespace pydest

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "soak";
  const uint64_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0;
  if (mode == "soak") return pydest::Soak(n > 0 ? n : 10000000);
  if (mode == "queue") return pydest::Queue(n > 0 ? n : 1000000);
  std::fprintf(stderr, "usage: memory_soak soak|queue [N]\n");
  return 2;
}
