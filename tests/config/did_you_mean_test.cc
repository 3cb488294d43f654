// pydest::DidYouMean (include/pydest/did_you_mean.h): a close candidate is
// suggested as given, '_' and '-' count as the same, a far one is not.
#include "pydest/did_you_mean.h"

#include "gtest/gtest.h"

namespace pydest {
namespace {

TEST(DidYouMeanTest, SuggestsAPlausibleTypoAsGiven) {
  EXPECT_EQ(DidYouMean("--stats-jsn", {"--stats-json", "--deadline"}),
            "; did you mean '--stats-json'?");
  EXPECT_EQ(DidYouMean("MyDest", {"my_dst", "My_Dest"}),
            "; did you mean 'My_Dest'?");
}

TEST(DidYouMeanTest, NothingForAFarWordOrAnExactOne) {
  EXPECT_EQ(DidYouMean("completely", {"--stats-json"}), "");
  EXPECT_EQ(DidYouMean("x", {}), "");
  EXPECT_EQ(DidYouMean("same", {"same"}), "");
}

}  // namespace
}  // namespace pydest
