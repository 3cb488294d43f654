// How long a disk buffer holding range(0) undelivered messages takes to
// recover (issue #14: "recovery time for 1M buffered messages").
//
// - BM_DiskBufferOpen: DiskBuffer::Open (libpydest/durable) over a buffer of
//   range(0) records, each the payload the host writes for an rfc5424
//   message (DurableStore::Encode: the context and the message encoding,
//   about 135 bytes with the record header). Open reads every segment and
//   checks every record's checksums; the files are left as they were, so
//   every iteration opens the same buffer. range(1) = 1: the buffer's pages
//   are dropped from the page cache first (fdatasync + POSIX_FADV_DONTNEED
//   per file), so the files are read from the disk.
// - BM_HostRecovery: PyDestinationHost::Create over a copy of a buffer a
//   host left with range(0) messages kept at its shutdown deadline; the
//   time is Create's (import, init(), the recovery scan and the re-append
//   of every record under this run's ids), `drain_ms` the time from
//   Create's return until a no-op send() has delivered every one.
//   range(1): reliable(no) (0) or reliable(yes) (1).
//
// The buffers are prepared once per process, outside the timed loop, under
// $TMPDIR (default /tmp) and removed at the end. docs/performance.md ("Disk
// buffer recovery") has the figures and the command.
#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/types/span.h"
#include "libpydest/delivery/durable_store.h"
#include "libpydest/durable/disk_buffer.h"
#include "libpydest/durable/segment_format.h"
#include "pydest/host.h"
#include "pydest/stats.h"

#ifndef PYDEST_BENCH_PYTHONDIR
#error "meson passes PYDEST_BENCH_PYTHONDIR (bench/python)"
#endif

