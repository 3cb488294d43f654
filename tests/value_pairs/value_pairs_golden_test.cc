// Golden conformance: for every case recorded from real syslog-ng 3.38
// (PYDEST_GOLDEN_DIR/*.json), the same inputs go through pydest::ParseLine,
// the case's config_fragment through pydest::ParsePythonOptions, and
// ValuePairs::Evaluate under @version 3.38 with the case's on-error(); the
// Record must equal the dict send() received: same keys in the same order,
// same Python type names, same repr() of each value. A message syslog-ng
// did not deliver must be dropped by on-error(drop-message).
//
// Not compared: the case's time_dependent_keys (they differed between two
// recording runs), host-dependent keys, and the deliberate differences in
// kDeviations (each with its reason; see docs/compatibility.md).
#include <algorithm>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "../message/golden_case.h"
#include "gtest/gtest.h"
#include "libpydest/template/glob.h"
#include "libpydest/value_pairs/value_pairs.h"
#include "nlohmann/json.hpp"
#include "py_repr.h"
#include "pydest/config.h"
#include "pydest/parse.h"

namespace pydest::internal {
namespace {

using pydest::testing::DecodeBytesRepr;
using pydest::testing::GoldenDir;
using pydest::testing::GoldenFile;
using pydest::testing::GoldenResult;
using pydest::testing::LoadGoldenFile;

// Deliberate or unavoidable differences from syslog-ng 3.38.
struct Deviation {
  const char* case_glob;
  const char* key_glob;
  const char* reason;
};
const Deviation kDeviations[] = {
    {"no-value-pairs", "*",
     "send() receives a LogMessage, not a dict: no value-pairs to evaluate "
     "(the python layer's LogMessage tests cover this case)"},
};

// Values that depend on the recording machine rather than on the message.
const char* const kHostDependentKeys[] = {"HOSTID", "SYSUPTIME", "RUNID",
                                          "FILE_NAME", "LOGHOST", "HOST_FROM"};

const Deviation* FindDeviation(const std::string& case_name,
                               const std::string& key) {
  for (const Deviation& d : kDeviations) {
    if (GlobMatches(d.case_glob, case_name) && GlobMatches(d.key_glob, key)) {
      return &d;
    }
  }
  return nullptr;
}

bool IsHostDependent(const std::string& key) {
  for (const char* k : kHostDependentKeys) {
    // Also after rekey (e.g. new.FILE_NAME, x_FILE_NAME).
    std::string name(k);
    if (key == name ||
        (key.size() > name.size() &&
         key.compare(key.size() - name.size(), name.size(), name) == 0 &&
         !std::isalnum(static_cast<unsigned char>(
             key[key.size() - name.size() - 1])))) {
      return true;
    }
  }
  return false;
}

bool IsParserPair(const std::string& key) {
  return key.rfind("kv.", 0) == 0 || key.rfind(".json.", 0) == 0 ||
         key == "custom.field" || key == ".dot.hidden";
}

struct TypedValue {
  std::string type;
  std::string repr;
};

struct CaseResult {
  std::string input_set;
  int input_index = 0;
  std::string input;
  bool delivered = false;
  std::map<std::string, TypedValue> output;
  std::vector<std::string> key_order;
};

struct Case {
  std::string name;
  std::string fragment;
  std::set<std::string> time_dependent;
  std::vector<CaseResult> results;
};

bool LoadCase(const std::string& path, Case* c) {
  std::ifstream in(path);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return false;
  c->name = j.value("case", "");
  c->fragment = j.value("config_fragment", "");
  for (const auto& k : j.value("time_dependent_keys", nlohmann::json::array())) {
    c->time_dependent.insert(k.get<std::string>());
  }
  for (const auto& r : j["results"]) {
    CaseResult res;
    res.input_set = r.value("input_set", "");
    res.input_index = r.value("input_index", 0);
    auto input = DecodeBytesRepr(r.value("input_bytes_repr", ""));
    if (!input) return false;
    res.input = *input;
    res.delivered = r.value("delivered", false);
    if (r.contains("output") && r["output"].is_object()) {
      for (const auto& [key, typed] : r["output"].items()) {
        res.output[key] = TypedValue{typed[0].get<std::string>(),
                                     typed[1].get<std::string>()};
        res.key_order.push_back(key);
      }
    }
    c->results.push_back(std::move(res));
  }
  return true;
}

// The "Casting error" lines syslog-ng logged in the recording runs, with
// the "syslog-ng[pid]: " prefix removed.
std::set<std::string> RecordedCastingErrors(const std::string& dir) {
  std::set<std::string> out;
  std::ifstream in(dir + "/_internal-messages.json");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return out;
  for (const auto& [set, runs] : j.items()) {
    for (const auto& [run, lines] : runs.items()) {
      for (const auto& line : lines) {
        std::string text = line.get<std::string>();
        size_t p = text.find("Casting error");
        if (p != std::string::npos) out.insert(text.substr(p));
      }
    }
  }
  return out;
}

// A LogRecord the way syslog-ng prints an internal message:
// "text; tag='value', tag='value'" with ' and \ escaped.
std::string FormatInternal(const LogRecord& r) {
  std::string s = r.text + ";";
  for (size_t i = 0; i < r.tags.size(); ++i) {
    s += (i == 0 ? " " : ", ") + r.tags[i].first + "='";
    for (char c : r.tags[i].second) {
      if (c == '\'' || c == '\\') s.push_back('\\');
      s.push_back(c);
    }
    s += "'";
  }
  return s;
}

std::vector<std::string> CaseFiles(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 5 && n.compare(n.size() - 5, 5, ".json") == 0 &&
          n[0] != '_') {
        names.push_back(n);
      }
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Copies a parsed message into a builder to add the pipeline's pairs.
MessageBuilder CopyToBuilder(const Message& m) {
  MessageBuilder b;
  b.SetStamp(m.stamp()).SetReceived(m.received());
  b.SetFacility(m.facility()).SetSeverity(m.severity()).AddFlags(m.flags());
  m.ForEachPair([&](std::string_view name, std::string_view value) {
    if (name.rfind(".SDATA.", 0) != 0) b.Set(name, value);
  });
  for (size_t i = 0; i < m.sd_element_count(); ++i) {
    for (const SdParam& p : m.sd_params(i)) {
      b.AddSdParam(m.sd_element_id(i), p.name, p.value);
    }
  }
  for (const std::string& tag : m.tags()) b.AddTag(tag);
  return b;
}

class ValuePairsGoldenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = GoldenDir();
    if (dir_.empty()) GTEST_SKIP() << "PYDEST_GOLDEN_DIR not set or missing";
    std::string error;
    ASSERT_TRUE(LoadGoldenFile(dir_, "scope-everything.json", &rich_, &error))
        << error;
  }

