// DestinationOptionsFromJson: the JSON form documented in
// docs/config-json.md.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/config.h"

namespace pydest {
namespace {

using ::testing::ElementsAre;

DestinationOptions Parse(const std::string& json) {
  absl::StatusOr<DestinationOptions> options = DestinationOptionsFromJson(json);
  EXPECT_TRUE(options.ok()) << options.status();
  return options.ok() ? *options : DestinationOptions();
}

std::string ErrorOf(const std::string& json) {
  absl::StatusOr<DestinationOptions> options = DestinationOptionsFromJson(json);
  EXPECT_FALSE(options.ok());
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(options.status().message());
}

TEST(JsonOptionsTest, SyslogNgOptions) {
  DestinationOptions o = Parse(R"({
    "name": "d_http", "class": "pyhttp.Dest",
    "on-error": "fallback-to-string", "time-reopen": 2.5, "retries": 4,
    "batch-lines": 10, "batch_timeout": 100, "workers": 2,
    "log-fifo-size": 500, "persist-name": "p", "loaders": ["a"],
    "imports": "b", "throttle": 9, "frac-digits": 3, "ts-format": "iso",
    "time-zone": "UTC", "local-time-zone": "Europe/Oslo", "version": "3.38"
  })");
  EXPECT_EQ(o.name, "d_http");
  EXPECT_EQ(o.class_name, "pyhttp.Dest");
  EXPECT_EQ(o.on_error, OnError::kFallbackToString);
  EXPECT_EQ(o.time_reopen, absl::Milliseconds(2500));
  EXPECT_EQ(o.retries, 4);
  EXPECT_EQ(o.batch_lines, 10);
  EXPECT_EQ(o.batch_timeout, absl::Milliseconds(100));
  EXPECT_EQ(o.workers, 2);
  EXPECT_EQ(o.log_fifo_size, 500u);
  EXPECT_EQ(o.persist_name, "p");
  EXPECT_THAT(o.loaders, ElementsAre("a", "b"));
  EXPECT_EQ(o.throttle, 9);
  EXPECT_EQ(o.template_options.frac_digits, 3);
  EXPECT_EQ(o.template_options.ts_format, "rfc3339");
  EXPECT_EQ(o.template_options.send_time_zone, "UTC");
  EXPECT_EQ(o.template_options.local_time_zone, "Europe/Oslo");
  EXPECT_EQ(o.version.major, 3);
  EXPECT_EQ(o.version.minor, 38);
}

TEST(JsonOptionsTest, OptionValuesKeepTheirKindAndOrder) {
  DestinationOptions o = Parse(R"({"class": "m.C", "options": {
    "z-host": "h", "port": 1883, "ratio": 0.5, "tls": true,
    "topics": ["a", "b"], "body": {"template": "${MSG}"}}})");
  ASSERT_EQ(o.options.size(), 6u);
  EXPECT_EQ(o.options[0].first, "z_host");
  EXPECT_EQ(o.options[1].second.kind, OptionValue::Kind::kInteger);
  EXPECT_EQ(o.options[1].second.text, "1883");
  EXPECT_EQ(o.options[2].second.kind, OptionValue::Kind::kDouble);
  EXPECT_EQ(o.options[3].second.kind, OptionValue::Kind::kBoolean);
  EXPECT_EQ(o.options[3].second.text, "true");
  EXPECT_THAT(o.options[4].second.items, ElementsAre("a", "b"));
  EXPECT_EQ(o.options[5].second.kind, OptionValue::Kind::kTemplate);
  EXPECT_EQ(o.options[5].second.text, "${MSG}");
}

TEST(JsonOptionsTest, ValuePairsObject) {
  DestinationOptions o = Parse(R"({"class": "m.C", "value-pairs": {
    "scope": ["rfc5424", "nv-pairs"],
    "patterns": [{"key": "kv.*"}, {"exclude": "kv.secret"}],
    "pair": [{"name": "pid", "value": "$PID", "type": "int"},
             {"name": "host", "value": "$HOST"}],
    "rekey": [{"glob": ".SDATA.*", "transforms": [
        {"shift-levels": 2}, {"add-prefix": "sd."},
        {"replace-prefix": ["a", "b"]}, {"upper": true}]}],
    "cast": false, "omit-empty-values": true}})");
  ASSERT_TRUE(o.value_pairs.has_value());
  const ValuePairsSpec& vp = *o.value_pairs;
  EXPECT_EQ(vp.scopes, kScopeRfc5424 | kScopeNvPairs);
  ASSERT_EQ(vp.patterns.size(), 2u);
  EXPECT_FALSE(vp.patterns[1].include);
  ASSERT_EQ(vp.pairs.size(), 2u);
  EXPECT_EQ(vp.pairs[0].hint, TypeHint::kInt32);
  EXPECT_EQ(vp.pairs[1].template_text, "$HOST");
  ASSERT_EQ(vp.rekeys.at(0).transforms.size(), 4u);
  EXPECT_EQ(vp.rekeys[0].transforms[2].replacement, "b");
  EXPECT_EQ(vp.rekeys[0].transforms[3].kind, RekeyTransform::Kind::kUpper);
  EXPECT_EQ(vp.cast, false);
  EXPECT_TRUE(vp.omit_empty_values);
}

