// target(syslog-ng|axosyslog) (include/pydest/target.h): a global option,
// a python() option that overrides it, and the "target" JSON field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pydest/config.h"

namespace pydest {
namespace {

using ::testing::HasSubstr;

TEST(TargetOption, DefaultIsSyslogNg) {
  auto o = ParsePythonOptions(R"(python(class("m.C")))");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->target, Target::kSyslogNg);
}

TEST(TargetOption, GlobalOptionReachesEveryDestinationUnlessItSetsItsOwn) {
  auto c = ParseConfig(R"(@version: 4.2
options { target(axosyslog); };
destination d_a { python(class("m.A")); };
destination d_b { python(class("m.B") target("syslog-ng")); };
)");
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->destinations.size(), 2u);
  EXPECT_EQ(c->destinations[0].options.target, Target::kAxoSyslog);
  EXPECT_EQ(c->destinations[1].options.target, Target::kSyslogNg);
}

TEST(TargetOption, UnknownValueNamesTheChoices) {
  auto o = ParsePythonOptions(R"(python(class("m.C") target(rsyslog)))");
  ASSERT_FALSE(o.ok());
  EXPECT_THAT(o.status().message(),
              HasSubstr("target() expects syslog-ng or axosyslog; got "
                        "'rsyslog'"));
}

TEST(TargetOption, JsonField) {
  auto o = DestinationOptionsFromJson(
      R"({"class": "m.C", "target": "axosyslog"})");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->target, Target::kAxoSyslog);
  EXPECT_FALSE(
      DestinationOptionsFromJson(R"({"class": "m.C", "target": "x"})").ok());
}

}  // namespace
}  // namespace pydest
