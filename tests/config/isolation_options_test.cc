// isolation(thread|process), send-timeout(), memory-limit() and
// worker-executable() inside python() (in a file, a block's expansion and a
// dead-letter(python()) too), and the same in the JSON form, with their
// errors and their place.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/config.h"

namespace pydest {
namespace {

using ::testing::HasSubstr;

DestinationOptions Parse(const std::string& text) {
  absl::StatusOr<DestinationOptions> o = ParsePythonOptions(text, "app.conf");
  EXPECT_TRUE(o.ok()) << o.status();
  return o.ok() ? *o : DestinationOptions();
}

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<DestinationOptions> o = ParsePythonOptions(text, "app.conf");
  EXPECT_FALSE(o.ok());
  return std::string(o.status().message());
}

DestinationOptions ParseJson(const std::string& json) {
  absl::StatusOr<DestinationOptions> o = DestinationOptionsFromJson(json);
  EXPECT_TRUE(o.ok()) << o.status();
  return o.ok() ? *o : DestinationOptions();
}

std::string JsonErrorOf(const std::string& json) {
  absl::StatusOr<DestinationOptions> o = DestinationOptionsFromJson(json);
  EXPECT_FALSE(o.ok());
  return std::string(o.status().message());
}

// Each error below is on the second line, after this.
const char kProcess[] = "class(c) isolation(process)\n";

TEST(IsolationOptionsTest, ThreadIsTheDefault) {
  DestinationOptions o = Parse("class(c)");
  EXPECT_EQ(o.isolation, Isolation::kThread);
  EXPECT_FALSE(o.send_timeout.has_value());
  EXPECT_FALSE(o.memory_limit_mib.has_value());
  EXPECT_EQ(o.worker_executable, "");
}

TEST(IsolationOptionsTest, ProcessWithItsOptions) {
  DestinationOptions o = Parse(
      "class(c) isolation(process) send-timeout(30) memory-limit(512) "
      "worker-executable(\"/opt/w/pydest-worker\")");
  EXPECT_EQ(o.isolation, Isolation::kProcess);
  EXPECT_EQ(o.send_timeout, absl::Seconds(30));
  EXPECT_EQ(o.memory_limit_mib, 512u);
  EXPECT_EQ(o.worker_executable, "/opt/w/pydest-worker");
}

TEST(IsolationOptionsTest, ThreadCanBeWrittenOut) {
  EXPECT_EQ(Parse("class(c) isolation(\"thread\")").isolation,
            Isolation::kThread);
}

TEST(IsolationOptionsTest, UnderscoresSpellTheSameOptions) {
  DestinationOptions o = Parse(
      "class(c) isolation(process) send_timeout(1) memory_limit(64) "
      "worker_executable(/w)");
  EXPECT_EQ(o.send_timeout, absl::Seconds(1));
  EXPECT_EQ(o.memory_limit_mib, 64u);
  EXPECT_EQ(o.worker_executable, "/w");
}

TEST(IsolationOptionsTest, SendTimeoutTakesFractionsOfASecond) {
  EXPECT_EQ(Parse("class(c) isolation(process) send-timeout(0.5)")
                .send_timeout,
            absl::Milliseconds(500));
  EXPECT_EQ(Parse("class(c) isolation(process) send-timeout(\"2.5\")")
                .send_timeout,
            absl::Milliseconds(2500));
}

TEST(IsolationOptionsTest, SendTimeoutReadsIntegersAsOtherNumbers) {
  // 0x10 and 010 as in time-reopen() and every integer of the file.
  EXPECT_EQ(Parse("class(c) isolation(process) send-timeout(0x10)")
                .send_timeout,
            absl::Seconds(16));
  EXPECT_EQ(Parse("class(c) isolation(process) send-timeout(010)")
                .send_timeout,
            absl::Seconds(8));
}

TEST(IsolationOptionsTest, AnUnknownIsolationNamesTheChoices) {
  EXPECT_THAT(ErrorOf("class(c)\nisolation(fork)"),
              HasSubstr("app.conf:2:11: isolation() expects thread or "
                        "process; got 'fork'"));
}

TEST(IsolationOptionsTest, ANearMissOfAnIsolationGetsADidYouMean) {
  EXPECT_THAT(ErrorOf("class(c)\nisolation(proces)"),
              HasSubstr("app.conf:2:11: isolation() expects thread or "
                        "process; got 'proces'; did you mean 'process'?"));
}

TEST(IsolationOptionsTest, SendTimeoutOfZeroIsAnError) {
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "send-timeout(0)"),
              HasSubstr("app.conf:2:14: send-timeout() expects a positive "
                        "number of seconds, got 0"));
}

