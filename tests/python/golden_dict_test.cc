// Golden conformance at the Python boundary: for every case recorded from
// real syslog-ng 3.38 (PYDEST_GOLDEN_DIR/*.json) the Record is built exactly
// as tests/value_pairs/value_pairs_golden_test.cc builds it, converted by
// RecordToDict under the GIL, and the resulting dict is inspected by Python
// itself: list(d.keys()) (strcmp order), type(v).__name__ and
// repr(v) of each value must equal the [type, repr] pairs send() received.
// Keys not compared are those of the shared table in
// tests/value_pairs/golden_cases.cc (time-dependent, host-dependent,
// deliberate deviations).
//
// no-value-pairs, where send() receives a LogMessage instead of a dict, is
// checked through the python layer's LogMessage under @version 3.38:
// msg.keys() holds every name syslog-ng's did, and msg[name] of the probed
// names gives the same bytes (R_DATE, the receive time, by format only).
#include <Python.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "bindings/module/syslogng_interpreter.h"
#include "bindings/module/syslogng_module.h"
#include "gtest/gtest.h"
#include "libpydest/pyrt/destination_context.h"
#include "libpydest/pyrt/gil.h"
#include "libpydest/pyrt/interpreter.h"
#include "libpydest/pyrt/py_error.h"
#include "libpydest/pyrt/py_ref.h"
#include "libpydest/python/record_to_dict.h"
#include "libpydest/value_pairs/value_pairs.h"
#include "tests/message/golden_case.h"
#include "tests/value_pairs/golden_cases.h"

namespace pydest::internal {
namespace {

using pydest::testing::CaseResult;
using pydest::testing::CompileGoldenCase;
using pydest::testing::DiffOutput;
using pydest::testing::FindDeviation;
using pydest::testing::GoldenCase;
using pydest::testing::GoldenCaseFiles;
using pydest::testing::GoldenDir;
using pydest::testing::GoldenPipeline;
using pydest::testing::GoldenResult;
using pydest::testing::IsComparedKey;
using pydest::testing::LoadGoldenCase;
using pydest::testing::TypedValue;

// What Python says about an object: everything is returned as bytes so
// that keys and reprs that are not valid UTF-8 survive unchanged.
constexpr const char* kInspectors = R"py(
def _b(s):
    return s.encode('utf-8', 'surrogateescape')

def describe_dict(d):
    if type(d) is not dict:
        raise TypeError('not a dict but ' + type(d).__name__)
    return [(_b(k), _b(type(d[k]).__name__), _b(repr(d[k])))
            for k in list(d.keys())]

def message_keys(msg):
    keys = msg.keys()
    for k in keys:
        if type(k) is not bytes:
            raise TypeError('msg.keys() gave ' + repr(k))
    return list(keys)

def probe_message(msg, names):
    return [(_b(n), _b(type(msg[n]).__name__), _b(repr(msg[n])))
            for n in names]
)py";

// One (key, type name, repr) row.
using Row = std::array<std::string, 3>;

std::string BytesOf(PyObject* b) {
  char* data = nullptr;
  Py_ssize_t size = 0;
  if (!PyBytes_Check(b) || PyBytes_AsStringAndSize(b, &data, &size) != 0) {
    PyErr_Clear();
    return "<not bytes>";
  }
  return std::string(data, static_cast<size_t>(size));
}

std::string ErrorText(RequiresGil gil) {
  PythonError e = FetchPythonError(gil);
  return e.Summary() + "\n" + e.traceback;
}

// A list of 3-tuples of bytes -> rows.
std::vector<Row> Rows(PyObject* list) {
  std::vector<Row> out;
  for (Py_ssize_t i = 0; i < PyList_Size(list); ++i) {
    PyObject* t = PyList_GetItem(list, i);
    out.push_back({BytesOf(PyTuple_GetItem(t, 0)),
                   BytesOf(PyTuple_GetItem(t, 1)),
                   BytesOf(PyTuple_GetItem(t, 2))});
  }
  return out;
}

// $R_DATE in ts-format(rfc3164): the receive time differs between runs.
bool IsRfc3164DateRepr(const std::string& repr) {
  static const std::regex kDate(
      R"(b'(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 123][0-9] )"
      R"([0-2][0-9]:[0-5][0-9]:[0-6][0-9]')");
  return std::regex_match(repr, kDate);
}

struct Tally {
  int cases = 0, cases_matched = 0;
  int keys = 0, keys_matched = 0;
};

class GoldenDictTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = GoldenDir();
    if (dir_.empty()) GTEST_SKIP() << "PYDEST_GOLDEN_DIR not set or missing";
    std::string error;
    ASSERT_TRUE(pipeline_.Load(dir_, &error)) << error;
    absl::Status started = EnsureInterpreter();
    ASSERT_TRUE(started.ok()) << started;
    GilGuard guard;
    inspectors_ = Ref(PyDict_New());
    ASSERT_TRUE(inspectors_);
    PyDict_SetItemString(inspectors_.get(), "__builtins__",
                         PyEval_GetBuiltins());
    Ref ran(PyRun_String(kInspectors, Py_file_input, inspectors_.get(),
                         inspectors_.get()));
    ASSERT_TRUE(ran) << ErrorText(guard.held());
  }

  void TearDown() override {
    if (!inspectors_) return;
    GilGuard guard;
    inspectors_ = Ref();
  }

  // inspectors[name](args...) -> new reference, or nullptr with an error.
  PyObject* Call(const char* name, PyObject* a, PyObject* b = nullptr) {
    PyObject* fn = PyDict_GetItemString(inspectors_.get(), name);
    if (fn == nullptr) return nullptr;
    return b == nullptr ? PyObject_CallOneArg(fn, a)
                        : PyObject_CallFunctionObjArgs(fn, a, b, nullptr);
  }

  // The dict cases: one Record per result, compared as a dict.
  void CheckDictCase(RequiresGil gil, const GoldenCase& c, Tally* tally);
  // no-value-pairs: the LogMessage send() receives.
  void CheckLogMessageCase(RequiresGil gil, const GoldenCase& c,
                           Tally* tally);

  std::string dir_;
  GoldenPipeline pipeline_;
  Ref inspectors_;
};

