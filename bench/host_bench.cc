// The whole host's cost per message, Send() -> outcome, against the CPython
// floor measured in the same binary (issue "Performance": the floor is a C
// loop that holds the GIL, builds the dict from ready C++ strings — keys
// interned once, values fresh bytes — and calls a no-op send()).
//
// Workloads (bench/python/hostbench.py): scope(rfc5424) and scope(everything)
// dicts, no value-pairs (a LogMessage; send() reads two names), rfc5424 with
// QUEUED + flush() every batch-lines, and an I/O-bound send() that sleeps
// 1 ms with 1/2/4 workers. Each iteration sends range(0) messages and waits
// (Flush) until every one has its outcome; items_per_second is messages/s.
//
// docs/performance.md says how to run it and what the numbers were.
#include <benchmark/benchmark.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/types/span.h"
#include "bindings/module/syslogng_interpreter.h"
#include "libpydest/delivery/durable_store.h"
#include "libpydest/durable/segment_format.h"
#include "bindings/module/syslogng_module.h"
#include "libpydest/pyrt/destination_context.h"
#include "libpydest/pyrt/gil.h"
#include "libpydest/pyrt/interpreter.h"
#include "libpydest/value_pairs/value_pairs.h"
#include "pydest/host.h"

#ifndef PYDEST_BENCH_PYTHONDIR
#error "meson passes PYDEST_BENCH_PYTHONDIR (bench/python)"
#endif

