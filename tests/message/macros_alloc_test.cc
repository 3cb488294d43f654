// Macro evaluation allocates nothing once the caller's buffer has room: this
// binary replaces the global operator new to count allocations around the
// evaluation of every macro of the all-macros scope.
#include <string>

#include "gtest/gtest.h"
#include "libpydest/message/date_macros.h"
#include "libpydest/message/macros.h"
#include "macro_fixture.h"
#include "pydest/message.h"
#include "tests/common/allocation_counter.h"

namespace pydest::internal {
namespace {

long CountAllocationsOfAllMacros(const Message& msg, const MacroContext& ctx,
                                 std::string* out) {
  long before = pydest::testing::AllocationCount();
  for (MacroId id : AllMacros()) {
    out->clear();
    AppendMacro(id, msg, ctx, out);
  }
  return pydest::testing::AllocationCount() - before;
}

Message RichMessage() {
  return MessageBuilder()
      .SetStamp(At(2024, 1, 2, 3, 4, 5, 123456, 7200))
      .SetReceived(At(2024, 1, 2, 3, 4, 6))
      .SetPri(165)
      .SetHost("mymachine.example.com")
      .SetProgram("evntslog")
      .SetPid("1234")
      .SetText("An application event log entry")
      .AddSdParam("exampleSDID@32473", "iut", "3")
      .AddSdParam("x@1", "esc", "a\"b]c")
      .AddTag(".source.s_in")
      .AddTag("second")
      .Build();
}

TEST(MacrosAllocationTest, CounterSeesAllocations) {
  long before = pydest::testing::AllocationCount();
  auto* p = new std::string(100, 'x');
  delete p;
  EXPECT_GE(pydest::testing::AllocationCount() - before, 2);
}

TEST(MacrosAllocationTest, AllMacrosAllocateNothingWithARoomyBuffer) {
  Message msg = RichMessage();
  TemplateOptions options;
  options.frac_digits = 3;
  MacroContext ctx;
  ctx.template_options = &options;
  ctx.seqnum = 9;
  ctx.loghost = "vm";
  ctx.hostid = "8df08c02";
  std::string out;
  out.reserve(4096);
  CountAllocationsOfAllMacros(msg, ctx, &out);  // builds the macro table
  EXPECT_EQ(CountAllocationsOfAllMacros(msg, ctx, &out), 0);
}

TEST(MacrosAllocationTest, IanaLocalTimeZoneAllocatesOnlyOnFirstUse) {
  if (!CheckLocalTimeZone("Europe/Budapest").ok()) {
    GTEST_SKIP() << "no zoneinfo on this machine";
  }
  Message msg = RichMessage();
  TemplateOptions options;
  options.local_time_zone = "Europe/Budapest";
  MacroContext ctx;
  ctx.template_options = &options;
  std::string out;
  out.reserve(4096);
  CountAllocationsOfAllMacros(msg, ctx, &out);  // loads the zone
  EXPECT_EQ(CountAllocationsOfAllMacros(msg, ctx, &out), 0);
}

}  // namespace
}  // namespace pydest::internal