void GoldenDictTest::CheckDictCase(RequiresGil gil, const GoldenCase& c,
                                   Tally* tally) {
  auto vp = CompileGoldenCase(c);
  ASSERT_TRUE(vp.ok()) << c.name << ": " << vp.status();
  TemplateOptions template_options;  // ts-format(rfc3164), frac-digits(0)
  KeyCache key_objects(&(*vp)->keys());
  bool case_ok = true;
  std::map<std::string, uint64_t> seqnum;
  for (const CaseResult& r : c.results) {
    std::string where =
        c.name + " " + r.input_set + "#" + std::to_string(r.input_index);
    uint64_t seq = ++seqnum[r.input_set];
    const GoldenResult* rich = pipeline_.Rich(r);
    ASSERT_NE(rich, nullptr) << where;
    Message msg = pipeline_.BuildMessage(r, *rich);
    MacroContext ctx = pipeline_.Context(*rich, seq, &template_options);
    Record record;
    EvaluationReport report;
    (*vp)->Evaluate(msg, ctx, &record, &report);
    if (!r.delivered || report.drop_message) {
      // No dict at all: syslog-ng did not call send() for it.
      ++tally->keys;
      if (!r.delivered && report.drop_message) {
        ++tally->keys_matched;
      } else {
        case_ok = false;
        ADD_FAILURE() << where << ": syslog-ng "
                      << (r.delivered ? "delivered" : "did not deliver")
                      << " it; ours " << (report.drop_message ? "" : "did not ")
                      << "drop it";
      }
      continue;
    }

    Ref dict(RecordToDict(gil, record, &key_objects, DictOptions{}));
    ASSERT_TRUE(dict) << where << ": " << ErrorText(gil);
    Ref described(Call("describe_dict", dict.get()));
    ASSERT_TRUE(described) << where << ": " << ErrorText(gil);
    std::vector<Row> ours = Rows(described.get());

    // list(d.keys()): strcmp order, and the compared keys in the golden
    // dict's order.
    std::vector<std::string> our_keys, our_compared, golden_compared;
    for (const Row& row : ours) {
      our_keys.push_back(row[0]);
      if (IsComparedKey(c, row[0])) our_compared.push_back(row[0]);
    }
    for (const std::string& key : r.key_order) {
      if (IsComparedKey(c, key)) golden_compared.push_back(key);
    }
    if (std::adjacent_find(our_keys.begin(), our_keys.end(),
                           [](const std::string& a, const std::string& b) {
                             return !(a < b);
                           }) != our_keys.end()) {
      case_ok = false;
      ADD_FAILURE() << where << ": list(d.keys()) not in strcmp order";
    }
    if (our_compared != golden_compared) {
      case_ok = false;
      ADD_FAILURE() << where << ": list(d.keys()) differs from syslog-ng's ("
                    << our_compared.size() << " vs "
                    << golden_compared.size() << " compared keys)";
    }

    std::map<std::string, TypedValue> ours_by_key;
    for (const Row& row : ours) ours_by_key[row[0]] = TypedValue{row[1], row[2]};
    for (const std::string& diff : DiffOutput(c, r.output, ours_by_key,
                                              &tally->keys,
                                              &tally->keys_matched)) {
      case_ok = false;
      ADD_FAILURE() << where << ": " << diff;
    }
  }
  key_objects.Clear(gil);
  if (case_ok) ++tally->cases_matched;
}

