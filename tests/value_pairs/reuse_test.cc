// One compiled ValuePairs evaluating message after message into one Record,
// as a worker does: what it remembers between messages (each thread's
// rendered date fields, the last message's pair names and key order, pair
// name decisions) must never leak one message's values into another's.
// The oracle is the same configuration compiled afresh and evaluated on a
// new thread, whose caches are empty.
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libpydest/value_pairs/value_pairs.h"
#include "py_repr.h"

namespace pydest::internal {
namespace {

using ::testing::ElementsAre;

using Dict = std::vector<std::pair<std::string, std::string>>;

Timestamp At(int64_t unix_seconds, int32_t usec = 0, int32_t offset = 0) {
  Timestamp t;
  t.unix_seconds = unix_seconds;
  t.microseconds = usec;
  t.utc_offset_seconds = offset;
  return t;
}

MacroContext Context(const TemplateOptions* options) {
  MacroContext ctx;
  ctx.template_options = options;
  ctx.seqnum = 7;
  ctx.loghost = "vm";
  ctx.hostid = "8df08c02";
  return ctx;
}

Dict ToDict(const ValuePairs& vp, const Record& record) {
  Dict d;
  for (const RecordEntry& e : record.entries) {
    d.emplace_back(std::string(vp.keys().Name(e.key)),
                   testing::PyTypeName(e.kind) + ":" +
                       testing::PyRepr(record, e));
  }
  return d;
}

std::string Get(const Dict& d, const std::string& key) {
  for (const auto& [k, v] : d) {
    if (k == key) return v;
  }
  return "<absent>";
}

std::vector<std::string> Keys(const Dict& d) {
  std::vector<std::string> k;
  for (const auto& e : d) k.push_back(e.first);
  return k;
}

std::unique_ptr<ValuePairs> Compile(const ValuePairsSpec& spec,
                                    ConfigVersion version = {3, 38}) {
  ValuePairsOptions o;
  o.version = version;
  o.on_error = OnError::kFallbackToString;
  auto vp = ValuePairs::Compile(spec, o);
  EXPECT_TRUE(vp.ok()) << vp.status();
  return std::move(*vp);
}

// Evaluates through a fresh compile on a new thread.
Dict Fresh(const ValuePairsSpec& spec, const Message& msg,
           const MacroContext& ctx, ConfigVersion version = {3, 38}) {
  Dict d;
  std::thread([&] {
    auto vp = Compile(spec, version);
    Record record;
    vp->Evaluate(msg, ctx, &record, nullptr);
    d = ToDict(*vp, record);
  }).join();
  return d;
}

class Reused {
 public:
  explicit Reused(const ValuePairsSpec& spec, ConfigVersion version = {3, 38})
      : vp_(Compile(spec, version)) {}
  Dict Evaluate(const Message& msg, const MacroContext& ctx) {
    vp_->Evaluate(msg, ctx, &record_, nullptr);
    return ToDict(*vp_, record_);
  }