namespace pydest {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// host_bench's message (RFC 5424 header fields and a text), numbered.
Message BenchMessage(uint64_t n) {
  MessageBuilder b;
  Timestamp t;
  t.unix_seconds = 1700000000 + static_cast<int64_t>(n / 1000);
  t.microseconds = static_cast<int32_t>(n % 1000) * 1000;
  b.SetStamp(t).SetReceived(t).SetFacility(4).SetSeverity(2);
  b.SetHost("mymachine.example.com").SetProgram("app").SetPid("1234");
  b.SetMsgId("ID47").SetText(
      absl::StrFormat("benchmark message number %07u with some text", n));
  return b.Build();
}

fs::path ScratchDir(const std::string& what) {
  const char* tmp = std::getenv("TMPDIR");
  return fs::path(tmp != nullptr ? tmp : "/tmp") /
         absl::StrCat("pydest_bench_", what, "_", ::getpid());
}

// Every folder the benchmarks made, removed by main() at the end.
std::vector<fs::path>& ScratchDirs() {
  static auto* dirs = new std::vector<fs::path>;
  return *dirs;
}
void RemoveScratchDirs() {
  for (const fs::path& p : ScratchDirs()) {
    std::error_code ec;
    fs::remove_all(p, ec);
  }
}

// fdatasync, and (drop) out of the page cache, every file of `dir`.
void SyncFiles(const fs::path& dir, bool drop) {
  for (const auto& e : fs::directory_iterator(dir)) {
    const int fd = ::open(e.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    (void)::fdatasync(fd);
    if (drop) (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  }
}

uint64_t FolderBytes(const fs::path& dir) {
  uint64_t total = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

// --- the disk buffer alone ---------------------------------------------

internal::DiskBufferOptions ScanOptions(const fs::path& dir) {
  internal::DiskBufferOptions o;
  o.dir = dir.string();
  o.name = "d_bench";
  return o;  // disk-buf-size 1 GiB: 64 MiB segments
}

// A buffer of `records` records, made once per count.
const fs::path& PreparedBuffer(uint64_t records) {
  static absl::Mutex mu;
  static auto* made = new std::map<uint64_t, fs::path>;
  absl::MutexLock lock(&mu);
  auto it = made->find(records);
  if (it != made->end()) return it->second;
  const fs::path dir = ScratchDir(absl::StrCat("scan_", records));
  fs::remove_all(dir);
  ScratchDirs().push_back(dir);
  internal::DiskBufferOptions o = ScanOptions(dir);
  o.sync = false;  // synced once at the end
  internal::DiskBufferRecovery found;
  auto buffer = internal::DiskBuffer::Open(o, &found);
  if (!buffer.ok()) std::abort();
  std::string framed;
  internal::DurableStore::Encoded encoded;
  constexpr uint64_t kBatch = 1000;
  for (uint64_t first = 1; first <= records; first += kBatch) {
    framed.clear();
    const uint64_t last = std::min(records, first + kBatch - 1);
    for (uint64_t id = first; id <= last; ++id) {
      internal::DurableStore::Encode(BenchMessage(id), /*context=*/id, &encoded);
      internal::AppendRecord(id, encoded.payload, encoded.crc, &framed);
    }
    if (!(*buffer)->Append(framed, first, last).ok()) std::abort();
  }
  buffer->reset();
  SyncFiles(dir, /*drop=*/false);
  return made->emplace(records, dir).first->second;
}

void BM_DiskBufferOpen(benchmark::State& state) {
  const uint64_t records = static_cast<uint64_t>(state.range(0));
  const bool cold = state.range(1) == 1;
  const fs::path& dir = PreparedBuffer(records);
  const internal::DiskBufferOptions o = ScanOptions(dir);
  for (auto _ : state) {
    if (cold) SyncFiles(dir, /*drop=*/true);
    internal::DiskBufferRecovery found;
    const Clock::time_point start = Clock::now();
    auto buffer = internal::DiskBuffer::Open(o, &found);
    const Clock::time_point end = Clock::now();
    if (!buffer.ok() || found.records != records) {
      state.SkipWithError("the buffer did not recover every record");
      break;
    }
    state.SetIterationTime(std::chrono::duration<double>(end - start).count());
    buffer->reset();  // untimed: saves the ack file
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(records));
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(FolderBytes(dir)));
}

// --- the host ------------------------------------------------------------

DestinationOptions HostOptions(const std::string& class_name,
                               const fs::path& dir, bool reliable) {
  DestinationOptions o;
  o.class_name = class_name;
  o.python_path = {PYDEST_BENCH_PYTHONDIR};
  o.persist_name = "d_bench_recovery";
  o.log_sink = [](const LogRecord&) {};
  DiskBufferSpec spec;
  spec.reliable = reliable;
  spec.dir = dir.string();
  o.disk_buffer = spec;
  return o;
}

// A buffer a host left with `messages` kept at its shutdown deadline: a
// destination that never connects (hostbench.DownDest) is handed them in
// runs of 100, then shut down at once.
const fs::path& PreparedHostBuffer(uint64_t messages) {
  static absl::Mutex mu;
  static auto* made = new std::map<uint64_t, fs::path>;
  absl::MutexLock lock(&mu);
  auto it = made->find(messages);
  if (it != made->end()) return it->second;
  const fs::path dir = ScratchDir(absl::StrCat("host_", messages));
  fs::remove_all(dir);
  ScratchDirs().push_back(dir);
  auto host = PyDestinationHost::Create(
      HostOptions("hostbench.DownDest", dir, /*reliable=*/false));
  if (!host.ok()) std::abort();
  std::vector<Message> run;
  for (uint64_t n = 0; n < messages;) {
    run.clear();
    for (int i = 0; i < 100 && n + run.size() < messages; ++i) {
      run.push_back(BenchMessage(n + run.size()));
    }
    size_t taken = 0;
    while (taken < run.size()) {
      taken += (*host)->TrySendBatch(
          absl::MakeConstSpan(run).subspan(taken));
    }
    n += run.size();
  }
  (void)(*host)->Shutdown(absl::Now() + absl::Milliseconds(100));
  if ((*host)->stats().kept_in_disk_buffer != messages) std::abort();
  host->reset();
  SyncFiles(dir, /*drop=*/false);
  return made->emplace(messages, dir).first->second;
}

void BM_HostRecovery(benchmark::State& state) {
  const uint64_t messages = static_cast<uint64_t>(state.range(0));
  const bool reliable = state.range(1) == 1;
  const fs::path& prepared = PreparedHostBuffer(messages);
  const fs::path dir = ScratchDir("host_run");
  ScratchDirs().push_back(dir);
  double drain_seconds = 0;
  for (auto _ : state) {
    // A fresh copy each time: recovery re-appends and releases.
    fs::remove_all(dir);
    fs::copy(prepared, dir);
    SyncFiles(dir, /*drop=*/false);
    auto delivered = std::make_shared<std::atomic<uint64_t>>(0);
    DestinationOptions o = HostOptions("hostbench.Dest", dir, reliable);
    o.on_outcome = [delivered](const Message&, Outcome outcome) {
      if (outcome == Outcome::kDelivered) delivered->fetch_add(1);
    };
    const Clock::time_point start = Clock::now();
    auto host = PyDestinationHost::Create(o);
    const Clock::time_point created = Clock::now();
    if (!host.ok()) {
      state.SkipWithError(std::string(host.status().message()).c_str());
      break;
    }
    if ((*host)->stats().disk_buffer_recovered != messages) {
      state.SkipWithError("the host did not recover every message");
      break;
    }
    state.SetIterationTime(
        std::chrono::duration<double>(created - start).count());
    const absl::Time give_up = absl::Now() + absl::Minutes(2);
    while (delivered->load() < messages && absl::Now() < give_up) {
      absl::SleepFor(absl::Microseconds(200));
    }
    if (delivered->load() < messages) {
      state.SkipWithError("not every recovered message was delivered");
      break;
    }
    drain_seconds +=
        std::chrono::duration<double>(Clock::now() - created).count();
    (void)(*host)->Shutdown(absl::Now() + absl::Seconds(10));
  }
  fs::remove_all(dir);
  const double n = static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(messages));
  if (n > 0) {
    state.counters["drain_ms"] = drain_seconds / n * 1e3;
    state.counters["drain_msgs_per_s"] =
        static_cast<double>(messages) / (drain_seconds / n);
  }
}

BENCHMARK(BM_DiskBufferOpen)
    ->ArgsProduct({{1000000}, {0, 1}})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HostRecovery)
    ->ArgsProduct({{1000000}, {0, 1}})
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pydest

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  pydest::RemoveScratchDirs();
  return 0;
}
