// The destination context the runtime keeps per thread: which destination's
// code is running, and where its log records go.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>

#include "libpydest/pyrt/destination_context.h"

namespace pydest::internal {
namespace {

TEST(DestinationContext, ScopeMakesAContextCurrentOnThisThreadOnly) {
  auto context = std::make_shared<DestinationContext>();
  context->name = "d_py#0";
  EXPECT_FALSE(InDestinationScope());
  {
    DestinationScope scope(context);
    EXPECT_TRUE(InDestinationScope());
    EXPECT_EQ(CurrentDestination()->name, "d_py#0");
    bool other_thread_in_scope = true;
    std::thread([&] { other_thread_in_scope = InDestinationScope(); }).join();
    EXPECT_FALSE(other_thread_in_scope);
  }
  EXPECT_FALSE(InDestinationScope());
  EXPECT_EQ(CurrentDestination()->name, "");
}

TEST(DestinationContext, ScopesNestAndRestoreTheOuterOne) {
  auto outer = std::make_shared<DestinationContext>();
  outer->name = "outer";
  auto inner = std::make_shared<DestinationContext>();
  inner->name = "inner";
  DestinationScope a(outer);
  {
    DestinationScope b(inner);
    EXPECT_EQ(CurrentDestination()->name, "inner");
  }
  EXPECT_EQ(CurrentDestination()->name, "outer");
}

TEST(DestinationContext, LogGoesToTheSinkWhenOneIsSet) {
  DestinationContext context;
  std::string seen;
  context.log_sink = [&](const LogRecord& r) { seen = r.text; };
  LogRecord record;
  record.text = "hello";
  context.Log(record);
  EXPECT_EQ(seen, "hello");
}

}  // namespace
}  // namespace pydest::internal