TEST(IsolationOptionsTest, ANegativeSendTimeoutIsAnError) {
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "send-timeout(-1)"),
              HasSubstr("app.conf:2:14: send-timeout() expects a positive "
                        "number of seconds, got -1"));
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "send-timeout(-0.5)"),
              HasSubstr("app.conf:2:14: send-timeout() expects a positive "
                        "number of seconds, got -0.5"));
}

TEST(IsolationOptionsTest, SendTimeoutMustBeANumber) {
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "send-timeout(soon)"),
              HasSubstr("app.conf:2:14: send-timeout() expects a positive "
                        "number of seconds, got 'soon'"));
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "send-timeout(5s)"),
              HasSubstr("app.conf:2:14: send-timeout() expects a positive "
                        "number of seconds, got '5s'"));
}

TEST(IsolationOptionsTest, SendTimeoutHasACeiling) {
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "send-timeout(2000000000)"),
              HasSubstr("app.conf:2:14: send-timeout() expects at most "
                        "1000000000 seconds, got 2000000000"));
}

TEST(IsolationOptionsTest, MemoryLimitBelow16MiBSaysWhy) {
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "memory-limit(8)"),
              HasSubstr("app.conf:2:14: memory-limit() expects at least 16 "
                        "(MiB), got 8: a worker's Python interpreter needs "
                        "more address space than that to start"));
  EXPECT_EQ(Parse(std::string(kProcess) + "memory-limit(16)").memory_limit_mib,
            16u);
}

TEST(IsolationOptionsTest, MemoryLimitOfZeroOrLessIsAnError) {
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "memory-limit(0)"),
              HasSubstr("app.conf:2:14: memory-limit() expects a positive "
                        "number of MiB, got 0"));
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "memory-limit(-512)"),
              HasSubstr("app.conf:2:14: memory-limit() expects a positive "
                        "number of MiB, got -512"));
}

TEST(IsolationOptionsTest, MemoryLimitMustBeAnInteger) {
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "memory-limit(lots)"),
              HasSubstr("app.conf:2:14: memory-limit() expects an integer "
                        "number of MiB, got 'lots'"));
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "memory-limit(1.5)"),
              HasSubstr("app.conf:2:14: memory-limit() expects an integer "
                        "number of MiB, got '1.5'"));
}

TEST(IsolationOptionsTest, MemoryLimitTakesNoSizeSuffix) {
  // 512M would otherwise be 512000000 MiB: no limit at all.
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "memory-limit(512M)"),
              HasSubstr("app.conf:2:14: memory-limit() counts MiB and takes "
                        "no size suffix, got '512M' (memory-limit(512) is "
                        "512 MiB)"));
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "memory-limit(1Gi)"),
              HasSubstr("app.conf:2:14: memory-limit() counts MiB"));
}

TEST(IsolationOptionsTest, MemoryLimitHasACeiling) {
  // MiB << 20 must fit the 64-bit RLIMIT_AS.
  EXPECT_EQ(Parse(std::string(kProcess) + "memory-limit(17592186044415)")
                .memory_limit_mib,
            17592186044415u);
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "memory-limit(17592186044416)"),
              HasSubstr("app.conf:2:14: memory-limit() expects at most "
                        "17592186044415 (MiB: 16 EiB in bytes), got "
                        "17592186044416"));
}

TEST(IsolationOptionsTest, WorkerExecutableMustNameAFile) {
  EXPECT_THAT(ErrorOf(std::string(kProcess) + "worker-executable(\"\")"),
              HasSubstr("app.conf:2:19: worker-executable() must name a "
                        "file"));
}

TEST(IsolationOptionsTest, SendTimeoutWithoutIsolationProcessIsAnError) {
  EXPECT_THAT(ErrorOf("class(c)\nsend-timeout(5)"),
              HasSubstr("app.conf:2:1: send-timeout() needs "
                        "isolation(process)"));
}

TEST(IsolationOptionsTest, MemoryLimitWithoutIsolationProcessIsAnError) {
  EXPECT_THAT(ErrorOf("class(c) isolation(thread)\nmemory-limit(256)"),
              HasSubstr("app.conf:2:1: memory-limit() needs "
                        "isolation(process)"));
}

TEST(IsolationOptionsTest, WorkerExecutableWithoutIsolationProcessIsAnError) {
  EXPECT_THAT(ErrorOf("class(c)\n  worker_executable(\"/w\")"),
              HasSubstr("app.conf:2:3: worker-executable() needs "
                        "isolation(process)"));
}

