// ParsePythonOptions: every python() option, the options() block and
// value-pairs(), and the errors for bad input.
#include <string>

#include "gtest/gtest.h"
#include "pydest/config.h"

namespace pydest {
namespace {

DestinationOptions Parse(const std::string& text) {
  absl::StatusOr<DestinationOptions> options = ParsePythonOptions(text);
  EXPECT_TRUE(options.ok()) << options.status();
  return options.ok() ? *options : DestinationOptions();
}

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<DestinationOptions> options =
      ParsePythonOptions(text, "app.conf");
  EXPECT_FALSE(options.ok());
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(options.status().message());
}

TEST(PythonOptionsTest, ClassAloneGivesDefaults) {
  DestinationOptions o = Parse(R"(class("m.C"))");
  EXPECT_EQ(o.class_name, "m.C");
  EXPECT_FALSE(o.value_pairs.has_value());
  EXPECT_EQ(o.on_error, OnError::kDropMessage);
  EXPECT_EQ(o.retries, 3);
  EXPECT_EQ(o.log_fifo_size, 10000u);
  EXPECT_EQ(o.version.major, 4);
  EXPECT_EQ(o.version.minor, 0);
  // Options syslog-ng leaves unset stay unset, not a magic number.
  EXPECT_FALSE(o.batch_lines.has_value());
  EXPECT_FALSE(o.batch_timeout.has_value());
  EXPECT_FALSE(o.batch_idle_timeout.has_value());
  EXPECT_FALSE(o.throttle.has_value());
}

TEST(PythonOptionsTest, WrappedFormWithSemicolonIsAccepted) {
  DestinationOptions o = Parse(R"(python(class("m.C") retries(2));)");
  EXPECT_EQ(o.class_name, "m.C");
  EXPECT_EQ(o.retries, 2);
}

// syslog-ng's lexer reads 5MiB, 0x1f and 017 as the integers they stand
// for, and an options() value of that kind reaches init() as that int.
TEST(PythonOptionsTest, NumberOptionValuesAreTheirIntegers) {
  DestinationOptions o = Parse(
      "class(m.C) options(\"size\" => 5MiB \"max\" => 5120GiB \"h\" 0x1f "
      "\"o\" 017 \"huge\" 99999999999G)");
  ASSERT_EQ(o.options.size(), 5u);
  EXPECT_EQ(o.options[0].second.text, "5242880");
  EXPECT_EQ(o.options[0].second.kind, OptionValue::Kind::kInteger);
  EXPECT_EQ(o.options[1].second.text, "5497558138880");
  EXPECT_EQ(o.options[2].second.text, "31");
  EXPECT_EQ(o.options[3].second.text, "15");
  // Past int64: kept as the text written.
  EXPECT_EQ(o.options[4].second.kind, OptionValue::Kind::kString);
  EXPECT_EQ(o.options[4].second.text, "99999999999G");
}

// AxoSyslog: batch-idle-timeout(), and batch-timeout(0) meaning none.
TEST(PythonOptionsTest, BatchIdleTimeoutAndZeroBatchTimeout) {
  DestinationOptions o =
      Parse("class(m.C) batch-lines(100) batch-timeout(0) "
            "batch-idle-timeout(250)");
  EXPECT_EQ(o.batch_timeout, absl::ZeroDuration());
  EXPECT_EQ(o.batch_idle_timeout, absl::Milliseconds(250));
  absl::StatusOr<DestinationOptions> json = DestinationOptionsFromJson(
      R"({"class": "m.C", "batch-timeout": 0, "batch-idle-timeout": 40})");
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(json->batch_idle_timeout, absl::Milliseconds(40));
}

TEST(PythonOptionsTest, UnquotedArgumentsAndUnderscoresAreAccepted) {
  DestinationOptions o = Parse(
      "class(m.C) batch_lines(10) batch-timeout(\"200\") log_fifo_size(5) "
      "persist_name(p) time_reopen(7) workers(3)");
  EXPECT_EQ(o.class_name, "m.C");
  EXPECT_EQ(o.batch_lines, 10);
  EXPECT_EQ(o.batch_timeout, absl::Milliseconds(200));
  EXPECT_EQ(o.log_fifo_size, 5u);
  EXPECT_EQ(o.persist_name, "p");
  EXPECT_EQ(o.time_reopen, absl::Seconds(7));
  EXPECT_EQ(o.workers, 3);
}

TEST(PythonOptionsTest, NumbersMayBeHexOctalOrCarryASizeSuffix) {
  EXPECT_EQ(Parse("class(c) log-fifo-size(10k)").log_fifo_size, 10000u);
  EXPECT_EQ(Parse("class(c) log-fifo-size(1Ki)").log_fifo_size, 1024u);
  EXPECT_EQ(Parse("class(c) log-fifo-size(0x10)").log_fifo_size, 16u);
  EXPECT_EQ(Parse("class(c) log-fifo-size(010)").log_fifo_size, 8u);
}

TEST(PythonOptionsTest, EveryOnErrorValue) {
  const std::pair<const char*, OnError> cases[] = {
      {"drop-message", OnError::kDropMessage},
      {"drop-property", OnError::kDropProperty},
      {"fallback-to-string", OnError::kFallbackToString},
      {"silently-drop-message", OnError::kSilentlyDropMessage},
      {"silently-drop-property", OnError::kSilentlyDropProperty},
      {"silently-fallback-to-string", OnError::kSilentlyFallbackToString},
  };
  for (const auto& [name, value] : cases) {
    EXPECT_EQ(Parse(std::string("class(c) on-error(\"") + name + "\")")
                  .on_error,
              value)
        << name;
    EXPECT_EQ(Parse(std::string("class(c) on-error(") + name + ")").on_error,
              value)
        << name;
  }
}

TEST(PythonOptionsTest, TemplateOptions) {
  DestinationOptions o = Parse(
      "class(c) frac-digits(3) ts-format(iso) time-zone(\"UTC\") "
      "local-time-zone(\"Europe/Paris\") template-escape(no)");
  EXPECT_EQ(o.template_options.frac_digits, 3);
  EXPECT_EQ(o.template_options.ts_format, "rfc3339");
  EXPECT_EQ(o.template_options.send_time_zone, "UTC");
  EXPECT_EQ(o.template_options.local_time_zone, "Europe/Paris");
  EXPECT_EQ(Parse("class(c) ts-format(bsd)").template_options.ts_format,
            "rfc3164");
  EXPECT_EQ(Parse("class(c) send-time-zone(\"+01:00\")")
                .template_options.send_time_zone,
            "+01:00");
}

TEST(PythonOptionsTest, LoadersImportsThrottleInternalFlagsDiskBuffer) {
  DestinationOptions o = Parse(
      "class(c) loaders(\"a\" \"b.c\") imports(d) throttle(100) "
      "internal(yes) flags(no-seqnum seqnum-all) "
      "disk-buffer(mem-buf-size(100) reliable(yes) dir(\"/tmp/x\"))");
  EXPECT_EQ(o.loaders, (std::vector<std::string>{"a", "b.c", "d"}));
  EXPECT_EQ(o.throttle, 100);
}

// throttle(0) is syslog-ng's "no limit": the option is unset, in both forms.
TEST(PythonOptionsTest, ThrottleZeroMeansNoLimit) {
  EXPECT_FALSE(Parse("class(c) throttle(5) throttle(0)").throttle.has_value());
  absl::StatusOr<DestinationOptions> json =
      DestinationOptionsFromJson(R"({"class": "m.C", "throttle": 0})");
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_FALSE(json->throttle.has_value());
}

TEST(PythonOptionsTest, OptionsBlockQuotedPairs) {
  DestinationOptions o = Parse(R"(class(c) options("host" "h1" "port" "80"))");
  ASSERT_EQ(o.options.size(), 2u);
  EXPECT_EQ(o.options[0].first, "host");
  EXPECT_EQ(o.options[0].second.text, "h1");
  EXPECT_EQ(o.options[1].second.kind, OptionValue::Kind::kString);
  EXPECT_EQ(o.options[1].second.text, "80");
}

TEST(PythonOptionsTest, OptionsBlockBareWordsAndNumbers) {
  DestinationOptions o = Parse(
      R"(class(c) options(host 127.0.0.1 port 1883 topic "syslog/warn" r 0.5))");
  ASSERT_EQ(o.options.size(), 4u);
  EXPECT_EQ(o.options[0].second.kind, OptionValue::Kind::kString);
  EXPECT_EQ(o.options[0].second.text, "127.0.0.1");
  EXPECT_EQ(o.options[1].second.kind, OptionValue::Kind::kInteger);
  EXPECT_EQ(o.options[1].second.text, "1883");
  EXPECT_EQ(o.options[2].second.text, "syslog/warn");
  EXPECT_EQ(o.options[3].second.kind, OptionValue::Kind::kDouble);
}

TEST(PythonOptionsTest, OptionsBlockArrowsListsTemplatesBooleans) {
  DestinationOptions o = Parse(
      R"(class(c) options(a => yes "b" => False l => ["x", "y"] )"
      R"(t => LogTemplate("${HOST}") e => []))");
  ASSERT_EQ(o.options.size(), 5u);
  EXPECT_EQ(o.options[0].second.kind, OptionValue::Kind::kBoolean);
  EXPECT_EQ(o.options[1].second.kind, OptionValue::Kind::kBoolean);
  EXPECT_EQ(o.options[1].second.text, "False");
  EXPECT_EQ(o.options[2].second.kind, OptionValue::Kind::kList);
  EXPECT_EQ(o.options[2].second.items,
            (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(o.options[3].second.kind, OptionValue::Kind::kTemplate);
  EXPECT_EQ(o.options[3].second.text, "${HOST}");
  EXPECT_TRUE(o.options[4].second.items.empty());
}

TEST(PythonOptionsTest, OptionKeysHaveDashesTurnedIntoUnderscores) {
  DestinationOptions o =
      Parse(R"(class(c) options("string-list" "a" bare-key "b"))");
  EXPECT_EQ(o.options[0].first, "string_list");
  EXPECT_EQ(o.options[1].first, "bare_key");
}

TEST(PythonOptionsTest, RepeatedKeysAndBlocksKeepOrderAndTakeTheLastValue) {
  DestinationOptions o = Parse(
      R"(class(c) options("a" "1" "b" "2" "a" "3") options("c" "4" "b" "5"))");
  ASSERT_EQ(o.options.size(), 3u);
  EXPECT_EQ(o.options[0].first, "a");
  EXPECT_EQ(o.options[0].second.text, "3");
  EXPECT_EQ(o.options[1].first, "b");
  EXPECT_EQ(o.options[1].second.text, "5");
  EXPECT_EQ(o.options[2].first, "c");
}

TEST(PythonOptionsTest, EmptyValuePairsIsAnEmptySpec) {
  DestinationOptions o = Parse("class(c) value-pairs()");
  ASSERT_TRUE(o.value_pairs.has_value());
  EXPECT_EQ(o.value_pairs->scopes, 0u);
  EXPECT_TRUE(o.value_pairs->patterns.empty());
}

TEST(PythonOptionsTest, EveryScopeNameAndAlias) {
  const std::pair<const char*, uint32_t> cases[] = {
      {"nv-pairs", kScopeNvPairs},
      {"dot-nv-pairs", kScopeDotNvPairs},
      {"all-nv-pairs", kScopeAllNvPairs},
      {"rfc3164", kScopeRfc3164},
      {"core", kScopeRfc3164},
      {"base", kScopeRfc3164},
      {"rfc5424", kScopeRfc5424},
      {"syslog-proto", kScopeRfc5424},
      {"selected-macros", kScopeSelectedMacros},
      {"selected_macros", kScopeSelectedMacros},
      {"all-macros", kScopeAllMacros},
      {"sdata", kScopeSdata},
      {"everything", kScopeEverything},
  };
  for (const auto& [name, bits] : cases) {
    DestinationOptions o =
        Parse(std::string("class(c) value-pairs(scope(") + name + "))");
    EXPECT_EQ(o.value_pairs->scopes, bits) << name;
  }
}

TEST(PythonOptionsTest, ScopesAddUpAndNoneClears) {
  EXPECT_EQ(Parse("class(c) value-pairs(scope(rfc3164 sdata))")
                .value_pairs->scopes,
            kScopeRfc3164 | kScopeSdata);
  EXPECT_EQ(Parse("class(c) value-pairs(scope(rfc3164) scope(none sdata))")
                .value_pairs->scopes,
            static_cast<uint32_t>(kScopeSdata));
}

TEST(PythonOptionsTest, KeyAndExcludeKeepConfigurationOrder) {
  DestinationOptions o = Parse(
      R"(class(c) value-pairs(key("a*" "b*") exclude("ab*") key("abc")))");
  const auto& p = o.value_pairs->patterns;
  ASSERT_EQ(p.size(), 4u);
  EXPECT_TRUE(p[0].include);
  EXPECT_EQ(p[1].glob, "b*");
  EXPECT_FALSE(p[2].include);
  EXPECT_EQ(p[2].glob, "ab*");
  EXPECT_TRUE(p[3].include);
}

TEST(PythonOptionsTest, KeyWithRekeyAttachesTransformsToItsGlob) {
  DestinationOptions o = Parse(
      R"(class(c) value-pairs(key(".SDATA.*" rekey(shift-levels(2) upper()))))");
  const ValuePairsSpec& vp = *o.value_pairs;
  ASSERT_EQ(vp.patterns.size(), 1u);
  EXPECT_EQ(vp.patterns[0].glob, ".SDATA.*");
  ASSERT_EQ(vp.rekeys.size(), 1u);
  EXPECT_EQ(vp.rekeys[0].glob, ".SDATA.*");
  ASSERT_EQ(vp.rekeys[0].transforms.size(), 2u);
  EXPECT_EQ(vp.rekeys[0].transforms[0].kind,
            RekeyTransform::Kind::kShiftLevels);
  EXPECT_EQ(vp.rekeys[0].transforms[0].count, 2);
  EXPECT_EQ(vp.rekeys[0].transforms[1].kind, RekeyTransform::Kind::kUpper);
}

TEST(PythonOptionsTest, RekeyTransformsInOrder) {
  DestinationOptions o = Parse(
      R"(class(c) value-pairs(rekey("*" add-prefix("p.") replace-prefix("a" "b") )"
      R"(shift(1) shift-levels(2) upper() lower())))");
  const RekeyRule& rule = o.value_pairs->rekeys.at(0);
  EXPECT_EQ(rule.glob, "*");
  ASSERT_EQ(rule.transforms.size(), 6u);
  EXPECT_EQ(rule.transforms[0].kind, RekeyTransform::Kind::kAddPrefix);
  EXPECT_EQ(rule.transforms[0].text, "p.");
  EXPECT_EQ(rule.transforms[1].kind, RekeyTransform::Kind::kReplacePrefix);
  EXPECT_EQ(rule.transforms[1].text, "a");
  EXPECT_EQ(rule.transforms[1].replacement, "b");
  EXPECT_EQ(rule.transforms[2].kind, RekeyTransform::Kind::kShift);
  EXPECT_EQ(rule.transforms[2].count, 1);
  EXPECT_EQ(rule.transforms[3].kind, RekeyTransform::Kind::kShiftLevels);
  EXPECT_EQ(rule.transforms[4].kind, RekeyTransform::Kind::kUpper);
  EXPECT_EQ(rule.transforms[5].kind, RekeyTransform::Kind::kLower);
}

TEST(PythonOptionsTest, PairForms) {
  DestinationOptions o = Parse(
      R"(class(c) value-pairs(pair("a" "$HOST") pair("b", "x") pair("c": "y") )"
      R"(pair("d" int("$PID")) pair(e "${MSG}")))");
  const auto& pairs = o.value_pairs->pairs;
  ASSERT_EQ(pairs.size(), 5u);
  EXPECT_EQ(pairs[0].name, "a");
  EXPECT_EQ(pairs[0].template_text, "$HOST");
  EXPECT_EQ(pairs[0].hint, TypeHint::kNone);
  EXPECT_EQ(pairs[1].template_text, "x");
  EXPECT_EQ(pairs[2].template_text, "y");
  EXPECT_EQ(pairs[3].hint, TypeHint::kInt32);
  EXPECT_EQ(pairs[3].template_text, "$PID");
  EXPECT_EQ(pairs[4].name, "e");
}

TEST(PythonOptionsTest, EveryTypeHint) {
  const std::pair<const char*, TypeHint> cases[] = {
      {"string", TypeHint::kString},   {"literal", TypeHint::kLiteral},
      {"int", TypeHint::kInt32},       {"int32", TypeHint::kInt32},
      {"integer", TypeHint::kInt32},   {"int64", TypeHint::kInt64},
      {"double", TypeHint::kDouble},   {"float", TypeHint::kDouble},
      {"boolean", TypeHint::kBoolean}, {"datetime", TypeHint::kDateTime},
      {"list", TypeHint::kList},       {"json", TypeHint::kJson},
      {"null", TypeHint::kNull},
  };
  for (const auto& [name, hint] : cases) {
    DestinationOptions o = Parse(std::string("class(c) value-pairs(pair(\"n\" ") +
                                 name + "(\"v\")))");
    ASSERT_EQ(o.value_pairs->pairs.size(), 1u) << name;
    EXPECT_EQ(o.value_pairs->pairs[0].hint, hint) << name;
    EXPECT_EQ(o.value_pairs->pairs[0].template_text, "v") << name;
  }
}

TEST(PythonOptionsTest, CastOmitEmptyValuesIncludeBytes) {
  DestinationOptions o = Parse(
      "class(c) value-pairs(cast(no) omit-empty-values include-bytes(yes))");
  EXPECT_EQ(o.value_pairs->cast, false);
  EXPECT_TRUE(o.value_pairs->omit_empty_values);
  EXPECT_TRUE(o.value_pairs->include_bytes);
  EXPECT_FALSE(
      Parse("class(c) value-pairs()").value_pairs->cast.has_value());
  EXPECT_TRUE(Parse("class(c) value-pairs(omit-empty-values(yes))")
                  .value_pairs->omit_empty_values);
}

TEST(PythonOptionsTest, UnknownOptionSuggestsTheClosestName) {
  EXPECT_EQ(ErrorOf("class(c)\n    value_pair(scope(core))"),
            "app.conf:2:5: unknown option 'value_pair' in python(); did you "
            "mean 'value-pairs'?");
  EXPECT_EQ(ErrorOf("class(c) retires(3)"),
            "app.conf:1:10: unknown option 'retires' in python(); did you "
            "mean 'retries'?");
  EXPECT_EQ(ErrorOf("class(c) frobnicate(3)"),
            "app.conf:1:10: unknown option 'frobnicate' in python()");
}

TEST(PythonOptionsTest, BadValuesAreErrors) {
  EXPECT_EQ(ErrorOf("class(c) retries(abc)"),
            "app.conf:1:18: retries() expects an integer, got 'abc'");
  EXPECT_EQ(ErrorOf("class(c) on-error(\"nope\")"),
            "app.conf:1:19: on-error() expects drop-message, drop-property, "
            "fallback-to-string, silently-drop-message, "
            "silently-drop-property or silently-fallback-to-string; got "
            "'nope'");
  EXPECT_EQ(ErrorOf("class(c) on-error(drop-mesage)"),
            "app.conf:1:19: on-error() expects drop-message, drop-property, "
            "fallback-to-string, silently-drop-message, "
            "silently-drop-property or silently-fallback-to-string; got "
            "'drop-mesage'; did you mean 'drop-message'?");
  EXPECT_EQ(ErrorOf("class(c) log-fifo-size(-1)"),
            "app.conf:1:24: log-fifo-size() expects a positive integer, got "
            "-1");
  EXPECT_EQ(ErrorOf("class(c) ts-format(iso8601)"),
            "app.conf:1:20: ts-format() expects rfc3164, bsd, rfc3339, iso, "
            "unix or full; got 'iso8601'");
  EXPECT_EQ(ErrorOf("class(c) value-pairs(cast(maybe))"),
            "app.conf:1:27: cast() expects yes or no, got 'maybe'");
}

TEST(PythonOptionsTest, MissingClassIsAnError) {
  EXPECT_EQ(ErrorOf("python(value-pairs(scope(core)));"),
            "app.conf:1:1: python() has no class(); class(\"module.Class\") "
            "is required");
}

TEST(PythonOptionsTest, ValuePairsErrorsSuggest) {
  EXPECT_EQ(ErrorOf("class(c) value-pairs(scope(rfc5425))"),
            "app.conf:1:28: unknown scope 'rfc5425' in value-pairs(); did "
            "you mean 'rfc5424'?");
  EXPECT_EQ(ErrorOf("class(c) value-pairs(keys(\"a\"))"),
            "app.conf:1:22: unknown option 'keys' in value-pairs(); did you "
            "mean 'key'?");
  EXPECT_EQ(ErrorOf("class(c) value-pairs(pair(\"n\" integr(\"1\")))"),
            "app.conf:1:31: unknown type hint 'integr' in pair(); did you "
            "mean 'integer'?");
  EXPECT_EQ(ErrorOf("class(c) value-pairs(rekey(\"*\" add_prefx(\"x\")))"),
            "app.conf:1:32: unknown transform 'add_prefx' in rekey(); did "
            "you mean 'add-prefix'?");
  EXPECT_EQ(ErrorOf("class(c) value-pairs(rekey(\"*\" shift(0)))"),
            "app.conf:1:38: shift() expects a positive integer, got 0");
}

TEST(PythonOptionsTest, UnbalancedParenthesisIsAnError) {
  EXPECT_EQ(ErrorOf("python(class(c) value-pairs(scope(core)\n"),
            "app.conf:2:1: expected a value-pairs() option, got end of file");
  EXPECT_EQ(ErrorOf("python(class(c) disk-buffer(dir(\"x\") );"),
            "app.conf:1:39: missing ')' to close python( opened at 1:1; got "
            "';'");
}

TEST(PythonOptionsTest, BareOptionListErrorsPointAtTheText) {
  EXPECT_EQ(ErrorOf("class(c) retries(3))"),
            "app.conf:1:20: unexpected ')': no '(' to close");
  EXPECT_EQ(ErrorOf("class(c)\nvalue-pairs(scope(core)"),
            "app.conf:2:24: expected a value-pairs() option, got end of "
            "file");
  EXPECT_EQ(ErrorOf("python(class(c)) class(d)"),
            "app.conf:1:18: unexpected 'class' after python(...)");
}

TEST(PythonOptionsTest, RekeyInsideKeyNeedsAGlob) {
  EXPECT_EQ(ErrorOf("class(c) value-pairs(key(rekey(upper())))"),
            "app.conf:1:26: rekey() inside key() needs the glob it applies "
            "to before it: key(\"glob\" rekey(...))");
}

}  // namespace
}  // namespace pydest
