// dead-letter(...) inside python() and "dead-letter" in the JSON form:
// file("PATH") or python(...) with every python() option, the global
// options {} defaults reaching the python() inside, and the errors (with
// their place) for what is not allowed.
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

TEST(DeadLetterOptionsTest, AbsentMeansNone) {
  absl::StatusOr<DestinationOptions> o = ParsePythonOptions("class(c)");
  ASSERT_TRUE(o.ok());
  EXPECT_FALSE(o->dead_letter.has_value());
}

TEST(DeadLetterOptionsTest, File) {
  absl::StatusOr<DestinationOptions> o = ParsePythonOptions(
      "class(c) dead-letter(file(\"/var/log/dropped.jsonl\"))");
  ASSERT_TRUE(o.ok()) << o.status();
  ASSERT_TRUE(o->dead_letter.has_value());
  EXPECT_EQ(o->dead_letter->file, "/var/log/dropped.jsonl");
  EXPECT_EQ(o->dead_letter->python, nullptr);
}

TEST(DeadLetterOptionsTest, PythonTakesEveryPythonOption) {
  absl::StatusOr<DestinationOptions> o = ParsePythonOptions(
      "class(c) retries(5) dead_letter(python(class(\"arch.Archive\") "
      "options(\"bucket\" \"b1\") retries(9) log-fifo-size(50) "
      "disk-buffer(reliable(yes))))");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->retries, 5);
  ASSERT_TRUE(o->dead_letter.has_value());
  EXPECT_TRUE(o->dead_letter->file.empty());
  ASSERT_NE(o->dead_letter->python, nullptr);
  const DestinationOptions& second = *o->dead_letter->python;
  EXPECT_EQ(second.class_name, "arch.Archive");
  EXPECT_EQ(second.retries, 9);
  EXPECT_EQ(second.log_fifo_size, 50u);
  ASSERT_EQ(second.options.size(), 1u);
  EXPECT_EQ(second.options[0].first, "bucket");
  ASSERT_TRUE(second.disk_buffer.has_value());
  EXPECT_TRUE(second.disk_buffer->reliable);
}

TEST(DeadLetterOptionsTest, GlobalOptionsReachThePythonInside) {
  absl::StatusOr<Config> config = ParseConfig(R"(@version: 4.0
options { time-reopen(7); log-fifo-size(123); };
destination d { python(class("m.C")
    dead-letter(python(class("m.Archive") log-fifo-size(9)))); };
log { destination(d); };
)");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->destinations.size(), 1u);
  const DestinationOptions& first = config->destinations[0].options;
  EXPECT_EQ(first.time_reopen, absl::Seconds(7));
  ASSERT_TRUE(first.dead_letter.has_value());
  ASSERT_NE(first.dead_letter->python, nullptr);
  EXPECT_EQ(first.dead_letter->python->time_reopen, absl::Seconds(7));
  EXPECT_EQ(first.dead_letter->python->log_fifo_size, 9u);  // its own
}

TEST(DeadLetterOptionsTest, Errors) {
  EXPECT_THAT(ErrorOf("class(c) dead-letter()"),
              HasSubstr("app.conf:1:22: dead-letter() needs file(\"PATH\") "
                        "or python(...)"));
  EXPECT_THAT(ErrorOf("class(c) dead-letter(fille(\"x\"))"),
              HasSubstr("app.conf:1:22: dead-letter() takes file(\"PATH\") or "
                        "python(...); got 'fille'; did you mean 'file'?"));
  EXPECT_THAT(ErrorOf("class(c) dead-letter(file(\"x\") python(class(d)))"),
              HasSubstr("app.conf:1:32: dead-letter() takes one of file() or "
                        "python()"));
  EXPECT_THAT(ErrorOf("class(c) dead-letter(file(\"\"))"),
              HasSubstr("app.conf:1:27: file() must name a file"));
  EXPECT_THAT(
      ErrorOf("class(c) dead-letter(python(class(d) "
              "dead-letter(file(\"x\"))))"),
      HasSubstr("app.conf:1:38: a dead-letter(python()) cannot have a "
                "dead-letter() of its own"));
  EXPECT_THAT(ErrorOf("class(c) dead-letter(python(retries(2)))"),
              HasSubstr("python() has no class()"));
  EXPECT_THAT(ErrorOf("class(c) dead-letter(file(\"a\")) "
                      "dead-letter(file(\"b\"))"),
              HasSubstr("app.conf:1:33: dead-letter() is given twice"));
  EXPECT_THAT(ErrorOf("class(c) dead-leter(file(\"a\"))"),
              HasSubstr("did you mean 'dead-letter'?"));
}

TEST(DeadLetterOptionsTest, Json) {
  absl::StatusOr<DestinationOptions> file = DestinationOptionsFromJson(
      R"({"class": "c", "dead-letter": {"file": "/tmp/dl.jsonl"}})");
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE(file->dead_letter.has_value());
  EXPECT_EQ(file->dead_letter->file, "/tmp/dl.jsonl");

  absl::StatusOr<DestinationOptions> python = DestinationOptionsFromJson(
      R"({"class": "c", "dead_letter": {"python": {"class": "a.B",
          "retries": 4, "options": {"k": "v"}}}})");
  ASSERT_TRUE(python.ok()) << python.status();
  ASSERT_NE(python->dead_letter->python, nullptr);
  EXPECT_EQ(python->dead_letter->python->class_name, "a.B");
  EXPECT_EQ(python->dead_letter->python->retries, 4);

  auto error = [](const std::string& json) {
    absl::StatusOr<DestinationOptions> o = DestinationOptionsFromJson(json);
    EXPECT_FALSE(o.ok());
    return std::string(o.status().message());
  };
  EXPECT_THAT(error(R"({"class": "c", "dead-letter": {}})"),
              HasSubstr("'dead-letter': expected exactly one of"));
  EXPECT_THAT(error(R"({"class": "c", "dead-letter": {"fil": "x"}})"),
              HasSubstr("did you mean 'file'?"));
  EXPECT_THAT(error(R"({"class": "c", "dead-letter": {"python": {}}})"),
              HasSubstr("'class' is required"));
  EXPECT_THAT(
      error(R"({"class": "c", "dead-letter": {"python": {"class": "d",
              "dead-letter": {"file": "x"}}}})"),
      HasSubstr("'dead-letter.python.dead-letter': a dead-letter python "
                "destination cannot have a dead-letter of its own"));
  EXPECT_THAT(
      error(R"({"class": "c", "dead-letter": {"python": {"class": "d",
              "retries": "x"}}})"),
      HasSubstr("dead-letter.python.retries"));
}

}  // namespace
}  // namespace pydest