TEST(IsolationOptionsTest, WithoutIsolationProcessTheFirstOneGivenIsNamed) {
  EXPECT_THAT(ErrorOf("class(c)\nmemory-limit(64) send-timeout(5)"),
              HasSubstr("app.conf:2:1: memory-limit() needs "
                        "isolation(process)"));
}

TEST(IsolationOptionsTest, IsolationMayFollowItsOptions) {
  DestinationOptions o =
      Parse("class(c) send-timeout(5) memory-limit(64) isolation(process)");
  EXPECT_EQ(o.isolation, Isolation::kProcess);
  EXPECT_EQ(o.send_timeout, absl::Seconds(5));
}

TEST(IsolationOptionsTest, GivenTwiceTheLastOneCounts) {
  // As every python() option: what a block's use passes overrides the
  // block's own.
  DestinationOptions o = Parse(
      "class(c) isolation(thread) send-timeout(1) memory-limit(64) "
      "isolation(process) send-timeout(2) memory-limit(128)");
  EXPECT_EQ(o.isolation, Isolation::kProcess);
  EXPECT_EQ(o.send_timeout, absl::Seconds(2));
  EXPECT_EQ(o.memory_limit_mib, 128u);
}

TEST(IsolationOptionsTest, ALaterIsolationThreadLeavesItsOptionsInError) {
  EXPECT_THAT(ErrorOf("class(c) isolation(process)\nsend-timeout(1)\n"
                      "isolation(thread)"),
              HasSubstr("app.conf:2:1: send-timeout() needs "
                        "isolation(process)"));
}

TEST(IsolationOptionsTest, AMistypedOptionGetsADidYouMean) {
  EXPECT_THAT(ErrorOf("class(c)\nisolaton(process)"),
              HasSubstr("app.conf:2:1: unknown option 'isolaton' in "
                        "python(); did you mean 'isolation'?"));
  EXPECT_THAT(ErrorOf("class(c)\nsend-timout(1)"),
              HasSubstr("app.conf:2:1: unknown option 'send-timout' in "
                        "python(); did you mean 'send-timeout'?"));
  EXPECT_THAT(ErrorOf("class(c)\nmemory-limt(64)"),
              HasSubstr("app.conf:2:1: unknown option 'memory-limt' in "
                        "python(); did you mean 'memory-limit'?"));
  EXPECT_THAT(ErrorOf("class(c)\nworker-executabel(\"/w\")"),
              HasSubstr("app.conf:2:1: unknown option 'worker-executabel' in "
                        "python(); did you mean 'worker-executable'?"));
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

// A block in the way of an SCL one: its own defaults, then what its use
// passes.
const char kBlock[] = R"(@version: 4.0
block destination iso_dest(...) {
  python(class("m.C") isolation(process) send-timeout(30)
         `__VARARGS__`);
};
block destination plain_dest(...) {
  python(class("m.C")
         `__VARARGS__`);
};
)";

ConfigReadOptions Hermetic() {
  ConfigReadOptions o;
  o.syslog_ng_include_path = false;
  return o;
}

TEST(IsolationOptionsTest, InABlockTheUseOverridesTheBlock) {
  absl::StatusOr<Config> c = ParseConfig(
      std::string(kBlock) +
          "destination d { iso_dest(send-timeout(5) memory-limit(256)); };\n",
      "app.conf", Hermetic());
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->destinations.size(), 1u);
  const DestinationOptions& o = c->destinations[0].options;
  EXPECT_EQ(o.isolation, Isolation::kProcess);
  EXPECT_EQ(o.send_timeout, absl::Seconds(5));
  EXPECT_EQ(o.memory_limit_mib, 256u);
}

TEST(IsolationOptionsTest, InABlockTheUseMayAskForIsolationProcess) {
  absl::StatusOr<Config> c = ParseConfig(
      std::string(kBlock) +
          "destination d { plain_dest(isolation(process) workers(4)); };\n",
      "app.conf", Hermetic());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->destinations[0].options.isolation, Isolation::kProcess);
  EXPECT_EQ(c->destinations[0].options.workers, 4);
}

