// Macro conformance against syslog-ng 3.38 (the golden vectors): every macro
// key recorded in scope-everything, scope-all-macros, scope-rfc5424 and
// scope-sdata is evaluated on the same input and compared.
//
// Messages are built two ways: from the recorded name-value pairs themselves
// (so a difference is the macros' fault alone), and, when the parse layer is
// built, with pydest::ParseLine from the raw input line. The pairs that come
// from syslog-ng's own parsers in the golden pipeline (kv.*, .json.*,
// custom.field, .dot.hidden) are copied from the recording either way.
//
// The clocks ($R_*, $C_*, $P_*) are taken from the recording, so even the
// "time-dependent" keys are compared exactly when the recording of the same
// run has them; otherwise (scope-rfc5424's DATE of a header-less line) their
// shape is compared. Host-dependent keys (HOST_FROM, LOGHOST, SOURCEIP,
// FILE_NAME, HOSTID, SYSUPTIME, RUNID) are checked for syslog-ng's format.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "golden_case.h"
#include "gtest/gtest.h"
#include "libpydest/message/macros.h"
#include "libpydest/message/message_rep.h"
#include "nlohmann/json.hpp"
#include "pydest/message.h"
#include "pydest/parse.h"

namespace pydest::internal {
namespace {

using pydest::testing::DecodeBytesRepr;
using pydest::testing::GoldenDir;
using pydest::testing::GoldenFile;
using pydest::testing::GoldenResult;
using pydest::testing::LoadGoldenFile;

const char* const kFiles[] = {"scope-everything.json", "scope-all-macros.json",
                              "scope-rfc5424.json", "scope-sdata.json"};

const std::map<std::string, std::regex>& HostDependentFormats() {
  static const auto* formats = new std::map<std::string, std::regex>{
      {"HOST_FROM", std::regex("^[A-Za-z0-9._-]+$")},
      {"LOGHOST", std::regex("^[A-Za-z0-9._-]+$")},
      {"SOURCEIP", std::regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$")},
      {"FILE_NAME", std::regex("^/.+")},
      {"HOSTID", std::regex("^[0-9a-f]{8}$")},
      {"SYSUPTIME", std::regex("^[0-9]+$")},
      {"RUNID", std::regex("^[0-9]+$")},
  };
  return *formats;
}

// Same length, digits where digits are (a space may stand for a digit: a
// space-padded day), letters where letters are, other characters equal.
bool SameShape(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto digitish = [](char c) { return (c >= '0' && c <= '9') || c == ' '; };
    auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    if (digitish(a[i]) && digitish(b[i])) continue;
    if (alpha(a[i]) && alpha(b[i])) continue;
    if (a[i] != b[i]) return false;
  }
  return true;
}

bool IsParserPair(const std::string& key) {
  return key.rfind("kv.", 0) == 0 || key.rfind(".json.", 0) == 0 ||
         key == "custom.field" || key == ".dot.hidden";
}

// Copies a message into a builder (messages are immutable once built).
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
  b.SetSourceIp(m.source_ip()).SetDestIp(m.dest_ip());
  b.SetDestPort(m.dest_port()).SetProto(m.proto());
  return b;
}

// What syslog-ng's pipeline adds after parsing: the parsers' pairs, the
// source tag, the transport addresses.
Message AddPipelineExtras(MessageBuilder b, const GoldenResult& rich) {
  for (const auto& [key, value] : rich.output) {
    if (IsParserPair(key)) b.Set(key, value);
  }
  b.AddTag(".source.s_in");
  b.SetSourceIp("127.0.0.1").SetDestIp("127.0.0.1");
  return b.Build();
}

// A message from the recorded pairs. SD elements and parameters are put in
// the order they have in the input line (the recording is key-sorted).
Message BuildFromRecording(const GoldenResult& rich) {
  MessageBuilder b;
  if (auto t = rich.Clock("S_")) b.SetStamp(*t);
  if (auto t = rich.Clock("R_")) b.SetReceived(*t);
  if (const std::string* pri = rich.Find("PRI")) b.SetPri(std::stoi(*pri));
  for (std::string_view name : kBuiltinPairNames) {
    if (const std::string* v = rich.Find(std::string(name))) b.Set(name, *v);
  }
  struct Param {
    size_t elem_pos, param_pos;
    std::string id, name, value;
  };
  std::vector<Param> params;
  for (const auto& [key, value] : rich.output) {
    if (key.rfind(".SDATA.", 0) != 0) continue;
    std::string rest = key.substr(7);
    size_t dot = rest.rfind('.');
    Param p{0, 0, rest.substr(0, dot), rest.substr(dot + 1), value};
    p.elem_pos = rich.input.find("[" + p.id);
    p.param_pos = rich.input.find(" " + p.name + "=", p.elem_pos);
    params.push_back(p);
  }
  std::sort(params.begin(), params.end(), [](const Param& a, const Param& b) {
    return std::tie(a.elem_pos, a.param_pos) < std::tie(b.elem_pos, b.param_pos);
  });
  for (const Param& p : params) b.AddSdParam(p.id, p.name, p.value);
  return AddPipelineExtras(std::move(b), rich);
}

Message BuildByParsing(const GoldenResult& result, const GoldenResult& rich) {
  ParseOptions o;
  std::optional<Timestamp> received = result.Clock("R_");
  if (!received) received = rich.Clock("R_");
  o.received = received ? received->ToTime()
                        : absl::FromUnixSeconds(1795513312);  // 2026-11-24
  o.local_utc_offset_seconds = 0;  // the recording machine ran on UTC
  o.host_from = "vm";
  o.source_name = "s_in";
  if (const std::string* f = rich.Find("FILE_NAME")) o.file_name = *f;
  InputFormat format = result.input_set == "rfc5424" ? InputFormat::kRfc5424
                                                     : InputFormat::kRfc3164;
  Message parsed = ParseLine(result.input, format, o);
  return AddPipelineExtras(CopyToBuilder(parsed), rich);
}

struct Tally {
  int results = 0;
  int keys = 0;
  int matched = 0;
  int exact = 0;
  int shape = 0;
  int host_format = 0;
  int pairs = 0;
  std::vector<std::string> failures;

