#include "tools/pydest/destination_plan.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/config.h"

namespace pydest::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Config TwoDestinations() {
  Config c;
  ConfiguredDestination a;
  a.name = "d_a";
  a.options.class_name = "m.A";
  ConfiguredDestination b;
  b.name = "d_b";
  b.options.class_name = "m.B";
  c.destinations = {a, b};
  return c;
}

TEST(DestinationPlanTest, NoNamesSelectsEveryPythonDestination) {
  auto chosen = SelectDestinations(TwoDestinations(), {});
  ASSERT_TRUE(chosen.ok());
  ASSERT_EQ(chosen->size(), 2u);
  EXPECT_EQ((*chosen)[0].name, "d_a");
  EXPECT_EQ((*chosen)[1].name, "d_b");
}

TEST(DestinationPlanTest, NamedDestinationIsTheOnlyOneSelected) {
  auto chosen = SelectDestinations(TwoDestinations(), {"d_b", "d_b"});
  ASSERT_TRUE(chosen.ok());
  ASSERT_EQ(chosen->size(), 1u);
  EXPECT_EQ((*chosen)[0].options.class_name, "m.B");
}

TEST(DestinationPlanTest, UnknownNameIsAnErrorListingTheDefinedOnes) {
  auto chosen = SelectDestinations(TwoDestinations(), {"d_c"});
  ASSERT_FALSE(chosen.ok());
  EXPECT_THAT(std::string(chosen.status().message()),
              HasSubstr("unknown destination 'd_c'"));
  EXPECT_THAT(std::string(chosen.status().message()), HasSubstr("d_a, d_b"));
}

TEST(DestinationPlanTest, ConfigurationWithoutPythonDestinationsIsAnError) {
  EXPECT_FALSE(SelectDestinations(Config(), {}).ok());
}

TEST(DestinationPlanTest, PythonPathIsCommandLineThenOwnThenConfigDirectory) {
  DestinationOptions o;
  o.python_path = {"/opt/own", "/x"};
  SetPythonPath({"/x", "/y"}, "/etc/syslog-ng/syslog-ng.conf", &o);
  EXPECT_THAT(o.python_path,
              ElementsAre("/x", "/y", "/opt/own", "/etc/syslog-ng"));
}

TEST(DestinationPlanTest, RelativeDirectoriesBecomeAbsolute) {
  DestinationOptions o;
  SetPythonPath({"lib"}, "syslog-ng.conf", &o);
  ASSERT_EQ(o.python_path.size(), 2u);
  EXPECT_EQ(o.python_path[0].front(), '/');
  EXPECT_THAT(o.python_path[0], ::testing::EndsWith("/lib"));
  EXPECT_EQ(o.python_path[1].front(), '/');
}

TEST(DestinationPlanTest, ExistingDirectoriesAreNamedCanonically) {
  DestinationOptions o;
  SetPythonPath({"/usr/../usr/lib"}, "/usr/../usr/syslog-ng.conf", &o);
  EXPECT_THAT(o.python_path, ElementsAre("/usr/lib", "/usr"));
}

TEST(DestinationPlanTest, ValuePairsSummaryNamesScopesAndPatterns) {
  ValuePairsSpec spec;
  spec.scopes = kScopeEverything;
  EXPECT_EQ(DescribeValuePairs(spec), "scope(everything)");
  spec.scopes = kScopeRfc5424 | kScopeAllNvPairs;
  spec.patterns = {{true, "a*"}, {false, "R_*"}};
  spec.pairs.resize(2);
  EXPECT_EQ(DescribeValuePairs(spec),
            "scope(all-nv-pairs rfc5424) key(\"a*\") exclude(\"R_*\") 2 pair()");
  EXPECT_THAT(DescribeValuePairs(std::nullopt), HasSubstr("LogMessage"));
}

TEST(DestinationPlanTest, DestinationSummaryNamesClassValuePairsAndWorkers) {
  ConfiguredDestination d;
  d.name = "python_to_file";
  d.options.class_name = "betterpythonexample.TextDestination";
  d.options.value_pairs = ValuePairsSpec{};
  d.options.value_pairs->scopes = kScopeEverything;
  d.options.workers = 2;
  d.file = "syslog-ng.conf";
  d.line = 12;
  EXPECT_EQ(DescribeDestination(d),
            "python_to_file: class(betterpythonexample.TextDestination) "
            "value-pairs(scope(everything)) workers(2) [syslog-ng.conf:12]");
}

}  // namespace
}  // namespace pydest::cli