  const GoldenResult* Rich(const CaseResult& r) const {
    for (const GoldenResult& e : rich_.results) {
      if (e.input_set == r.input_set && e.input_index == r.input_index) {
        return &e;
      }
    }
    return nullptr;
  }

  // The message syslog-ng's golden pipeline produced for `r`: the parsed
  // line plus the parsers' pairs (kv.*, .json.*, custom.field, .dot.hidden),
  // the source tag and the transport addresses.
  Message BuildMessage(const CaseResult& r, const GoldenResult& rich) const {
    ParseOptions o;
    std::optional<Timestamp> received = rich.Clock("R_");
    o.received = received ? received->ToTime()
                          : absl::FromUnixSeconds(1795513312);
    o.has_local_utc_offset = true;  // the recording machine ran on UTC
    o.local_utc_offset_seconds = 0;
    o.host_from = "vm";
    o.source_name = "s_in";
    if (const std::string* f = rich.Find("FILE_NAME")) o.file_name = *f;
    InputFormat format = r.input_set == "rfc5424" ? InputFormat::kRfc5424
                                                  : InputFormat::kRfc3164;
    MessageBuilder b = CopyToBuilder(ParseLine(r.input, format, o));
    for (const auto& [key, value] : rich.output) {
      if (IsParserPair(key)) b.Set(key, value);
    }
    b.AddTag(".source.s_in");
    b.SetSourceIp("127.0.0.1").SetDestIp("127.0.0.1");
    return b.Build();
  }

  std::string dir_;
  GoldenFile rich_;
};

