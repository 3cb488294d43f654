// What the fuzz harnesses share: a fixed, rich message (every kind of value
// a message can hold), a fixed macro context, and "evaluate everything" —
// every macro of the table and value-pairs(scope(everything)) under the 3.x
// and 4.x typing rules — so that whatever a harness produces is also pushed
// through the macro and value-pairs code.
//
// Deterministic: no clock, no host name, no environment. Not thread-safe
// (function-local statics); harnesses run one input at a time.
#ifndef TESTS_FUZZ_FUZZ_SUPPORT_H_
#define TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "libpydest/message/macros.h"
#include "libpydest/value_pairs/value_pairs.h"
#include "pydest/message.h"
#include "pydest/on_error.h"
#include "pydest/template_options.h"
#include "pydest/value_pairs.h"

namespace pydest::fuzz {

// Time zero of every harness: 2023-11-14T22:13:20Z.
inline constexpr int64_t kFuzzEpoch = 1700000000;

// A message with all built-in pairs, other pairs (dotted, empty, non-UTF-8),
// structured data, tags and transport addresses.
inline const Message& RichMessage() {
  static const Message* const kMessage = [] {
    MessageBuilder b;
    Timestamp stamp;
    stamp.unix_seconds = kFuzzEpoch - 3600;
    stamp.microseconds = 123456;
    stamp.utc_offset_seconds = -(3 * 3600 + 1800);
    Timestamp received;
    received.unix_seconds = kFuzzEpoch;
    received.microseconds = 7;
    received.utc_offset_seconds = 3600;
    b.SetStamp(stamp).SetReceived(received).SetFacility(4).SetSeverity(2);
    b.SetHost("web01.example.com").SetProgram("su").SetPid("1234");
    b.SetMsgId("ID47").SetText("'su root' failed for lonvick on /dev/pts/8");
    b.Set("HOST_FROM", "relay").Set("SOURCE", "s_net");
    b.Set("FILE_NAME", "/var/log/app.log");
    b.Set("kv.user", "alice").Set("kv.count", "17").Set("kv.ratio", "1.5");
    b.Set("kv.flag", "true").Set("kv.when", "1700000000.25");
    b.Set("kv.list", "a,b,\"c,d\"").Set("empty", "");
    b.Set(".json.nested.a", "1").Set("bytes", std::string_view("\xff\xfe\0x", 4));
    b.AddSdParam("meta", "sequenceId", "1");
    b.AddSdParam("exampleSDID@32473", "iut", "3");
    b.AddSdParam("exampleSDID@32473", "eventSource", "App\"lic]ation\\");
    b.AddSdElement("empty@1");
    b.AddTag("t1").AddTag(".source.s_net");
    b.SetSourceIp("192.0.2.7").SetDestIp("2001:db8::1").SetDestPort(514);
    b.SetProto(17);
    return new Message(b.Build());
  }();
  return *kMessage;
}

// A macro context with every field set; `options` must outlive its use.
inline internal::MacroContext FixedContext(const TemplateOptions* options) {
  internal::MacroContext ctx;
  ctx.template_options = options;
  ctx.seqnum = 42;
  ctx.now.unix_seconds = kFuzzEpoch + 5;
  ctx.now.utc_offset_seconds = 0;
  ctx.processed.unix_seconds = kFuzzEpoch + 4;
  ctx.processed.microseconds = 999999;
  ctx.loghost = "fuzzhost";
  ctx.hostid = "8df08c02";
  ctx.runid = 3;
  ctx.sysuptime = 12345;
  ctx.rcptid = 99;
  ctx.context_id = "ctx-1";
  return ctx;
}

// Template options that differ from the defaults in every field.
inline const TemplateOptions& OddTemplateOptions() {
  static const TemplateOptions* const kOptions = [] {
    auto* o = new TemplateOptions;
    o->frac_digits = 6;
    o->ts_format = "iso";
    o->local_time_zone = "+05:30";
    o->send_time_zone = "-08:00";
    return o;
  }();
  return *kOptions;
}

// Evaluates every macro of `msg` and value-pairs(scope(everything)) under
// the 3.38 and 4.0 rules, with `options` (null: the defaults) and the odd
// options. Returns a checksum so the work cannot be optimised away.
inline size_t EvaluateEverything(const Message& msg,
                                 const TemplateOptions* options = nullptr) {
  static const TemplateOptions kDefaults;
  static const auto* const kValuePairs = [] {
    auto* all = new std::unique_ptr<internal::ValuePairs>[2];
    ValuePairsSpec spec;
    spec.scopes = kScopeEverything;
    internal::ValuePairsOptions o;
    o.version = {3, 38};
    o.on_error = OnError::kFallbackToString;
    all[0] = std::move(internal::ValuePairs::Compile(spec, o)).value();
    o.version = {4, 0};
    all[1] = std::move(internal::ValuePairs::Compile(spec, o)).value();
    return all;
  }();
  size_t sum = 0;
  const TemplateOptions* each[] = {options ? options : &kDefaults,
                                   &OddTemplateOptions()};
  std::string out;
  for (const TemplateOptions* o : each) {
    internal::MacroContext ctx = FixedContext(o);
    for (size_t id = 0; id < internal::MacroCount(); ++id) {
      out.clear();
      internal::AppendMacro(static_cast<internal::MacroId>(id), msg, ctx,
                            &out);
      sum += out.size();
    }
    for (int v = 0; v < 2; ++v) {
      internal::Record record;
      internal::EvaluationReport report;
      kValuePairs[v]->Evaluate(msg, ctx, &record, &report);
      sum += record.entries.size() + record.buffer.size();
    }
  }
  return sum;
}

}  // namespace pydest::fuzz

#endif  // TESTS_FUZZ_FUZZ_SUPPORT_H_