  void Fail(const std::string& where, const std::string& key,
            const std::string& want, const std::string& got) {
    failures.push_back(where + " " + key + ": golden '" + want + "', ours '" +
                       got + "'");
  }
};

class MacroConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = GoldenDir();
    if (dir_.empty()) GTEST_SKIP() << "PYDEST_GOLDEN_DIR not set or missing";
    for (const char* name : kFiles) {
      GoldenFile f;
      std::string error;
      ASSERT_TRUE(LoadGoldenFile(dir_, name, &f, &error)) << error;
      files_.emplace(name, std::move(f));
    }
  }

  const GoldenResult* Rich(const GoldenResult& r) {
    for (const GoldenResult& e : files_["scope-everything.json"].results) {
      if (e.input_set == r.input_set && e.input_index == r.input_index) {
        return &e;
      }
    }
    return nullptr;
  }

  template <typename BuildFn>
  Tally Run(BuildFn build) {
    Tally tally;
    TemplateOptions options;  // ts-format(rfc3164), frac-digits(0)
    for (const char* name : kFiles) {
      const GoldenFile& file = files_[name];
      for (const GoldenResult& result : file.results) {
        const GoldenResult* rich = Rich(result);
        if (rich == nullptr) {
          tally.failures.push_back(std::string(name) + ": no scope-everything "
                                   "result for the same input");
          continue;
        }
        ++tally.results;
        Message msg = build(result, *rich);
        MacroContext ctx;
        ctx.template_options = &options;
        // Clocks of the same run when recorded there, else of scope-everything.
        const GoldenResult& clocks = result.Clock("R_") ? result : *rich;
        bool same_run_clocks = &clocks == &result;
        if (auto t = clocks.Clock("C_")) ctx.now = *t;
        if (auto t = clocks.Clock("P_")) ctx.processed = *t;
        if (const std::string* s = rich->Find("SEQNUM")) ctx.seqnum = std::stoull(*s);
        ctx.loghost = "testhost";
        ctx.hostid = "0123abcd";
        ctx.runid = 1;
        ctx.sysuptime = 4242;
        std::string where = std::string(name) + " " + result.input_set + "#" +
                            std::to_string(result.input_index);
        Compare(file, result, msg, ctx, same_run_clocks, where, &tally);
        if (file.case_name == "scope-everything" ||
            file.case_name == "scope-all-macros") {
          CheckNoExtraMacros(result, msg, ctx, where,
                             file.case_name == "scope-all-macros", &tally);
        }
      }
    }
    return tally;
  }

  void Compare(const GoldenFile& file, const GoldenResult& result,
               const Message& msg, const MacroContext& ctx,
               bool same_run_clocks, const std::string& where, Tally* tally) {
    for (const auto& [key, want] : result.output) {
      ++tally->keys;
      std::string got;
      std::optional<MacroId> id = LookupMacro(key);
      if (id) {
        AppendMacro(*id, msg, ctx, &got);
      } else {
        got = std::string(msg.Get(key).value_or("<unset>"));
      }
      auto host = HostDependentFormats().find(key);
      if (host != HostDependentFormats().end()) {
        if (std::regex_match(want, host->second) &&
            std::regex_match(got, host->second)) {
          ++tally->matched;
          ++tally->host_format;
        } else {
          tally->Fail(where, key, want, got);
        }
        continue;
      }
      bool shape_only =
          !same_run_clocks && file.time_dependent_keys.count(key) > 0;
      bool ok = shape_only ? SameShape(want, got) : want == got;
      if (!ok) {
        tally->Fail(where, key, want, got);
        continue;
      }
      ++tally->matched;
      if (!id) {
        ++tally->pairs;
      } else if (shape_only) {
        ++tally->shape;
      } else {
        ++tally->exact;
      }
    }
  }

  // The all-macros scope leaves out exactly the macros whose value is empty:
  // any non-empty macro of ours must be a recorded key, and (where only
  // macros are recorded; with nv-pairs an empty MESSAGE pair is kept) every
  // recorded key must be non-empty for us.
  void CheckNoExtraMacros(const GoldenResult& result, const Message& msg,
                          const MacroContext& ctx, const std::string& where,
                          bool macros_only, Tally* tally) {
    for (MacroId id : AllMacros()) {
      std::string got;
      AppendMacro(id, msg, ctx, &got);
      std::string key(MacroName(id));
      if (!got.empty() && result.Find(key) == nullptr) {
        tally->Fail(where, key, "<absent>", got);
      }
      if (macros_only && got.empty() && result.Find(key) != nullptr) {
        tally->Fail(where, key, *result.Find(key), "<empty>");
      }
    }
  }

  void Report(const char* mode, const Tally& t) {
    std::printf(
        "[macro conformance, %s] %d results in %zu files: %d/%d keys matched "
        "(%d exact macros, %d clock-shape, %d host-format, %d pairs)\n",
        mode, t.results, files_.size(), t.matched, t.keys, t.exact, t.shape,
        t.host_format, t.pairs);
    EXPECT_GT(t.results, 0);
    EXPECT_EQ(t.matched, t.keys);
    EXPECT_TRUE(t.failures.empty()) << t.failures.size() << " failures";
    for (size_t i = 0; i < t.failures.size() && i < 40; ++i) {
      ADD_FAILURE() << t.failures[i];
    }
  }

  std::string dir_;
  std::map<std::string, GoldenFile> files_;
};

