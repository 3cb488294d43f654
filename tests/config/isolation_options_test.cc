// isolation(thread|process), send-timeout(), memory-limit() and
// worker-executable() inside python(), and the same in the JSON form, with
// their errors (and their place).
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/config.h"

namespace pydest {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<DestinationOptions> o = ParsePythonOptions(text, "app.conf");
  EXPECT_FALSE(o.ok());
  return std::string(o.status().message());
}

std::string JsonErrorOf(const std::string& json) {
  absl::StatusOr<DestinationOptions> o = DestinationOptionsFromJson(json);
  EXPECT_FALSE(o.ok());
  return std::string(o.status().message());
}

TEST(IsolationOptionsTest, ThreadIsTheDefault) {
  absl::StatusOr<DestinationOptions> o = ParsePythonOptions("class(c)");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->isolation, Isolation::kThread);
  EXPECT_FALSE(o->send_timeout.has_value());
  EXPECT_FALSE(o->memory_limit_mib.has_value());
  EXPECT_EQ(o->worker_executable, "");
}

TEST(IsolationOptionsTest, ProcessWithItsOptions) {
  absl::StatusOr<DestinationOptions> o = ParsePythonOptions(
      "class(c) isolation(process) send-timeout(2.5) memory_limit(512) "
      "worker-executable(\"/opt/w/pydest-worker\")");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->isolation, Isolation::kProcess);
  EXPECT_EQ(o->send_timeout, absl::Milliseconds(2500));
  EXPECT_EQ(o->memory_limit_mib, 512u);
  EXPECT_EQ(o->worker_executable, "/opt/w/pydest-worker");
  o = ParsePythonOptions("class(c) isolation(\"thread\")");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->isolation, Isolation::kThread);
  o = ParsePythonOptions("class(c) isolation(process) send-timeout(30)");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->send_timeout, absl::Seconds(30));
}

TEST(IsolationOptionsTest, AnUnknownIsolationNamesTheChoices) {
  const std::string e = ErrorOf("class(c)\n  isolation(proces)");
  EXPECT_THAT(e, HasSubstr("app.conf:2:13"));
  EXPECT_THAT(e, HasSubstr("isolation() expects thread or process"));
  EXPECT_THAT(e, HasSubstr("did you mean 'process'?"));
}

TEST(IsolationOptionsTest, SendTimeoutMustBeAPositiveNumber) {
  EXPECT_THAT(ErrorOf("class(c) isolation(process) send-timeout(0)"),
              HasSubstr("app.conf:1:42: send-timeout() expects a positive "
                        "number of seconds"));
  EXPECT_THAT(ErrorOf("class(c) isolation(process) send-timeout(-1)"),
              HasSubstr("expects a positive number of seconds"));
  EXPECT_THAT(ErrorOf("class(c) isolation(process) send-timeout(soon)"),
              HasSubstr("expects a positive number of seconds"));
}

TEST(IsolationOptionsTest, MemoryLimitHasAFloor) {
  EXPECT_THAT(ErrorOf("class(c) isolation(process) memory-limit(8)"),
              HasSubstr("app.conf:1:42: memory-limit() expects"));
  EXPECT_THAT(ErrorOf("class(c) isolation(process) memory-limit(lots)"),
              HasSubstr("memory-limit() expects an integer"));
}

TEST(IsolationOptionsTest, ProcessOnlyOptionsNeedIsolationProcess) {
  EXPECT_THAT(ErrorOf("class(c)\nsend-timeout(5)"),
              HasSubstr("app.conf:2:1: send-timeout() needs "
                        "isolation(process)"));
  EXPECT_THAT(ErrorOf("class(c) memory-limit(256) isolation(thread)"),
              HasSubstr("memory-limit() needs isolation(process)"));
  EXPECT_THAT(ErrorOf("class(c) worker-executable(\"/w\")"),
              HasSubstr("worker-executable() needs isolation(process)"));
  EXPECT_THAT(ErrorOf("class(c) isolation(process) worker-executable(\"\")"),
              HasSubstr("worker-executable() must name a file"));
}

TEST(IsolationOptionsTest, AMistypedOptionGetsADidYouMean) {
  EXPECT_THAT(ErrorOf("class(c) isolaton(process)"),
              HasSubstr("did you mean 'isolation'?"));
  EXPECT_THAT(ErrorOf("class(c) send-timout(1)"),
              HasSubstr("did you mean 'send-timeout'?"));
}

TEST(IsolationOptionsTest, InAConfigurationFile) {
  absl::StatusOr<Config> c = ParseConfig(
      "@version: 4.0\n"
      "destination d { python(class(\"m.C\") isolation(process) workers(2) "
      "send-timeout(1)); };\n",
      "app.conf");
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->destinations.size(), 1u);
  EXPECT_EQ(c->destinations[0].options.isolation, Isolation::kProcess);
  EXPECT_EQ(c->destinations[0].options.workers, 2);
  EXPECT_EQ(c->destinations[0].options.send_timeout, absl::Seconds(1));
}

TEST(IsolationOptionsTest, Json) {
  absl::StatusOr<DestinationOptions> o = DestinationOptionsFromJson(
      R"({"class": "m.C", "isolation": "process", "send_timeout": 0.25,
          "memory-limit": 300, "worker-executable": "/w"})");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->isolation, Isolation::kProcess);
  EXPECT_EQ(o->send_timeout, absl::Milliseconds(250));
  EXPECT_EQ(o->memory_limit_mib, 300u);
  EXPECT_EQ(o->worker_executable, "/w");
}

TEST(IsolationOptionsTest, JsonErrors) {
  EXPECT_THAT(JsonErrorOf(R"({"class": "m.C", "isolation": "fork"})"),
              HasSubstr("isolation"));
  EXPECT_THAT(JsonErrorOf(R"({"class": "m.C", "isolation": "process",
                             "send-timeout": 0})"),
              HasSubstr("must be a positive number of seconds"));
  EXPECT_THAT(JsonErrorOf(R"({"class": "m.C", "isolation": "process",
                             "memory-limit": 4})"),
              HasSubstr("memory-limit"));
  EXPECT_THAT(JsonErrorOf(R"({"class": "m.C", "send-timeout": 3})"),
              HasSubstr("send-timeout needs \"isolation\": \"process\""));
  EXPECT_THAT(JsonErrorOf(R"({"class": "m.C", "isolaton": "process"})"),
              HasSubstr("did you mean 'isolation'?"));
}

}  // namespace
}  // namespace pydest
