// syslogng.LogMessage's own cost, under the GIL and without the host around
// it: making one per message (NewLogMessage, as the driver does without
// value-pairs) and dropping it, msg["NAME"] for a pair and for macros, and
// the send() of bench/python/hostbench.py's LogMessageDest (two reads)
// against the same call with None (the CPython floor of the call itself).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>

#include "bindings/module/syslogng_module.h"
#include "libpydest/pyrt/interpreter.h"
#include "libpydest/python/python_destination.h"

#ifndef PYDEST_BENCH_PYTHONDIR
#error "meson passes PYDEST_BENCH_PYTHONDIR (bench/python)"
#endif

namespace pydest::internal {
namespace {

// The interpreter and `_syslogng`, made by loading the destination once.
void EnsureModule() {
  static bool ok = [] {
    DestinationOptions o;
    o.class_name = "hostbench.LogMessageDest";
    o.python_path = {PYDEST_BENCH_PYTHONDIR};
    o.version = {3, 38};
    o.log_sink = [](const LogRecord&) {};
    return PythonDestination::CreateWithValuePairs(o, nullptr).ok();
  }();
  if (!ok) std::abort();
}

Message BenchMessage() {
  MessageBuilder b;
  b.SetHost("bench-host").SetProgram("prog").SetPid("1234");
  b.SetText("a benchmark message of typical length, around sixty bytes");
  b.SetStamp(Timestamp{1700000000, 123456, 3600});
  b.SetFacility(4).SetSeverity(2);
  return b.Build();
}

std::shared_ptr<const DestinationContext> Context() {
  auto c = std::make_shared<DestinationContext>();
  c->version = {3, 38};
  return c;
}

// LogMessageDest().send, bound.
PyObject* BoundSend() {
  PyObject* mod = PyImport_ImportModule("hostbench");
  if (mod == nullptr) std::abort();
  PyObject* cls = PyObject_GetAttrString(mod, "LogMessageDest");
  PyObject* inst = cls ? PyObject_CallNoArgs(cls) : nullptr;
  PyObject* send = inst ? PyObject_GetAttrString(inst, "send") : nullptr;
  if (send == nullptr) std::abort();
  Py_DECREF(inst);
  Py_DECREF(cls);
  Py_DECREF(mod);
  return send;
}

void BM_NewLogMessage(benchmark::State& state) {
  EnsureModule();
  GilGuard gil;
  Message msg = BenchMessage();
  auto ctx = Context();
  for (auto _ : state) {
    PyObject* m = NewLogMessage(gil.held(), msg, 1, Timestamp{}, ctx);
    if (m == nullptr) std::abort();
    Py_DECREF(m);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NewLogMessage);

// msg[key] on one message; key is an interned str as in Python source.
void GetItem(benchmark::State& state, const char* name) {
  EnsureModule();
  GilGuard gil;
  PyObject* m = NewLogMessage(gil.held(), BenchMessage(), 1, Timestamp{},
                              Context());
  PyObject* key = PyUnicode_InternFromString(name);
  for (auto _ : state) {
    PyObject* v = PyObject_GetItem(m, key);
    if (v == nullptr) std::abort();
    Py_DECREF(v);
  }
  Py_DECREF(key);
  Py_DECREF(m);
  state.SetItemsProcessed(state.iterations());
}
void BM_GetItemPair(benchmark::State& state) { GetItem(state, "HOST"); }
void BM_GetItemMacro(benchmark::State& state) { GetItem(state, "ISODATE"); }
void BM_GetItemClockMacro(benchmark::State& state) {
  GetItem(state, "C_ISODATE");
}
BENCHMARK(BM_GetItemPair);
BENCHMARK(BM_GetItemMacro);
BENCHMARK(BM_GetItemClockMacro);

// send(msg) reading HOST and MESSAGE, with a new LogMessage per call; with
// `floor` the same call gets one ready dict (no LogMessage at all).
void Send(benchmark::State& state, bool floor) {
  EnsureModule();
  GilGuard gil;
  PyObject* send = BoundSend();
  Message msg = BenchMessage();
  auto ctx = Context();
  PyObject* floor_arg = PyDict_New();
  PyDict_SetItemString(floor_arg, "HOST", Py_None);
  PyDict_SetItemString(floor_arg, "MESSAGE", Py_None);
  for (auto _ : state) {
    PyObject* arg = floor ? floor_arg : NewLogMessage(gil.held(), msg, 1,
                                                      Timestamp{}, ctx);
    if (arg == nullptr) std::abort();
    PyObject* r = PyObject_CallOneArg(send, arg);
    if (r == nullptr) std::abort();
    Py_DECREF(r);
    if (!floor) Py_DECREF(arg);
  }
  Py_DECREF(floor_arg);
  Py_DECREF(send);
  state.SetItemsProcessed(state.iterations());
}
void BM_SendLogMessageTwoReads(benchmark::State& state) { Send(state, false); }
void BM_SendReadyDictTwoReads(benchmark::State& state) { Send(state, true); }
BENCHMARK(BM_SendLogMessageTwoReads);
BENCHMARK(BM_SendReadyDictTwoReads);

}  // namespace
}  // namespace pydest::internal
BENCHMARK_MAIN();