TEST(JsonOptionsTest, ValuePairsShorthands) {
  DestinationOptions o = Parse(R"({"class": "m.C", "value-pairs": {
    "scope": "core", "key": ["a*"], "exclude": "ab*",
    "pair": {"x": "$HOST"}}})");
  EXPECT_EQ(o.value_pairs->scopes, static_cast<uint32_t>(kScopeRfc3164));
  EXPECT_EQ(o.value_pairs->patterns.size(), 2u);
  EXPECT_EQ(o.value_pairs->pairs.at(0).name, "x");
}

TEST(JsonOptionsTest, LibpydestExtras) {
  DestinationOptions o = Parse(R"({"class": "m.C",
    "python-path": ["/opt/dest"], "virtualenv": "/opt/venv",
    "state_dir": "/var/lib/pydest",
    "backoff": {"kind": "exponential", "multiplier": 3, "max-interval": 30,
                "jitter": 0.2, "max-attempts": 5},
    "overflow": "drop-oldest", "strings-as-str": true, "first-seqnum": 100,
    "global-code": "x = 1", "global-code-filename": "<x>"})");
  EXPECT_THAT(o.python_path, ElementsAre("/opt/dest"));
  EXPECT_EQ(o.virtualenv, "/opt/venv");
  EXPECT_EQ(o.state_dir, "/var/lib/pydest");
  EXPECT_EQ(o.backoff.kind, ReopenBackoff::Kind::kExponential);
  EXPECT_EQ(o.backoff.multiplier, 3.0);
  EXPECT_EQ(o.backoff.max_interval, absl::Seconds(30));
  EXPECT_EQ(o.backoff.jitter, 0.2);
  EXPECT_EQ(o.backoff.max_attempts, 5);
  EXPECT_EQ(o.overflow, OverflowPolicy::kDropOldest);
  EXPECT_TRUE(o.strings_as_str);
  EXPECT_EQ(o.first_seqnum, 100u);
  EXPECT_EQ(o.global_code, "x = 1");
}

TEST(JsonOptionsTest, Errors) {
  EXPECT_EQ(ErrorOf("{"), "config JSON: not valid JSON");
  EXPECT_EQ(ErrorOf("[]"), "config JSON: expected an object");
  EXPECT_EQ(ErrorOf(R"({"options": {}})"),
            "config JSON: 'class' is required (\"module.Class\")");
  EXPECT_EQ(ErrorOf(R"({"class": "c", "retries": "abc"})"),
            "config JSON: 'retries': expected an integer");
  EXPECT_EQ(ErrorOf(R"({"class": "c", "log-fifo-size": -1})"),
            "config JSON: 'log-fifo-size': expected a positive integer");
  EXPECT_EQ(ErrorOf(R"({"class": "c", "on-error": "nope"})"),
            "config JSON: 'on-error': invalid value 'nope'");
  EXPECT_EQ(ErrorOf(R"({"class": "c", "value_pair": {}})"),
            "config JSON: 'value_pair': unknown field; did you mean "
            "'value-pairs'?");
  EXPECT_EQ(ErrorOf(R"({"class": "c", "value-pairs": {"scope": ["cor"]}})"),
            "config JSON: 'value-pairs.scope': unknown scope 'cor'");
  EXPECT_EQ(ErrorOf(R"({"class": "c", "overflow": "drop"})"),
            "config JSON: 'overflow': expected \"block\", \"drop-newest\" or "
            "\"drop-oldest\"");
  // A pair template that does not compile is an error at its field, as in
  // the text form (found by the config_json fuzzer).
  const std::string bad_pair =
      R"j({"class": "c", "value-pairs": {"pair": [{"name": "a", )j"
      R"j("value": "$(foMmat-json --scope everything)"}]}})j";
  EXPECT_EQ(ErrorOf(bad_pair),
            "config JSON: 'value-pairs.pair.value': template '$(foMmat-json "
            "--scope everything)': column 3: unknown template function "
            "'foMmat-json'; did you mean 'format-json'?");
  const std::string bad_shorthand =
      R"({"class": "c", "value-pairs": {"pair": {"b": "${X"}}})";
  EXPECT_THAT(ErrorOf(bad_shorthand),
              ::testing::HasSubstr("'value-pairs.pair.b': template '${X'"));
}

}  // namespace
}  // namespace pydest