void GoldenDictTest::CheckLogMessageCase(RequiresGil gil, const GoldenCase& c,
                                         Tally* tally) {
  auto context = std::make_shared<DestinationContext>();
  context->name = "d_py#0";
  context->class_name = "anchordest.GoldenDest";
  context->version = ConfigVersion{3, 38};
  bool case_ok = true;
  int probed = 0;
  for (const CaseResult& r : c.results) {
    std::string where =
        c.name + " " + r.input_set + "#" + std::to_string(r.input_index);
    ASSERT_TRUE(r.delivered) << where;
    const GoldenResult* rich = pipeline_.Rich(r);
    ASSERT_NE(rich, nullptr) << where;
    Message msg = pipeline_.BuildMessage(r, *rich);
    Timestamp processed = rich->Clock("P_").value_or(Timestamp{});
    // seqnum 0: $SEQNUM empty, and no sequenceId in $SDATA, as recorded.
    Ref log_message(NewLogMessage(gil, msg, 0, processed, context));
    ASSERT_TRUE(log_message) << where << ": " << ErrorText(gil);

    Ref keys(Call("message_keys", log_message.get()));
    ASSERT_TRUE(keys) << where << ": " << ErrorText(gil);
    std::set<std::string> ours;
    for (Py_ssize_t i = 0; i < PyList_Size(keys.get()); ++i) {
      ours.insert(BytesOf(PyList_GetItem(keys.get(), i)));
    }
    EXPECT_FALSE(r.keys_ret.empty()) << where;
    for (const std::string& name : r.keys_ret) {
      ++tally->keys;
      if (ours.count(name)) {
        ++tally->keys_matched;
      } else {
        case_ok = false;
        ADD_FAILURE() << where << ": msg.keys() lacks b'" << name << "'";
      }
    }

    Ref names(PyList_New(0));
    ASSERT_TRUE(names);
    for (const auto& [name, typed] : r.getitem_probe) {
      Ref s(PyUnicode_FromStringAndSize(name.data(),
                                        static_cast<Py_ssize_t>(name.size())));
      ASSERT_TRUE(s && PyList_Append(names.get(), s.get()) == 0) << where;
    }
    Ref probes(Call("probe_message", log_message.get(), names.get()));
    ASSERT_TRUE(probes) << where << ": " << ErrorText(gil);
    for (const Row& row : Rows(probes.get())) {
      ++tally->keys;
      ++probed;
      const TypedValue& want = r.getitem_probe.at(row[0]);
      bool match = row[1] == want.type &&
                   (row[0] == "R_DATE" ? IsRfc3164DateRepr(row[2])
                                       : row[2] == want.repr);
      if (match) {
        ++tally->keys_matched;
      } else {
        case_ok = false;
        ADD_FAILURE() << where << ": msg['" << row[0] << "']: golden "
                      << want.type << " " << want.repr << ", ours " << row[1]
                      << " " << row[2];
      }
    }
  }
  EXPECT_GT(probed, 0) << c.name << ": no getitem_probe recorded";
  if (case_ok) ++tally->cases_matched;
}

TEST_F(GoldenDictTest, EveryCaseGivesSyslogNgsDictOrLogMessage) {
  Tally tally;
  bool saw_log_message_case = false;
  GilGuard guard;
  for (const std::string& file : GoldenCaseFiles(dir_)) {
    GoldenCase c;
    ASSERT_TRUE(LoadGoldenCase(dir_ + "/" + file, &c)) << file;
    ++tally.cases;
    if (c.name == "no-value-pairs") {
      // Listed as a deviation of the dict comparison: send() gets a
      // LogMessage here.
      ASSERT_NE(FindDeviation(c.name, "*"), nullptr);
      saw_log_message_case = true;
      CheckLogMessageCase(guard.held(), c, &tally);
    } else if (const auto* d = FindDeviation(c.name, "*")) {
      --tally.cases;
      std::printf("[ skipped ] %s: %s\n", c.name.c_str(), d->reason);
      continue;
    } else {
      CheckDictCase(guard.held(), c, &tally);
    }
    if (HasFatalFailure()) return;
  }
  std::printf("golden dict: %d/%d cases matched, %d/%d keys matched\n",
              tally.cases_matched, tally.cases, tally.keys_matched,
              tally.keys);
  EXPECT_TRUE(saw_log_message_case);
  EXPECT_GT(tally.cases, 0);
}

}  // namespace
}  // namespace pydest::internal