namespace pydest {
namespace {

using internal::GilGuard;

// A message like the ones bench/compare-syslog-ng generates: RFC 5424
// header fields and a text, no structured data.
Message BenchMessage() {
  MessageBuilder b;
  Timestamp t;
  t.unix_seconds = 1700000000;
  t.microseconds = 3000;
  b.SetStamp(t).SetReceived(t).SetFacility(4).SetSeverity(2);
  b.SetHost("mymachine.example.com").SetProgram("app").SetPid("1234");
  b.SetMsgId("ID47").SetText("benchmark message number 12345 with some text");
  return b.Build();
}

ValuePairsSpec Scope(uint32_t scopes) {
  ValuePairsSpec s;
  s.scopes = scopes;
  return s;
}

// --- the floor ---------------------------------------------------------

// The (key, value) strings value-pairs yields for BenchMessage, evaluated
// once: the floor starts from them as "ready C++ strings".
std::vector<std::pair<std::string, std::string>> ReadyPairs(uint32_t scopes) {
  internal::ValuePairsOptions o;
  o.version = {3, 38};
  o.on_error = OnError::kFallbackToString;
  auto vp = internal::ValuePairs::Compile(Scope(scopes), o);
  if (!vp.ok()) std::abort();
  TemplateOptions to;
  internal::MacroContext ctx;
  ctx.template_options = &to;
  ctx.seqnum = 1;
  ctx.loghost = "vm";
  ctx.hostid = "8df08c02";
  internal::Record record;
  internal::EvaluationReport report;
  Message msg = BenchMessage();
  (*vp)->Evaluate(msg, ctx, &record, &report);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& e : record.entries) {
    std::string value = e.kind == internal::ValueKind::kBytes
                            ? std::string(record.bytes(e))
                            : std::to_string(e.integer);
    pairs.emplace_back(std::string((*vp)->keys().Name(e.key)), value);
  }
  return pairs;
}

// hostbench.<cls>().send, bound, with the GIL held by the caller.
PyObject* BoundSend(internal::RequiresGil gil, const char* cls_name = "Dest") {
  if (!internal::AddSearchPaths(gil, {PYDEST_BENCH_PYTHONDIR}, "").ok()) {
    std::abort();
  }
  PyObject* mod = PyImport_ImportModule("hostbench");
  if (mod == nullptr) {
    PyErr_Print();
    std::abort();
  }
  PyObject* cls = PyObject_GetAttrString(mod, cls_name);
  PyObject* inst = cls ? PyObject_CallNoArgs(cls) : nullptr;
  PyObject* send = inst ? PyObject_GetAttrString(inst, "send") : nullptr;
  if (send == nullptr) {
    PyErr_Print();
    std::abort();
  }
  Py_DECREF(inst);
  Py_DECREF(cls);
  Py_DECREF(mod);
  return send;
}

void Floor(benchmark::State& state, int scopes) {
  if (!internal::EnsureInterpreter().ok()) std::abort();
  auto pairs = ReadyPairs(static_cast<uint32_t>(scopes));
  GilGuard guard;
  PyObject* send = BoundSend(guard.held());
  std::vector<PyObject*> keys;
  for (const auto& [k, v] : pairs) {
    keys.push_back(PyUnicode_InternFromString(k.c_str()));
  }
  for (auto _ : state) {
    PyObject* arg = Py_None;
    if (scopes != 0) {
      arg = PyDict_New();
      for (size_t i = 0; i < pairs.size(); ++i) {
        const std::string& v = pairs[i].second;
        PyObject* value = PyBytes_FromStringAndSize(
            v.data(), static_cast<Py_ssize_t>(v.size()));
        PyDict_SetItem(arg, keys[i], value);
        Py_DECREF(value);
      }
    }
    PyObject* result = PyObject_CallOneArg(send, arg);
    if (result == nullptr || PyObject_IsTrue(result) != 1) std::abort();
    Py_DECREF(result);
    if (scopes != 0) Py_DECREF(arg);
  }
  for (PyObject* k : keys) Py_DECREF(k);
  Py_DECREF(send);
  state.counters["keys"] = static_cast<double>(pairs.size());
  state.SetItemsProcessed(state.iterations());
}

void BM_FloorRfc5424Dict(benchmark::State& state) {
  Floor(state, kScopeRfc5424);
}
void BM_FloorEverythingDict(benchmark::State& state) {
  Floor(state, kScopeEverything);
}
void BM_FloorNoDict(benchmark::State& state) { Floor(state, 0); }
BENCHMARK(BM_FloorRfc5424Dict);
BENCHMARK(BM_FloorEverythingDict);
BENCHMARK(BM_FloorNoDict);

// The LogMessage path's floor: a C loop that creates the LogMessage object
// for a ready message and calls hostbench.LogMessageDest's send(), which
// reads two names.
void BM_FloorLogMessage(benchmark::State& state) {
  if (!internal::EnsureInterpreter().ok()) std::abort();
  GilGuard guard;
  PyObject* send = BoundSend(guard.held(), "LogMessageDest");
  const Message msg = BenchMessage();
  auto context = std::make_shared<internal::DestinationContext>();
  Timestamp processed;
  processed.unix_seconds = 1700000001;
  uint64_t seqnum = 0;
  for (auto _ : state) {
    PyObject* arg =
        internal::NewLogMessage(guard.held(), msg, ++seqnum, processed, context);
    PyObject* result = PyObject_CallOneArg(send, arg);
    if (result == nullptr || PyObject_IsTrue(result) != 1) std::abort();
    Py_DECREF(result);
    Py_DECREF(arg);
  }
  Py_DECREF(send);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FloorLogMessage);

// --- the host ----------------------------------------------------------

struct HostSetup {
  std::string class_name;
  std::optional<ValuePairsSpec> value_pairs;
  std::optional<int> batch_lines;  // unset: flush() after every round
  int workers = 1;
  // disk-buffer(): unset for the memory queue, else reliable(yes|no).
  std::optional<bool> reliable;
  // 0: one Send per message; N: TrySendBatch runs of N.
  size_t hand_over = 0;
  Isolation isolation = Isolation::kThread;
};

// A setup of `class_name` with `value_pairs`, every other field at its
// default (designated fields, not a brace list that leaves some out).
HostSetup Setup(std::string class_name,
                std::optional<ValuePairsSpec> value_pairs) {
  HostSetup setup;
  setup.class_name = std::move(class_name);
  setup.value_pairs = std::move(value_pairs);
  return setup;
}

void RunHost(benchmark::State& state, const HostSetup& setup) {
  const int64_t per_iteration = state.range(0);
  auto done = std::make_shared<std::atomic<uint64_t>>(0);
  DestinationOptions o;
  o.class_name = setup.class_name;
  o.python_path = {PYDEST_BENCH_PYTHONDIR};
  o.value_pairs = setup.value_pairs;
  o.version = {3, 38};
  o.batch_lines = setup.batch_lines;
  o.workers = setup.workers;
  o.isolation = setup.isolation;
  o.log_sink = [](const LogRecord&) {};
  std::string buffer_dir;
  if (setup.reliable.has_value()) {
    buffer_dir = absl::StrCat(std::filesystem::temp_directory_path().string(),
                              "/pydest_bench_dq_", ::getpid());
    std::filesystem::remove_all(buffer_dir);
    DiskBufferSpec spec;
    spec.reliable = *setup.reliable;
    spec.dir = buffer_dir;
    o.disk_buffer = spec;
  }
  o.on_outcome = [done](const Message&, Outcome outcome) {
    if (outcome == Outcome::kDelivered) {
      done->fetch_add(1, std::memory_order_relaxed);
    }
  };
  auto host = PyDestinationHost::Create(o);
  if (!host.ok()) {
    state.SkipWithError(std::string(host.status().message()).c_str());
    return;
  }
  Message msg = BenchMessage();
  const std::vector<Message> run(std::max<size_t>(setup.hand_over, 1), msg);
  uint64_t sent = 0;
  for (auto _ : state) {
    if (setup.hand_over == 0) {
      for (int64_t i = 0; i < per_iteration; ++i) {
        if (!(*host)->Send(msg).ok()) std::abort();
      }
    } else {
      for (int64_t i = 0; i < per_iteration;) {
        const size_t n = std::min<size_t>(setup.hand_over,
                                          static_cast<size_t>(per_iteration - i));
        size_t taken = 0;
        while (taken < n) {
          taken += (*host)->TrySendBatch(
              absl::MakeConstSpan(run.data(), n - taken));
        }
        i += static_cast<int64_t>(n);
      }
    }
    sent += static_cast<uint64_t>(per_iteration);
    if (!(*host)->Flush(absl::Now() + absl::Seconds(60)).ok()) std::abort();
  }
  if (done->load() != sent) {
    state.SkipWithError("not every message was delivered");
  }
  (void)(*host)->Shutdown(absl::Now() + absl::Seconds(5));
  state.SetItemsProcessed(state.iterations() * per_iteration);
  if (setup.reliable.has_value()) {
    // What one message takes in the files: its record's header and payload.
    internal::DurableStore::Encoded encoded;
    internal::DurableStore::Encode(msg, 0, &encoded);
    state.counters["bytes_per_msg"] =
        static_cast<double>(encoded.payload.size() + internal::kRecordHeaderSize);
    host->reset();
    std::filesystem::remove_all(buffer_dir);
  }
}

void BM_HostRfc5424Dict(benchmark::State& state) {
  RunHost(state, Setup("hostbench.Dest", Scope(kScopeRfc5424)));
}
void BM_HostEverythingDict(benchmark::State& state) {
  RunHost(state, Setup("hostbench.Dest", Scope(kScopeEverything)));
}
void BM_HostLogMessage(benchmark::State& state) {
  RunHost(state, Setup("hostbench.LogMessageDest", std::nullopt));
}
// batch-lines(range(1)); send() returns QUEUED, flush() True.
void BM_HostRfc5424Queued(benchmark::State& state) {
  HostSetup setup = Setup("hostbench.QueuedDest", Scope(kScopeRfc5424));
  setup.batch_lines = static_cast<int>(state.range(1));
  RunHost(state, setup);
}
// The same no-op rfc5424 workload with the memory queue (range(1) = 0),
// disk-buffer(reliable(no)) (1) and reliable(yes) (2), handed over one
// Send per message (range(2) = 0) or in TrySendBatch runs of range(2).
void BM_HostRfc5424DiskBuffer(benchmark::State& state) {
  HostSetup setup = Setup("hostbench.Dest", Scope(kScopeRfc5424));
  if (state.range(1) > 0) setup.reliable = state.range(1) == 2;
  setup.hand_over = static_cast<size_t>(state.range(2));
  RunHost(state, setup);
}
// send() sleeps 1 ms: how workers(range(1)) overlap I/O-bound sends.
void BM_HostSleep1ms(benchmark::State& state) {
  HostSetup setup = Setup("hostbench.SleepDest", Scope(kScopeRfc5424));
  setup.workers = static_cast<int>(state.range(1));
  RunHost(state, setup);
}

// isolation(thread) (range(1) = 0) against isolation(process) (1), one
// worker, on the rfc5424 no-op workload and the LogMessage one (#15: process
// at least 60% of thread).
void BM_HostIsolationRfc5424(benchmark::State& state) {
  HostSetup setup = Setup("hostbench.Dest", Scope(kScopeRfc5424));
  if (state.range(1) == 1) setup.isolation = Isolation::kProcess;
  RunHost(state, setup);
}
void BM_HostIsolationLogMessage(benchmark::State& state) {
  HostSetup setup = Setup("hostbench.LogMessageDest", std::nullopt);
  if (state.range(1) == 1) setup.isolation = Isolation::kProcess;
  RunHost(state, setup);
}
// A CPU-bound send() (about 1 ms of pure Python) with workers(range(2)),
// in threads (range(1) = 0) or processes (1): only processes use more than
// one core (#15: workers(2) at least 1.6x workers(1)).
void BM_HostCpuBound1ms(benchmark::State& state) {
  HostSetup setup = Setup("hostbench.CpuDest", Scope(kScopeRfc5424));
  if (state.range(1) == 1) setup.isolation = Isolation::kProcess;
  setup.workers = static_cast<int>(state.range(2));
  RunHost(state, setup);
}

// What this machine gives two CPU-bound threads right now: a fixed
// amount of integer work per item in range(0) threads at once, so that
// BM_HostCpuBound1ms's speed-up can be read against the machine's own in
// the same run (a VM's second vCPU is not always a second core).
void BM_MachineParallelism(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([] {
        uint64_t x = 0;
        for (uint64_t i = 0; i < 200'000'000; ++i) {
          x += i * i;
          benchmark::DoNotOptimize(x);
        }
      });
    }
    for (std::thread& t : pool) t.join();
  }
  state.SetItemsProcessed(state.iterations() * threads);
}