TEST_F(MacroConformanceTest, MacrosOfRecordedPairsMatchSyslogNg) {
  Tally t = Run([](const GoldenResult&, const GoldenResult& rich) {
    return BuildFromRecording(rich);
  });
  Report("recorded pairs", t);
}

TEST_F(MacroConformanceTest, MacrosOfParsedInputMatchSyslogNg) {
  Tally t = Run([](const GoldenResult& result, const GoldenResult& rich) {
    return BuildByParsing(result, rich);
  });
  Report("ParseLine", t);
}

// LogMessage.keys() with no value-pairs(): the set pairs plus every macro
// except S_STAMP, C_STAMP and _ (which 3.38 cannot expand through a
// LogMessage) and HOST, MESSAGE, MSG (already there as pairs).
TEST_F(MacroConformanceTest, LogMessageKeysAreTheMacroTable) {
  std::ifstream in(dir_ + "/no-value-pairs.json");
  ASSERT_TRUE(in.good());
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  const nlohmann::json& keys = j["results"][0]["keys_ret"];
  ASSERT_TRUE(keys.is_array() && keys.size() == 2 && keys[1].is_array());
  std::set<std::string> pair_names = {"HOST",          "HOST_FROM", "MESSAGE",
                                      "PROGRAM",       "PID",       "SOURCE",
                                      "LEGACY_MSGHDR", "FILE_NAME", "custom.field",
                                      ".dot.hidden"};
  std::set<std::string> golden_macros;
  for (const auto& k : keys[1]) {
    std::optional<std::string> name = DecodeBytesRepr(k.get<std::string>());
    ASSERT_TRUE(name.has_value());
    if (pair_names.count(*name) == 0) golden_macros.insert(*name);
  }
  std::set<std::string> ours;
  for (MacroId id : AllMacros()) ours.insert(std::string(MacroName(id)));
  for (const char* n : {"S_STAMP", "C_STAMP", "_", "HOST", "MESSAGE", "MSG"}) {
    ours.erase(n);
  }
  EXPECT_EQ(ours, golden_macros);
  EXPECT_EQ(golden_macros.size(), 158u);
}

}  // namespace
}  // namespace pydest::internal