TEST(IsolationOptionsTest, InABlockAnErrorNamesTheUse) {
  absl::StatusOr<Config> c = ParseConfig(
      std::string(kBlock) +
          "destination d {\n  plain_dest(memory-limit(64));\n};\n",
      "app.conf", Hermetic());
  ASSERT_FALSE(c.ok());
  const std::string error(c.status().message());
  // The place is the block's `__VARARGS__`, then the use.
  EXPECT_THAT(error, HasSubstr("app.conf:8:10: memory-limit() needs "
                               "isolation(process) (in block destination "
                               "plain-dest() used at app.conf:11:3)"));
}

TEST(IsolationOptionsTest, InADeadLetterPython) {
  DestinationOptions o = Parse(
      "class(c) dead-letter(python(class(d) isolation(process) "
      "send-timeout(3)))");
  EXPECT_EQ(o.isolation, Isolation::kThread);
  ASSERT_TRUE(o.dead_letter.has_value());
  ASSERT_NE(o.dead_letter->python, nullptr);
  EXPECT_EQ(o.dead_letter->python->isolation, Isolation::kProcess);
  EXPECT_EQ(o.dead_letter->python->send_timeout, absl::Seconds(3));
}

TEST(IsolationOptionsTest, InADeadLetterPythonItsOwnIsolationCounts) {
  // The first destination's isolation(process) is not the second's.
  EXPECT_THAT(ErrorOf("class(c) isolation(process)\n"
                      "dead-letter(python(class(d) send-timeout(3)))"),
              HasSubstr("app.conf:2:29: send-timeout() needs "
                        "isolation(process)"));
}

TEST(IsolationOptionsTest, Json) {
  DestinationOptions o = ParseJson(
      R"({"class": "m.C", "isolation": "process", "send-timeout": 0.25,
          "memory-limit": 300, "worker-executable": "/w"})");
  EXPECT_EQ(o.isolation, Isolation::kProcess);
  EXPECT_EQ(o.send_timeout, absl::Milliseconds(250));
  EXPECT_EQ(o.memory_limit_mib, 300u);
  EXPECT_EQ(o.worker_executable, "/w");
}

TEST(IsolationOptionsTest, JsonKeysTakeUnderscoresToo) {
  DestinationOptions o = ParseJson(
      R"({"class": "m.C", "isolation": "process", "send_timeout": 2,
          "memory_limit": 64, "worker_executable": "/w"})");
  EXPECT_EQ(o.send_timeout, absl::Seconds(2));
  EXPECT_EQ(o.memory_limit_mib, 64u);
  EXPECT_EQ(o.worker_executable, "/w");
}

TEST(IsolationOptionsTest, JsonThreadIsTheDefault) {
  EXPECT_EQ(ParseJson(R"({"class": "m.C"})").isolation, Isolation::kThread);
  EXPECT_EQ(ParseJson(R"({"class": "m.C", "isolation": "thread"})").isolation,
            Isolation::kThread);
}

TEST(IsolationOptionsTest, JsonUnknownIsolationNamesTheChoices) {
  EXPECT_THAT(JsonErrorOf(R"({"class": "m.C", "isolation": "fork"})"),
              HasSubstr("config JSON: 'isolation': expected \"thread\" or "
                        "\"process\", got 'fork'"));
  EXPECT_THAT(JsonErrorOf(R"({"class": "m.C", "isolation": "proces"})"),
              HasSubstr("config JSON: 'isolation': expected \"thread\" or "
                        "\"process\", got 'proces'; did you mean "
                        "'process'?"));
  EXPECT_THAT(JsonErrorOf(R"({"class": "m.C", "isolation": 1})"),
              HasSubstr("config JSON: 'isolation': expected a string"));
}

TEST(IsolationOptionsTest, JsonSendTimeoutErrors) {
  const std::string process = R"({"class": "m.C", "isolation": "process", )";
  EXPECT_THAT(JsonErrorOf(process + R"("send-timeout": 0})"),
              HasSubstr("config JSON: 'send-timeout': expected a positive "
                        "number of seconds, got 0"));
  EXPECT_THAT(JsonErrorOf(process + R"("send_timeout": -1.5})"),
              HasSubstr("config JSON: 'send_timeout': expected a positive "
                        "number of seconds, got -1.5"));
  EXPECT_THAT(JsonErrorOf(process + R"("send-timeout": 2000000000})"),
              HasSubstr("config JSON: 'send-timeout': expected at most "
                        "1000000000 seconds, got 2000000000"));
  EXPECT_THAT(JsonErrorOf(process + R"("send-timeout": "5"})"),
              HasSubstr("config JSON: 'send-timeout': expected a number"));
}