TEST_F(ValuePairsGoldenTest, EveryCaseMatchesSyslogNg338) {
  int cases = 0, cases_matched = 0, cases_skipped = 0;
  int keys = 0, keys_matched = 0;
  TemplateOptions template_options;  // ts-format(rfc3164), frac-digits(0)
  const std::set<std::string> recorded_errors = RecordedCastingErrors(dir_);
  int casting_errors = 0;
  for (const std::string& file : CaseFiles(dir_)) {
    Case c;
    ASSERT_TRUE(LoadCase(dir_ + "/" + file, &c)) << file;
    ++cases;
    if (const Deviation* d = FindDeviation(c.name, "*")) {
      std::printf("[ skipped ] %s: %s\n", c.name.c_str(), d->reason);
      ++cases_skipped;
      continue;
    }
    auto options = ParsePythonOptions(
        "class(\"anchordest.GoldenDest\") " + c.fragment);
    ASSERT_TRUE(options.ok()) << c.name << ": " << options.status();
    ASSERT_TRUE(options->value_pairs.has_value()) << c.name;
    ValuePairsOptions vpo;
    vpo.version = ConfigVersion{3, 38};
    vpo.on_error = options->on_error;
    auto vp = ValuePairs::Compile(*options->value_pairs, vpo);
    ASSERT_TRUE(vp.ok()) << c.name << ": " << vp.status();

    bool case_ok = true;
    std::map<std::string, uint64_t> seqnum;
    for (const CaseResult& r : c.results) {
      std::string where = c.name + " " + r.input_set + "#" +
                          std::to_string(r.input_index);
      uint64_t seq = ++seqnum[r.input_set];
      const GoldenResult* rich = Rich(r);
      ASSERT_NE(rich, nullptr) << where;
      Message msg = BuildMessage(r, *rich);
      MacroContext ctx;
      ctx.template_options = &template_options;
      ctx.seqnum = seq;
      if (auto t = rich->Clock("C_")) ctx.now = *t;
      if (auto t = rich->Clock("P_")) ctx.processed = *t;
      ctx.loghost = "vm";
      std::string hostid = rich->Find("HOSTID") ? *rich->Find("HOSTID") : "";
      ctx.hostid = hostid;

      Record record;
      EvaluationReport report;
      (*vp)->Evaluate(msg, ctx, &record, &report);
      // Every "Casting error" we report is one syslog-ng logged, word for
      // word; the silently-* policies report none.
      for (const LogRecord& log : report.log) {
        ++casting_errors;
        EXPECT_EQ(recorded_errors.count(FormatInternal(log)), 1u)
            << where << ": syslog-ng never logged: " << FormatInternal(log);
      }
      if (c.fragment.find("silently-") != std::string::npos) {
        EXPECT_TRUE(report.log.empty()) << where;
      }
      if (!r.delivered) {
        ++keys;
        if (report.drop_message) {
          ++keys_matched;
        } else {
          case_ok = false;
          ADD_FAILURE() << where << ": syslog-ng did not deliver it; ours "
                        << "did not drop it";
        }
        continue;
      }
      if (report.drop_message) {
        case_ok = false;
        ADD_FAILURE() << where << ": dropped, but syslog-ng delivered it";
        continue;
      }
      std::map<std::string, TypedValue> ours;
      std::vector<std::string> our_order;
      for (const RecordEntry& e : record.entries) {
        std::string key((*vp)->keys().Name(e.key));
        ours[key] = TypedValue{pydest::testing::PyTypeName(e.kind),
                               pydest::testing::PyRepr(record, e)};
        our_order.push_back(key);
      }
      EXPECT_TRUE(std::is_sorted(our_order.begin(), our_order.end()))
          << where << ": entries not in strcmp order";
      std::set<std::string> all_keys;
      for (const auto& [k, v] : r.output) all_keys.insert(k);
      for (const auto& [k, v] : ours) all_keys.insert(k);
      for (const std::string& key : all_keys) {
        if (c.time_dependent.count(key) || IsHostDependent(key) ||
            FindDeviation(c.name, key)) {
          continue;
        }
        ++keys;
        auto want = r.output.find(key);
        auto got = ours.find(key);
        if (want == r.output.end()) {
          ADD_FAILURE() << where << ": extra key " << key << " = "
                        << got->second.type << " " << got->second.repr;
        } else if (got == ours.end()) {
          ADD_FAILURE() << where << ": missing key " << key << " = "
                        << want->second.type << " " << want->second.repr;
        } else if (want->second.type != got->second.type ||
                   want->second.repr != got->second.repr) {
          ADD_FAILURE() << where << ": " << key << ": golden "
                        << want->second.type << " " << want->second.repr
                        << ", ours " << got->second.type << " "
                        << got->second.repr;
        } else {
          ++keys_matched;
          continue;
        }
        case_ok = false;
      }
    }
    if (case_ok) ++cases_matched;
  }
  std::printf(
      "value-pairs golden conformance: %d/%d cases matched (%d skipped), "
      "%d/%d keys matched, %d casting errors reported\n",
      cases_matched, cases - cases_skipped, cases_skipped, keys_matched, keys,
      casting_errors);
  EXPECT_FALSE(recorded_errors.empty());
  EXPECT_GT(cases, 0);
}

}  // namespace
}  // namespace pydest::internal
