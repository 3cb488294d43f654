#include "tests/value_pairs/golden_cases.h"

#include <dirent.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "libpydest/template/glob.h"
#include "nlohmann/json.hpp"
#include "pydest/config.h"
#include "pydest/parse.h"

namespace pydest::testing {
namespace {

using internal::GlobMatches;

// Deliberate or unavoidable differences from syslog-ng 3.38.
const Deviation kDeviations[] = {
    {"no-value-pairs", "*",
     "send() receives a LogMessage, not a dict: no value-pairs to evaluate "
     "(the python layer's LogMessage tests cover this case)"},
};

// Values that depend on the recording machine rather than on the message.
const char* const kHostDependentKeys[] = {"HOSTID", "SYSUPTIME", "RUNID",
                                          "FILE_NAME", "LOGHOST", "HOST_FROM"};

bool IsParserPair(const std::string& key) {
  return key.rfind("kv.", 0) == 0 || key.rfind(".json.", 0) == 0 ||
         key == "custom.field" || key == ".dot.hidden";
}

TypedValue ReadTyped(const nlohmann::json& typed) {
  return TypedValue{typed[0].get<std::string>(), typed[1].get<std::string>()};
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

}  // namespace

bool LoadGoldenCase(const std::string& path, GoldenCase* c) {
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
        res.output[key] = ReadTyped(typed);
        res.key_order.push_back(key);
      }
    }
    // ["list", ["b'HOST'", ...]]
    if (r.contains("keys_ret") && r["keys_ret"].is_array() &&
        r["keys_ret"].size() == 2 && r["keys_ret"][1].is_array()) {
      for (const auto& name : r["keys_ret"][1]) {
        auto decoded = DecodeBytesRepr(name.get<std::string>());
        if (!decoded) return false;
        res.keys_ret.push_back(*decoded);
      }
    }
    if (r.contains("getitem_probe") && r["getitem_probe"].is_object()) {
      for (const auto& [name, typed] : r["getitem_probe"].items()) {
        res.getitem_probe[name] = ReadTyped(typed);
      }
    }
    c->results.push_back(std::move(res));
  }
  return true;
}

std::vector<std::string> GoldenCaseFiles(const std::string& dir) {
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

bool IsComparedKey(const GoldenCase& c, const std::string& key) {
  return c.time_dependent.count(key) == 0 && !IsHostDependent(key) &&
         FindDeviation(c.name, key) == nullptr;
}

std::vector<std::string> DiffOutput(
    const GoldenCase& c, const std::map<std::string, TypedValue>& golden,
    const std::map<std::string, TypedValue>& ours, int* compared,
    int* matched) {
  std::vector<std::string> diffs;
  std::set<std::string> all_keys;
  for (const auto& [k, v] : golden) all_keys.insert(k);
  for (const auto& [k, v] : ours) all_keys.insert(k);
  for (const std::string& key : all_keys) {
    if (!IsComparedKey(c, key)) continue;
    ++*compared;
    auto want = golden.find(key);
    auto got = ours.find(key);
    if (want == golden.end()) {
      diffs.push_back("extra key " + key + " = " + got->second.type + " " +
                      got->second.repr);
    } else if (got == ours.end()) {
      diffs.push_back("missing key " + key + " = " + want->second.type + " " +
                      want->second.repr);
    } else if (want->second.type != got->second.type ||
               want->second.repr != got->second.repr) {
      diffs.push_back(key + ": golden " + want->second.type + " " +
                      want->second.repr + ", ours " + got->second.type + " " +
                      got->second.repr);
    } else {
      ++*matched;
    }
  }
  return diffs;
}

absl::StatusOr<std::unique_ptr<internal::ValuePairs>> CompileGoldenCase(
    const GoldenCase& c) {
  auto options =
      ParsePythonOptions("class(\"anchordest.GoldenDest\") " + c.fragment);
  if (!options.ok()) return options.status();
  if (!options->value_pairs.has_value()) {
    return absl::InvalidArgumentError(c.name + " has no value-pairs()");
  }
  internal::ValuePairsOptions vpo;
  vpo.version = ConfigVersion{3, 38};
  vpo.on_error = options->on_error;
  return internal::ValuePairs::Compile(*options->value_pairs, vpo);
}

bool GoldenPipeline::Load(const std::string& dir, std::string* error) {
  return LoadGoldenFile(dir, "scope-everything.json", &rich_, error);
}

const GoldenResult* GoldenPipeline::Rich(const CaseResult& r) const {
  for (const GoldenResult& e : rich_.results) {
    if (e.input_set == r.input_set && e.input_index == r.input_index) {
      return &e;
    }
  }
  return nullptr;
}

Message GoldenPipeline::BuildMessage(const CaseResult& r,
                                     const GoldenResult& rich) const {
  ParseOptions o;
  std::optional<Timestamp> received = rich.Clock("R_");
  o.received = received ? received->ToTime()
                        : absl::FromUnixSeconds(1795513312);
  o.local_utc_offset_seconds = 0;  // the recording machine ran on UTC
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

internal::MacroContext GoldenPipeline::Context(
    const GoldenResult& rich, uint64_t seqnum,
    const TemplateOptions* template_options) const {
  internal::MacroContext ctx;
  ctx.template_options = template_options;
  ctx.seqnum = seqnum;
  if (auto t = rich.Clock("C_")) ctx.now = *t;
  if (auto t = rich.Clock("P_")) ctx.processed = *t;
  ctx.loghost = "vm";
  const std::string* hostid = rich.Find("HOSTID");
  ctx.hostid = hostid != nullptr ? std::string_view(*hostid) : "";
  return ctx;
}

}  // namespace pydest::testing