// The same for CPython itself: range(0) plain python3 processes, each
// running CpuDest's loop 200 times (200 "messages"), side by side. This is
// the ceiling BM_HostCpuBound1ms's isolation(process) speed-up is read
// against (the interpreter's start is in it: about 20 ms of 200+).
void BM_CPythonProcessesCeiling(benchmark::State& state) {
  const int processes = static_cast<int>(state.range(0));
  const char* code =
      "def send():\n"
      "    x = 0\n"
      "    for i in range(22000):\n"
      "        x += i * i\n"
      "for _ in range(200):\n"
      "    send()\n";
  for (auto _ : state) {
    std::vector<pid_t> pids;
    for (int p = 0; p < processes; ++p) {
      const pid_t pid = fork();
      if (pid == 0) {
        execl("/usr/bin/python3", "python3", "-S", "-c", code,
              static_cast<char*>(nullptr));
        _exit(127);
      }
      pids.push_back(pid);
    }
    for (pid_t pid : pids) {
      int status = 0;
      waitpid(pid, &status, 0);
    }
  }
  state.SetItemsProcessed(state.iterations() * processes * 200);
}

BENCHMARK(BM_CPythonProcessesCeiling)
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MachineParallelism)
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HostIsolationRfc5424)
    ->ArgsProduct({{1000}, {0, 1}})
    ->UseRealTime();
