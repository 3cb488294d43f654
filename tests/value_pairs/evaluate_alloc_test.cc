// value-pairs evaluation allocates nothing once a worker's Record and the
// thread's caches have warmed up: this binary replaces the global operator
// new to count allocations around Evaluate of scope(everything).
#include <string>

#include "gtest/gtest.h"
#include "libpydest/value_pairs/value_pairs.h"
#include "tests/common/allocation_counter.h"

namespace pydest::internal {
namespace {

Message Rich(int64_t seconds) {
  Timestamp stamp;
  stamp.unix_seconds = seconds;
  stamp.microseconds = 123456;
  stamp.utc_offset_seconds = 7200;
  Timestamp received = stamp;
  received.unix_seconds += 1;
  return MessageBuilder()
      .SetStamp(stamp)
      .SetReceived(received)
      .SetPri(165)
      .SetHost("mymachine.example.com")
      .SetProgram("evntslog")
      .SetPid("1234")
      .SetText("An application event log entry")
      .Set("kv.user", "alice")
      .Set(".json.a", "1")
      .AddSdParam("exampleSDID@32473", "iut", "3")
      .AddTag(".source.s_in")
      .Build();
}

TEST(EvaluateAllocationTest, ScopeEverythingAllocatesNothingOnceWarm) {
  ValuePairsSpec spec;
  spec.scopes = kScopeEverything;
  ValuePairsOptions o;
  o.version = {3, 38};
  auto vp = ValuePairs::Compile(spec, o);
  ASSERT_TRUE(vp.ok()) << vp.status();
  TemplateOptions options;
  options.frac_digits = 3;
  MacroContext ctx;
  ctx.template_options = &options;
  ctx.seqnum = 9;
  ctx.loghost = "vm";
  ctx.hostid = "8df08c02";
  const Message first = Rich(1700000000);
  const Message second = Rich(1700003601);  // other dates, same pair names
  Record record;
  EvaluationReport report;
  (*vp)->Evaluate(first, ctx, &record, &report);  // warms the caches
  long before = pydest::testing::AllocationCount();
  (*vp)->Evaluate(second, ctx, &record, &report);
  (*vp)->Evaluate(first, ctx, &record, &report);
  EXPECT_EQ(pydest::testing::AllocationCount() - before, 0);
  EXPECT_GT(record.entries.size(), 150u);
}

}  // namespace
}  // namespace pydest::internal
