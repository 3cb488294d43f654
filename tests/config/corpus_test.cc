// Parses the real-looking configurations under tests/config/corpus/ and
// checks what each python() destination ends up with.
#include <cstdlib>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/config.h"

namespace pydest {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string CorpusPath(const std::string& name) {
  const char* root = std::getenv("PYDEST_SOURCE_DIR");
  return std::string(root != nullptr ? root : ".") + "/tests/config/corpus/" +
         name;
}

// Hermetic: an installed syslog-ng's SCL is not read (see
// blocks_test.cc's RealSclParses for that).
Config Load(const std::string& name) {
  ConfigReadOptions hermetic;
  hermetic.syslog_ng_include_path = false;
  absl::StatusOr<Config> config = ParseConfigFile(CorpusPath(name), hermetic);
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *config : Config();
}

const DestinationOptions& Dest(const Config& config, const std::string& name) {
  for (const ConfiguredDestination& d : config.destinations) {
    if (d.name == name) return d.options;
  }
  ADD_FAILURE() << "no python destination " << name;
  static const DestinationOptions* const kEmpty = new DestinationOptions();
  return *kEmpty;
}

const OptionValue& Opt(const DestinationOptions& o, const std::string& key) {
  for (const auto& [k, v] : o.options) {
    if (k == key) return v;
  }
  ADD_FAILURE() << "no option " << key;
  static const OptionValue* const kEmpty = new OptionValue();
  return *kEmpty;
}

TEST(CorpusTest, SeedTutorialConfiguration) {
  Config c = Load("seed_tutorial.conf");
  EXPECT_EQ(c.version.major, 3);
  EXPECT_EQ(c.version.minor, 7);
  ASSERT_EQ(c.destinations.size(), 1u);
  const ConfiguredDestination& d = c.destinations[0];
  EXPECT_EQ(d.name, "python_to_file");
  EXPECT_EQ(d.line, 13);
  EXPECT_EQ(d.options.name, "python_to_file");
  EXPECT_EQ(d.options.class_name, "betterpythonexample.TextDestination");
  EXPECT_EQ(d.options.on_error, OnError::kFallbackToString);
  ASSERT_TRUE(d.options.value_pairs.has_value());
  EXPECT_EQ(d.options.value_pairs->scopes,
            static_cast<uint32_t>(kScopeEverything));
  EXPECT_EQ(d.options.version.major, 3);
  EXPECT_THAT(c.used_in_log_paths, ElementsAre("python_to_file"));
  // The missing SCL, and the two sources pydest does not read.
  EXPECT_THAT(c.notes,
              ElementsAre(HasSubstr(":5:1: @include \"scl.conf\" matched no "
                                    "file; ignored"),
                          HasSubstr("system() is not read by pydest"),
                          HasSubstr("internal() is not read by pydest")));
}

TEST(CorpusTest, HttpDestinationWithTypedOptions) {
  Config c = Load("http_typed_options.conf");
  const DestinationOptions& o = Dest(c, "d_http");
  EXPECT_EQ(o.version.major, 4);
  EXPECT_EQ(o.version.minor, 2);
  EXPECT_EQ(o.class_name, "pyhttp.HttpDestination");
  ASSERT_EQ(o.options.size(), 7u);
  EXPECT_EQ(o.options[0].first, "url");
  EXPECT_EQ(Opt(o, "timeout").kind, OptionValue::Kind::kInteger);
  EXPECT_EQ(Opt(o, "backoff_factor").kind, OptionValue::Kind::kDouble);
  EXPECT_EQ(Opt(o, "backoff_factor").text, "1.5");
  EXPECT_EQ(Opt(o, "verify_tls").kind, OptionValue::Kind::kBoolean);
  EXPECT_EQ(Opt(o, "compress").text, "false");
  EXPECT_THAT(Opt(o, "headers").items,
              ElementsAre("Content-Type: application/json",
                          "X-Source: syslog-ng"));
  EXPECT_EQ(Opt(o, "body").kind, OptionValue::Kind::kTemplate);
  EXPECT_EQ(Opt(o, "body").text,
            "$(format-json --scope rfc5424 --key ISODATE)");
  ASSERT_TRUE(o.value_pairs.has_value());
  EXPECT_EQ(o.value_pairs->scopes, kScopeRfc5424 | kScopeNvPairs);
  ASSERT_EQ(o.value_pairs->rekeys.size(), 1u);
  EXPECT_EQ(o.value_pairs->rekeys[0].transforms.size(), 2u);
  EXPECT_EQ(o.batch_lines, 100);
  EXPECT_EQ(o.batch_timeout, absl::Milliseconds(250));
  EXPECT_EQ(o.retries, 5);
  EXPECT_EQ(o.time_reopen, absl::Seconds(10));
  EXPECT_EQ(o.log_fifo_size, 50000u);
  EXPECT_EQ(o.persist_name, "http-main");
}

TEST(CorpusTest, MqttDestinationWithBareWordOptions) {
  Config c = Load("mqtt_bare_words.conf");
  const DestinationOptions& o = Dest(c, "d_mqtt");
  ASSERT_EQ(o.options.size(), 6u);
  EXPECT_EQ(Opt(o, "host").text, "127.0.0.1");
  EXPECT_EQ(Opt(o, "host").kind, OptionValue::Kind::kString);
  EXPECT_EQ(Opt(o, "port").text, "1883");
  EXPECT_EQ(Opt(o, "port").kind, OptionValue::Kind::kInteger);
  EXPECT_EQ(Opt(o, "topic").text, "syslog/warn");
  EXPECT_EQ(Opt(o, "client_id").text, "syslog-ng-01");
  EXPECT_EQ(o.value_pairs->pairs.at(0).name, "level");
  EXPECT_THAT(c.used_in_log_paths, ElementsAre("d_mqtt"));
}

TEST(CorpusTest, KafkaDestinationWithArrowsAndQueueOptions) {
  Config c = Load("kafka_arrows.conf");
  const DestinationOptions& o = Dest(c, "d_kafka");
  EXPECT_EQ(Opt(o, "bootstrap_servers").text, "kafka-1:9092,kafka-2:9092");
  EXPECT_EQ(Opt(o, "acks").text, "all");
  EXPECT_EQ(Opt(o, "linger_ms").kind, OptionValue::Kind::kInteger);
  EXPECT_EQ(Opt(o, "sasl_enabled").kind, OptionValue::Kind::kBoolean);
  EXPECT_EQ(o.batch_lines, 500);
  EXPECT_EQ(o.batch_timeout, absl::Milliseconds(1000));
  EXPECT_EQ(o.workers, 4);
  EXPECT_EQ(o.log_fifo_size, 100000u);
  EXPECT_THAT(o.loaders, ElementsAre("kafka", "kafkadest.serializers", "json"));
  EXPECT_EQ(o.on_error, OnError::kSilentlyDropProperty);
  EXPECT_EQ(o.template_options.frac_digits, 3);
  EXPECT_EQ(o.template_options.ts_format, "rfc3339");
  EXPECT_EQ(o.template_options.send_time_zone, "UTC");
  ASSERT_EQ(o.value_pairs->patterns.size(), 2u);
  EXPECT_FALSE(o.value_pairs->patterns[1].include);
}

TEST(CorpusTest, SeveralDestinationsAndLogPaths) {
  Config c = Load("multi_destinations.conf");
  ASSERT_EQ(c.destinations.size(), 3u);
  EXPECT_EQ(c.destinations[0].name, "d_audit");
  EXPECT_EQ(c.destinations[0].options.value_pairs->scopes,
            static_cast<uint32_t>(kScopeSelectedMacros));
  const DestinationOptions& alerts = Dest(c, "d_alerts");
  EXPECT_EQ(alerts.value_pairs->pairs.at(0).hint, TypeHint::kInt32);
  EXPECT_EQ(Opt(alerts, "service_key").text, "abc123");
  EXPECT_EQ(Opt(alerts, "escalate").kind, OptionValue::Kind::kString);
  EXPECT_FALSE(Dest(c, "d_unused").value_pairs.has_value());
  // d_file is not a python destination; d_unused is in no log path.
  EXPECT_THAT(c.used_in_log_paths, ElementsAre("d_audit", "d_alerts"));
}

TEST(CorpusTest, ValuePairsWithRekeyChains) {
  Config c = Load("rekey_chains.conf");
  const ValuePairsSpec& vp = *Dest(c, "d_rekey").value_pairs;
  EXPECT_EQ(vp.scopes, kScopeAllNvPairs | kScopeSelectedMacros);
  ASSERT_EQ(vp.patterns.size(), 3u);
  EXPECT_EQ(vp.patterns[0].glob, ".SDATA.*");
  EXPECT_EQ(vp.patterns[2].glob, "kv.secret*");
  EXPECT_FALSE(vp.patterns[2].include);
  ASSERT_EQ(vp.rekeys.size(), 4u);
  EXPECT_EQ(vp.rekeys[0].glob, ".SDATA.*");
  EXPECT_EQ(vp.rekeys[0].transforms[0].kind,
            RekeyTransform::Kind::kShiftLevels);
  EXPECT_EQ(vp.rekeys[1].transforms[0].text, ".json.");
  EXPECT_EQ(vp.rekeys[1].transforms[0].replacement, "j_");
  EXPECT_EQ(vp.rekeys[1].transforms[1].kind, RekeyTransform::Kind::kLower);
  EXPECT_EQ(vp.rekeys[2].transforms[0].text, "app.");
  EXPECT_EQ(vp.rekeys[3].transforms[0].count, 4);
  EXPECT_EQ(vp.cast, false);
  EXPECT_TRUE(vp.omit_empty_values);
}

TEST(CorpusTest, PythonBlocksAreCollectedIntoGlobalCode) {
  Config c = Load("python_blocks.conf");
  const DestinationOptions& o = Dest(c, "d_local");
  EXPECT_EQ(o.class_name, "LocalDestination");
  EXPECT_THAT(o.global_code, HasSubstr("class LocalDestination(object):"));
  EXPECT_THAT(o.global_code, HasSubstr("if '}' in line:"));
  EXPECT_THAT(o.global_code, HasSubstr("def helper():\n    return \"};\""));
  EXPECT_EQ(o.global_code, c.global_code);
  EXPECT_THAT(o.global_code_filename,
              HasSubstr("python_blocks.conf{python-global-code:3}"));
  EXPECT_EQ(Opt(o, "path").text, "/tmp/local.out");
}

TEST(CorpusTest, GlobalOptionsAreInheritedUnlessOverridden) {
  Config c = Load("global_options.conf");
  const DestinationOptions& inherits = Dest(c, "d_inherits");
  EXPECT_EQ(inherits.on_error, OnError::kFallbackToString);
  EXPECT_EQ(inherits.time_reopen, absl::Seconds(5));
  EXPECT_EQ(inherits.log_fifo_size, 2000u);
  EXPECT_EQ(inherits.template_options.frac_digits, 6);
  EXPECT_EQ(inherits.template_options.ts_format, "rfc3339");
  EXPECT_EQ(inherits.template_options.send_time_zone, "+02:00");
  EXPECT_EQ(inherits.template_options.local_time_zone, "Europe/Budapest");
  const DestinationOptions& overrides = Dest(c, "d_overrides");
  EXPECT_EQ(overrides.on_error, OnError::kDropProperty);
  EXPECT_EQ(overrides.time_reopen, absl::Seconds(1));
  EXPECT_EQ(overrides.log_fifo_size, 10u);
  EXPECT_EQ(overrides.template_options.frac_digits, 0);
  EXPECT_EQ(overrides.template_options.ts_format, "unix");
  EXPECT_EQ(overrides.template_options.send_time_zone, "UTC");
  EXPECT_EQ(overrides.template_options.local_time_zone, "UTC");
}

TEST(CorpusTest, RepeatedOptionsBlocksMergeLastValueWins) {
  Config c = Load("legacy_repeated_options.conf");
  const DestinationOptions& o = Dest(c, "d_legacy");
  ASSERT_EQ(o.options.size(), 3u);
  EXPECT_EQ(o.options[0].first, "host");
  EXPECT_EQ(o.options[0].second.text, "db2.example");
  EXPECT_EQ(o.options[1].first, "port");
  EXPECT_EQ(o.options[1].second.text, "6543");
  EXPECT_EQ(o.options[2].first, "user");
  EXPECT_EQ(o.value_pairs->scopes, static_cast<uint32_t>(kScopeRfc5424));
  ASSERT_EQ(o.value_pairs->patterns.size(), 1u);
  EXPECT_EQ(o.value_pairs->patterns[0].glob, "DATE");
}

TEST(CorpusTest, NestedLogPathsAndInlineDestinations) {
  Config c = Load("inline_and_nested_paths.conf");
  ASSERT_EQ(c.destinations.size(), 3u);
  EXPECT_EQ(c.destinations[2].name, "#anon-destination0");
  EXPECT_EQ(c.destinations[2].options.class_name, "nested.InlineDest");
  EXPECT_THAT(c.used_in_log_paths,
              ElementsAre("d_junction_py", "d_channel_py",
                          "#anon-destination0"));
}

TEST(CorpusTest, EveryTypeHintAndPairSpelling) {
  Config c = Load("typed_pairs.conf");
  const DestinationOptions& o = Dest(c, "d_typed");
  const auto& pairs = o.value_pairs->pairs;
  ASSERT_EQ(pairs.size(), 15u);
  EXPECT_EQ(pairs[0].hint, TypeHint::kString);
  EXPECT_EQ(pairs[1].hint, TypeHint::kLiteral);
  EXPECT_EQ(pairs[2].hint, TypeHint::kInt32);
  EXPECT_EQ(pairs[3].hint, TypeHint::kInt32);
  EXPECT_EQ(pairs[4].hint, TypeHint::kInt64);
  EXPECT_EQ(pairs[5].hint, TypeHint::kInt32);
  EXPECT_EQ(pairs[6].hint, TypeHint::kDouble);
  EXPECT_EQ(pairs[7].hint, TypeHint::kDouble);
  EXPECT_EQ(pairs[8].hint, TypeHint::kBoolean);
  EXPECT_EQ(pairs[9].hint, TypeHint::kDateTime);
  EXPECT_EQ(pairs[10].hint, TypeHint::kList);
  EXPECT_EQ(pairs[11].hint, TypeHint::kJson);
  EXPECT_EQ(pairs[11].template_text, "{\"a\": 1}");
  EXPECT_EQ(pairs[12].hint, TypeHint::kNull);
  EXPECT_EQ(pairs[13].hint, TypeHint::kNone);
  EXPECT_EQ(pairs[14].template_text, "x\tyA\\");
  EXPECT_EQ(o.on_error, OnError::kSilentlyFallbackToString);
}

TEST(CorpusTest, DefinesAreSubstitutedAndPragmasReadOver) {
  Config c = Load("defines_and_pragmas.conf");
  EXPECT_EQ(c.version.major, 4);
  EXPECT_EQ(c.version.minor, 0);
  const DestinationOptions& o = Dest(c, "d_defined");
  EXPECT_EQ(o.class_name, "defs.Destination");
  EXPECT_EQ(Opt(o, "dir").text, "/var/log/pydest/out");
  EXPECT_EQ(Opt(o, "raw").text, "C:\\path\\n");
}

TEST(CorpusTest, IncludesAreRelativeGlobbedAndMissingOnesNoted) {
  Config c = Load("includes/main.conf");
  ASSERT_EQ(c.destinations.size(), 2u);
  EXPECT_EQ(c.destinations[0].name, "d_dir_a");
  EXPECT_THAT(c.destinations[0].file, HasSubstr("conf.d/20-dest.conf"));
  EXPECT_EQ(c.destinations[0].options.version.minor, 2);
  EXPECT_THAT(c.destinations[0].options.global_code,
              HasSubstr("class DirDest(object):"));
  EXPECT_THAT(c.global_code_filename,
              HasSubstr("20-dest.conf{python-global-code:1}"));
  EXPECT_EQ(c.destinations[1].name, "d_included");
  EXPECT_THAT(c.used_in_log_paths, ElementsAre("d_included", "d_dir_a"));
  EXPECT_THAT(c.notes, Contains(HasSubstr("missing-optional.conf")));
}

TEST(CorpusTest, DistributionSyslogNgConf) {
  Config c = Load("distro_syslog-ng.conf");
  ASSERT_EQ(c.destinations.size(), 1u);
  const DestinationOptions& o = Dest(c, "d_tickets");
  EXPECT_EQ(o.class_name, "tickets.TicketDestination");
  EXPECT_EQ(Opt(o, "min_severity").text, "err");
  EXPECT_EQ(o.value_pairs->scopes,
            kScopeRfc5424 | kScopeSelectedMacros);
  EXPECT_EQ(o.value_pairs->pairs.size(), 2u);
  EXPECT_EQ(o.retries, 10);
  EXPECT_EQ(o.time_reopen, absl::Seconds(30));
  EXPECT_EQ(o.persist_name, "tickets");
  EXPECT_EQ(o.on_error, OnError::kFallbackToString);
  EXPECT_THAT(c.used_in_log_paths, ElementsAre("d_tickets"));
  EXPECT_THAT(c.notes, Contains(HasSubstr("scl.conf")));
}

}  // namespace
}  // namespace pydest
