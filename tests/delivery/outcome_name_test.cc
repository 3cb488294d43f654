// OutcomeName (include/pydest/outcome.h): each outcome's name is the
// DestinationStats field that counts it.
#include "gtest/gtest.h"
#include "pydest/outcome.h"

namespace pydest {
namespace {

TEST(OutcomeNameTest, NamesEveryOutcomeAsTheStatsDo) {
  EXPECT_STREQ(OutcomeName(Outcome::kDelivered), "delivered");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedByDestination),
               "dropped_by_destination");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedRetriesExhausted),
               "dropped_retries_exhausted");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedOnError), "dropped_on_error");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedQueueOverflow),
               "dropped_queue_overflow");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedShutdown), "dropped_shutdown");
  EXPECT_STREQ(OutcomeName(Outcome::kDroppedNotAccepted),
               "dropped_not_accepted");
}

}  // namespace
}  // namespace pydest
