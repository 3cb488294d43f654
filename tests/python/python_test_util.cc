#include "tests/python/python_test_util.h"

#include <Python.h>
#include <stdlib.h>

#include <filesystem>
#include <system_error>

#include "bindings/module/syslogng_interpreter.h"
#include "libpydest/pyrt/gil.h"
#include "libpydest/pyrt/interpreter.h"
#include "libpydest/pyrt/py_error.h"

namespace pydest::internal::testing {

std::function<void(const LogRecord&)> LogCapture::Sink() {
  return [this](const LogRecord& r) {
    absl::MutexLock lock(&mu_);
    records_.push_back(r);
  };
}

std::vector<LogRecord> LogCapture::records() const {
  absl::MutexLock lock(&mu_);
  return records_;
}

std::unique_ptr<LogRecord> LogCapture::Find(const std::string& text) const {
  absl::MutexLock lock(&mu_);
  for (const LogRecord& r : records_) {
    if (r.text.find(text) != std::string::npos) {
      return std::make_unique<LogRecord>(r);
    }
  }
  return nullptr;
}

int LogCapture::Count(const std::string& text) const {
  absl::MutexLock lock(&mu_);
  int n = 0;
  for (const LogRecord& r : records_) {
    if (r.text.find(text) != std::string::npos) ++n;
  }
  return n;
}

namespace {

// One state folder per test process (Persist files), removed at exit. It
// is made under $TMPDIR, which meson points at the build folder: a death
// test's child, which ends without exit handlers, leaves its folder there
// rather than in /tmp.
const std::string& ProcessStateDir() {
  struct StateDir {
    StateDir() {
      std::error_code error;
      std::string dir =
          (std::filesystem::temp_directory_path(error) /
           "pydest-python-test-XXXXXX")
              .string();
      if (!error && mkdtemp(dir.data()) != nullptr) path = dir;
    }
    ~StateDir() {
      std::error_code ignored;
      if (!path.empty()) std::filesystem::remove_all(path, ignored);
    }
    std::string path;
  };
  static const StateDir dir;
  return dir.path;
}

}  // namespace

DestinationOptions ProbeOptions(const std::string& cls, LogCapture* capture) {
  DestinationOptions o;
  o.name = "d_py#0";
  o.class_name = "probe." + cls;
  o.python_path = {PYDEST_TEST_CLASSES_DIR};
  if (capture != nullptr) o.log_sink = capture->Sink();
  if (!ProcessStateDir().empty()) o.state_dir = ProcessStateDir();
  return o;
}

namespace {

PyObject* ProbeDict(RequiresGil gil) {
  static PyObject* dict = nullptr;
  if (dict == nullptr) {
    AddSearchPaths(gil, {PYDEST_TEST_CLASSES_DIR}, "").IgnoreError();
    PyObject* m = PyImport_ImportModule("probe");
    if (m == nullptr) {
      PyErr_Print();
      return nullptr;
    }
    dict = PyModule_GetDict(m);
  }
  return dict;
}

}  // namespace

std::string EvalRepr(const std::string& expr) {
  if (!EnsureInterpreter().ok()) return "<no interpreter>";
  GilGuard gil;
  PyObject* d = ProbeDict(gil.held());
  if (d == nullptr) return "<no probe module>";
  PyObject* v = PyRun_String(expr.c_str(), Py_eval_input, d, d);
  if (v == nullptr) {
    return "<exception " + FetchPythonError(gil.held()).Summary() + ">";
  }
  PyObject* r = PyObject_Repr(v);
  std::string out = r ? PyUnicode_AsUTF8(r) : "<repr failed>";
  Py_XDECREF(r);
  Py_DECREF(v);
  return out;
}

bool Exec(const std::string& code) {
  if (!EnsureInterpreter().ok()) return false;
  GilGuard gil;
  PyObject* d = ProbeDict(gil.held());
  if (d == nullptr) return false;
  PyObject* v = PyRun_String(code.c_str(), Py_file_input, d, d);
  if (v == nullptr) {
    FetchPythonError(gil.held());
    return false;
  }
  Py_DECREF(v);
  return true;
}

void ResetProbe() { Exec("events.clear()\nreceived.clear()\n"); }

DeliveryResult SendPrepared(PythonDestination& d, QueuedMessage& m,
                            int worker) {
  if (std::shared_ptr<Preparer> preparer = d.preparer()) {
    QueuedMessage* one = &m;
    preparer->Prepare(&one, 1);
    if (m.prepared->refused) return DeliveryResult::kError;
  }
  return d.driver(worker)->Send(m);
}

QueuedMessage MakeQueued(const std::string& text, uint64_t seqnum) {
  MessageBuilder b;
  b.SetHost("myhost").SetProgram("prog").SetPid("42").SetText(text);
  b.SetStamp(Timestamp{1700000000, 123456, 3600});
  b.SetReceived(Timestamp{1700000001, 0, 3600});
  b.SetFacility(4).SetSeverity(2);
  b.Set("custom.key", "custom-value");
  b.AddTag("t1").AddTag("t2");
  QueuedMessage q;
  q.message = b.Build();
  q.seqnum = seqnum;
  return q;
}

void FakeValuePairs::Evaluate(const Message&, const MacroContext&,
                              Record* record, EvaluationReport* report) const {
  ++evaluations_;
  *record = record_;
  report->drop_message = drop_message_;
}

RecordEntry& FakeValuePairs::Add(const std::string& key, ValueKind kind) {
  RecordEntry e;
  e.key = keys_.Intern(key);
  e.kind = kind;
  record_.entries.push_back(e);
  return record_.entries.back();
}

void FakeValuePairs::AddBytes(const std::string& key,
                              const std::string& value) {
  RecordEntry& e = Add(key, ValueKind::kBytes);
  e.value_offset = static_cast<uint32_t>(record_.buffer.size());
  e.value_size = static_cast<uint32_t>(value.size());
  record_.buffer += value;
}

void FakeValuePairs::AddInt(const std::string& key, int64_t value) {
  Add(key, ValueKind::kInt).integer = value;
}

void FakeValuePairs::AddDouble(const std::string& key, double value) {
  Add(key, ValueKind::kDouble).real = value;
}

void FakeValuePairs::AddBool(const std::string& key, bool value) {
  Add(key, ValueKind::kBool).integer = value ? 1 : 0;
}

void FakeValuePairs::AddDateTime(const std::string& key, int64_t micros) {
  Add(key, ValueKind::kDateTime).integer = micros;
}

void FakeValuePairs::AddList(const std::string& key,
                             const std::vector<std::string>& items) {
  RecordEntry& e = Add(key, ValueKind::kList);
  e.value_offset = static_cast<uint32_t>(record_.list_items.size());
  e.value_size = static_cast<uint32_t>(items.size());
  for (const std::string& item : items) {
    record_.list_items.emplace_back(
        static_cast<uint32_t>(record_.buffer.size()),
        static_cast<uint32_t>(item.size()));
    record_.buffer += item;
  }
}

void FakeValuePairs::AddNull(const std::string& key) {
  Add(key, ValueKind::kNull);
}

}  // namespace pydest::internal::testing