 private:
  std::unique_ptr<ValuePairs> vp_;
  Record record_;  // reused, as a worker reuses its Record
};

ValuePairsSpec Everything() {
  ValuePairsSpec s;
  s.scopes = kScopeEverything;
  return s;
}

Message WithStamp(Timestamp stamp, Timestamp received) {
  return MessageBuilder()
      .SetStamp(stamp)
      .SetReceived(received)
      .SetHost("h")
      .SetProgram("p")
      .SetText("m")
      .Build();
}

TEST(ValuePairsReuseTest, MessagesWithDifferentStampsEachGetTheirOwnDates) {
  TemplateOptions options;
  options.frac_digits = 3;
  MacroContext ctx = Context(&options);
  ctx.now = At(1700000100, 5);
  Reused vp(Everything());
  const Message a = WithStamp(At(1065910455), At(1065910456, 250000));
  const Message b = WithStamp(At(1700000000, 123456, 3600),
                              At(1700000000, 123456, 3600));
  const Message c = WithStamp(At(1700000000, 123457, 3600),
                              At(1700000001, 0, -18000));
  for (const Message* m : {&a, &b, &a, &c, &b, &c}) {
    EXPECT_EQ(vp.Evaluate(*m, ctx), Fresh(Everything(), *m, ctx));
  }
  Dict da = vp.Evaluate(a, ctx);
  EXPECT_EQ(Get(da, "ISODATE"), "bytes:b'2003-10-11T22:14:15.000+00:00'");
  EXPECT_EQ(Get(da, "R_ISODATE"), "bytes:b'2003-10-11T22:14:16.250+00:00'");
  Dict dc = vp.Evaluate(c, ctx);
  EXPECT_EQ(Get(dc, "S_USEC"), "bytes:b'123457'");
  EXPECT_EQ(Get(dc, "R_TZOFFSET"), "bytes:b'-05:00'");
  EXPECT_EQ(Get(dc, "C_UNIXTIME"), "bytes:b'1700000100.000'");
}

TEST(ValuePairsReuseTest, CurrentAndProcessedTimesAreTheirOwn) {
  TemplateOptions options;
  MacroContext ctx = Context(&options);
  ctx.now = At(1700000100);
  ctx.processed = At(1700000200);
  const Message m = WithStamp(At(1700000000), At(1700000000));
  Reused vp(Everything());
  Dict d = vp.Evaluate(m, ctx);
  EXPECT_EQ(Get(d, "UNIXTIME"), "bytes:b'1700000000'");
  EXPECT_EQ(Get(d, "C_UNIXTIME"), "bytes:b'1700000100'");
  EXPECT_EQ(Get(d, "P_UNIXTIME"), "bytes:b'1700000200'");
  ctx.processed = Timestamp();  // all-zero: P_ shows the current time
  d = vp.Evaluate(m, ctx);
  EXPECT_EQ(Get(d, "P_UNIXTIME"), "bytes:b'1700000100'");
  EXPECT_EQ(d, Fresh(Everything(), m, ctx));
}

TEST(ValuePairsReuseTest, TemplateOptionsChangingBetweenMessagesAreHonoured) {
  TemplateOptions plain;
  TemplateOptions fancy;
  fancy.frac_digits = 6;
  fancy.ts_format = "iso";
  fancy.local_time_zone = "+02:00";
  const Message m = WithStamp(At(1700000000, 42), At(1700000000, 42));
  Reused vp(Everything());
  for (int i = 0; i < 2; ++i) {
    Dict d = vp.Evaluate(m, Context(&plain));
    EXPECT_EQ(Get(d, "STAMP"), "bytes:b'Nov 14 22:13:20'");
    EXPECT_EQ(d, Fresh(Everything(), m, Context(&plain)));
    d = vp.Evaluate(m, Context(&fancy));
    EXPECT_EQ(Get(d, "STAMP"), "bytes:b'2023-11-15T00:13:20.000042+02:00'");
    EXPECT_EQ(d, Fresh(Everything(), m, Context(&fancy)));
  }
}

TEST(ValuePairsReuseTest, PairsChangingTheirNamesBetweenMessages) {
  ValuePairsSpec spec;
  spec.scopes = kScopeAllNvPairs;
  TemplateOptions options;
  MacroContext ctx = Context(&options);
  const std::vector<Message> messages = {
      MessageBuilder().Set("b", "1").Set("a", "2").Build(),
      MessageBuilder().Set("b", "3").Set("a", "4").Build(),  // same names
      MessageBuilder().Set("a", "5").Set("b", "6").Build(),  // swapped
      MessageBuilder().Set("b", "7").Set("c", "8").Set("a", "9").Build(),
      MessageBuilder().Set("b", "x").Build(),                // fewer
      MessageBuilder()
          .Set("b", "y")
          .AddSdParam("a", "b.c", "1")  // ".SDATA.a.b.c" either way
          .Build(),
      MessageBuilder().Set("b", "z").AddSdParam("a.b", "c", "2").Build(),
      MessageBuilder().Set("b", "w").AddSdParam("a", "b", "3").Build(),
      MessageBuilder().Set("b", "v").AddSdParam("a", "b.c", "4").Build(),
  };
  Reused vp(spec);
  for (int round = 0; round < 2; ++round) {
    for (const Message& m : messages) {
      EXPECT_EQ(vp.Evaluate(m, ctx), Fresh(spec, m, ctx));
    }
  }
  EXPECT_THAT(Keys(vp.Evaluate(messages[3], ctx)), ElementsAre("a", "b", "c"));
  EXPECT_EQ(Get(vp.Evaluate(messages[2], ctx), "a"), "bytes:b'5'");
}

TEST(ValuePairsReuseTest, EmptyValuesComingAndGoingUnderOmitEmptyValues) {
  ValuePairsSpec spec;
  spec.scopes = kScopeAllNvPairs;
  spec.omit_empty_values = true;
  TemplateOptions options;
  MacroContext ctx = Context(&options);
  const Message full = MessageBuilder().Set("b", "1").Set("a", "2").Build();
  const Message hole = MessageBuilder().Set("b", "").Set("a", "2").Build();
  Reused vp(spec);
  EXPECT_THAT(Keys(vp.Evaluate(full, ctx)), ElementsAre("a", "b"));
  EXPECT_THAT(Keys(vp.Evaluate(hole, ctx)), ElementsAre("a"));
  EXPECT_EQ(vp.Evaluate(full, ctx), Fresh(spec, full, ctx));
}

TEST(ValuePairsReuseTest, TwoConfigurationsAlternatingOnOneThread) {
  // The same pair names get different final keys under each rekey().
  ValuePairsSpec upper;
  upper.scopes = kScopeAllNvPairs;
  RekeyTransform t;
  t.kind = RekeyTransform::Kind::kAddPrefix;
  t.text = "x.";
  upper.rekeys = {{"*", {t}}};
  ValuePairsSpec plain;
  plain.scopes = kScopeAllNvPairs;
  TemplateOptions options;
  MacroContext ctx = Context(&options);
  const Message m = MessageBuilder().Set("b", "1").Set("a", "2").Build();
  Reused a(upper);
  Reused b(plain);
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(Keys(a.Evaluate(m, ctx)), ElementsAre("x.a", "x.b"));
    EXPECT_THAT(Keys(b.Evaluate(m, ctx)), ElementsAre("a", "b"));
  }
}

TEST(ValuePairsReuseTest, TypedMacrosStayTypedAcrossMessages) {
  TemplateOptions options;
  MacroContext ctx = Context(&options);
  const Message a = MessageBuilder().SetStamp(At(1700000000)).Build();
  const Message b = MessageBuilder().SetStamp(At(1700000001, 500000)).Build();
  Reused vp(Everything(), {4, 0});
  for (const Message* m : {&a, &b, &a}) {
    EXPECT_EQ(vp.Evaluate(*m, ctx), Fresh(Everything(), *m, ctx, {4, 0}));
  }
  EXPECT_EQ(Get(vp.Evaluate(b, ctx), "FACILITY_NUM"), "int:1");
}

TEST(ValuePairsReuseTest, WorkersEvaluatingAtOnceGetTheirOwnMessages) {
  TemplateOptions options;
  MacroContext ctx = Context(&options);
  auto vp = Compile(Everything());
  std::vector<Message> messages;
  std::vector<Dict> expected;
  for (int i = 0; i < 4; ++i) {
    messages.push_back(
        MessageBuilder()
            .SetStamp(At(1700000000 + i * 3601, i * 1000))
            .Set("k" + std::to_string(i), std::to_string(i))
            .Build());
    expected.push_back(Fresh(Everything(), messages.back(), ctx));
  }
  std::vector<std::thread> workers;
  std::vector<int> mismatches(2, 0);
  for (int w = 0; w < 2; ++w) {
    workers.emplace_back([&, w] {
      Record record;
      for (int n = 0; n < 200; ++n) {
        size_t i = static_cast<size_t>((n + w) % 4);
        vp->Evaluate(messages[i], ctx, &record, nullptr);
        if (ToDict(*vp, record) != expected[i]) ++mismatches[w];
      }
    });
  }
  for (std::thread& t : workers) t.join();
  EXPECT_THAT(mismatches, ElementsAre(0, 0));
}

}  // namespace
}  // namespace pydest::internal
