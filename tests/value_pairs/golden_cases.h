// Test support shared by the golden conformance tests of the value-pairs
// layer (tests/value_pairs/value_pairs_golden_test.cc) and of the python
// layer (tests/python/golden_dict_test.cc): loading the case files of
// PYDEST_GOLDEN_DIR, rebuilding the message and macro context syslog-ng's
// golden pipeline had for each input, compiling a case's value-pairs(), and
// the one table of keys neither test compares (time- or host-dependent
// values, deliberate deviations).
//
// Test-only; not thread-safe (plain data).
#ifndef TESTS_VALUE_PAIRS_GOLDEN_CASES_H_
#define TESTS_VALUE_PAIRS_GOLDEN_CASES_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libpydest/message/macros.h"
#include "libpydest/value_pairs/value_pairs.h"
#include "pydest/message.h"
#include "tests/message/golden_case.h"

namespace pydest::testing {

// [type(value).__name__, repr(value)] as recorded.
struct TypedValue {
  std::string type;
  std::string repr;
};

// One input line of a case and what send() received for it.
struct CaseResult {
  std::string input_set;  // "rfc3164" or "rfc5424"
  int input_index = 0;
  std::string input;      // raw bytes of the line
  bool delivered = false;
  std::map<std::string, TypedValue> output;
  std::vector<std::string> key_order;  // output's keys, as recorded
  // no-value-pairs only: the names msg.keys() returned (decoded bytes), and
  // msg[name] for a few names.
  std::vector<std::string> keys_ret;
  std::map<std::string, TypedValue> getitem_probe;
};

struct GoldenCase {
  std::string name;
  std::string fragment;  // config_fragment
  std::set<std::string> time_dependent;
  std::vector<CaseResult> results;
};

// Loads one <case>.json; false when it is not a readable case file.
bool LoadGoldenCase(const std::string& path, GoldenCase* c);

// The case files of `dir` (*.json without a leading '_'), sorted.
std::vector<std::string> GoldenCaseFiles(const std::string& dir);

// A deliberate or unavoidable difference from syslog-ng 3.38.
struct Deviation {
  const char* case_glob;
  const char* key_glob;
  const char* reason;
};

// The deviation covering `key` of case `case_name` ("*" asks about the
// whole case), or nullptr.
const Deviation* FindDeviation(const std::string& case_name,
                               const std::string& key);

// Whether `key` (also after rekey, e.g. new.FILE_NAME) holds a value of the
// recording machine rather than of the message.
bool IsHostDependent(const std::string& key);

// Whether the golden tests compare `key` of case `c`: not time-dependent,
// not host-dependent, not a deviation.
bool IsComparedKey(const GoldenCase& c, const std::string& key);

// Compares our rendering of one message's dict with syslog-ng's, over the
// keys IsComparedKey admits. Counts them in *compared and the equal ones in
// *matched; returns one line per difference (extra, missing, or different
// type/repr), empty when the dicts agree.
std::vector<std::string> DiffOutput(
    const GoldenCase& c, const std::map<std::string, TypedValue>& golden,
    const std::map<std::string, TypedValue>& ours, int* compared,
    int* matched);

// The case's value-pairs(), compiled under @version 3.38 with its
// on-error(). InvalidArgument when the case has no value-pairs().
absl::StatusOr<std::unique_ptr<internal::ValuePairs>> CompileGoldenCase(
    const GoldenCase& c);

// The messages and macro contexts of syslog-ng's golden pipeline, rebuilt
// from scope-everything.json (which recorded every macro of every input).
class GoldenPipeline {
 public:
  // Loads <dir>/scope-everything.json; false (with *error) on failure.
  bool Load(const std::string& dir, std::string* error);

  // The scope-everything result for the same input, or nullptr.
  const GoldenResult* Rich(const CaseResult& r) const;

  // The parsed line plus the parsers' pairs (kv.*, .json.*, custom.field,
  // .dot.hidden), the source tag and the transport addresses.
  Message BuildMessage(const CaseResult& r, const GoldenResult& rich) const;

  // The clocks, host facts and $SEQNUM (`seqnum`) of the recording run.
  // The context refers to `rich` and `template_options`, which must outlive
  // it.
  internal::MacroContext Context(const GoldenResult& rich, uint64_t seqnum,
                                 const TemplateOptions* template_options) const;

 private:
  GoldenFile rich_;
};

}  // namespace pydest::testing

#endif  // TESTS_VALUE_PAIRS_GOLDEN_CASES_H_