TEST(IsolationOptionsTest, JsonMemoryLimitErrors) {
  const std::string process = R"({"class": "m.C", "isolation": "process", )";
  EXPECT_THAT(JsonErrorOf(process + R"("memory-limit": 8})"),
              HasSubstr("config JSON: 'memory-limit': expected at least 16 "
                        "(MiB), got 8: a worker's Python interpreter needs "
                        "more address space than that to start"));
  EXPECT_THAT(JsonErrorOf(process + R"("memory-limit": 0})"),
              HasSubstr("config JSON: 'memory-limit': expected a positive "
                        "number of MiB, got 0"));
  EXPECT_THAT(JsonErrorOf(process + R"("memory-limit": 17592186044416})"),
              HasSubstr("config JSON: 'memory-limit': expected at most "
                        "17592186044415 (MiB"));
  EXPECT_THAT(JsonErrorOf(process + R"("memory-limit": 1.5})"),
              HasSubstr("config JSON: 'memory-limit': expected an integer"));
  EXPECT_THAT(JsonErrorOf(process + R"("memory-limit": "512M"})"),
              HasSubstr("config JSON: 'memory-limit': expected an integer"));
}

TEST(IsolationOptionsTest, JsonWorkerExecutableErrors) {
  const std::string process = R"({"class": "m.C", "isolation": "process", )";
  EXPECT_THAT(JsonErrorOf(process + R"("worker-executable": ""})"),
              HasSubstr("config JSON: 'worker-executable': must name a file"));
  EXPECT_THAT(JsonErrorOf(process + R"("worker-executable": 5})"),
              HasSubstr("config JSON: 'worker-executable': expected a "
                        "string"));
}

TEST(IsolationOptionsTest, JsonProcessOnlyFieldsNeedIsolationProcess) {
  EXPECT_THAT(JsonErrorOf(R"({"class": "m.C", "send-timeout": 3})"),
              HasSubstr("config JSON: send-timeout needs \"isolation\": "
                        "\"process\""));
  EXPECT_THAT(JsonErrorOf(R"({"class": "m.C", "isolation": "thread",
                              "memory-limit": 64})"),
              HasSubstr("config JSON: memory-limit needs \"isolation\": "
                        "\"process\""));
  EXPECT_THAT(JsonErrorOf(R"({"class": "m.C", "worker_executable": "/w"})"),
              HasSubstr("config JSON: worker-executable needs "
                        "\"isolation\": \"process\""));
}

TEST(IsolationOptionsTest, JsonIsolationMayFollowItsFields) {
  EXPECT_EQ(ParseJson(R"({"class": "m.C", "send-timeout": 3,
                          "isolation": "process"})")
                .send_timeout,
            absl::Seconds(3));
}

TEST(IsolationOptionsTest, JsonInADeadLetterPython) {
  DestinationOptions o = ParseJson(
      R"({"class": "m.C", "dead-letter": {"python": {"class": "d.D",
          "isolation": "process", "memory-limit": 128}}})");
  ASSERT_TRUE(o.dead_letter.has_value());
  ASSERT_NE(o.dead_letter->python, nullptr);
  EXPECT_EQ(o.dead_letter->python->isolation, Isolation::kProcess);
  EXPECT_EQ(o.dead_letter->python->memory_limit_mib, 128u);
  EXPECT_THAT(
      JsonErrorOf(R"({"class": "m.C", "isolation": "process",
                      "dead-letter": {"python": {"class": "d.D",
                                                 "send-timeout": 3}}})"),
      HasSubstr("config JSON: 'dead-letter.python': send-timeout needs "
                "\"isolation\": \"process\""));
}

TEST(IsolationOptionsTest, JsonAMistypedKeyGetsADidYouMean) {
  EXPECT_THAT(JsonErrorOf(R"({"class": "m.C", "isolaton": "process"})"),
              HasSubstr("config JSON: 'isolaton': unknown field; did you "
                        "mean 'isolation'?"));
  EXPECT_THAT(JsonErrorOf(R"({"class": "m.C", "send_timout": 1})"),
              HasSubstr("did you mean 'send-timeout'?"));
  EXPECT_THAT(JsonErrorOf(R"({"class": "m.C", "memory-limt": 64})"),
              HasSubstr("did you mean 'memory-limit'?"));
}

TEST(IsolationOptionsTest, JsonGivenTwiceTheLastOneCounts) {
  DestinationOptions o = ParseJson(
      R"({"class": "m.C", "isolation": "process", "send-timeout": 1,
          "send_timeout": 2})");
  EXPECT_EQ(o.send_timeout, absl::Seconds(2));
}

}  // namespace
}  // namespace pydest