BENCHMARK(BM_HostIsolationLogMessage)
    ->ArgsProduct({{1000}, {0, 1}})
    ->UseRealTime();
BENCHMARK(BM_HostCpuBound1ms)
    ->ArgsProduct({{200}, {0, 1}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HostRfc5424Dict)->Arg(1)->Arg(1000)->UseRealTime();
BENCHMARK(BM_HostEverythingDict)->Arg(1000)->UseRealTime();
BENCHMARK(BM_HostLogMessage)->Arg(1000)->UseRealTime();
BENCHMARK(BM_HostRfc5424DiskBuffer)
    ->ArgsProduct({{1000}, {0, 1, 2}, {0, 100}})
    ->UseRealTime();
BENCHMARK(BM_HostRfc5424Queued)
    ->Args({1000, 1})
    ->Args({1000, 10})
    ->Args({1000, 100})
    ->Args({1000, 1000})
    ->UseRealTime();
BENCHMARK(BM_HostSleep1ms)
    ->Args({400, 1})
    ->Args({400, 2})
    ->Args({400, 4})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Debian's abseil is built with deadlock detection on (every Mutex::Lock
// updates a lock graph). PYDEST_BENCH_NO_DEADLOCK_DETECTION=1 turns it off,
// to show what it costs; the host itself leaves the process setting alone.
const bool kDeadlockDetectionOff = [] {
  const char* v = std::getenv("PYDEST_BENCH_NO_DEADLOCK_DETECTION");
  if (v == nullptr || std::string(v) != "1") return false;
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return true;
}();

}  // namespace
}  // namespace pydest

BENCHMARK_MAIN();
