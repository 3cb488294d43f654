// Each configuration under tests/config/broken/ is rejected with an exact
// message naming file, line and column and what was expected.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "pydest/config.h"

namespace pydest {
namespace {

// Parses broken/<name> under its bare name (so messages do not depend on
// where the source tree is) and returns the error message.
std::string ErrorOf(const std::string& name) {
  const char* root = std::getenv("PYDEST_SOURCE_DIR");
  std::ifstream file(std::string(root != nullptr ? root : ".") +
                     "/tests/config/broken/" + name);
  EXPECT_TRUE(file.good()) << name;
  std::ostringstream text;
  text << file.rdbuf();
  absl::StatusOr<Config> config = ParseConfig(text.str(), name);
  EXPECT_FALSE(config.ok()) << name;
  if (config.ok()) return "";
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(config.status().message());
}

TEST(BrokenConfigTest, UnknownOptionSuggestsValuePairs) {
  EXPECT_EQ(ErrorOf("unknown_option.conf"),
            "unknown_option.conf:6:9: unknown option 'value_pair' in "
            "python(); did you mean 'value-pairs'?");
}

TEST(BrokenConfigTest, NonNumericRetries) {
  EXPECT_EQ(ErrorOf("bad_retries.conf"),
            "bad_retries.conf:2:51: retries() expects an integer, got 'abc'");
}

TEST(BrokenConfigTest, InvalidOnErrorValue) {
  EXPECT_EQ(ErrorOf("bad_on_error.conf"),
            "bad_on_error.conf:4:19: on-error() expects drop-message, "
            "drop-property, fallback-to-string, silently-drop-message, "
            "silently-drop-property or silently-fallback-to-string; got "
            "'nope'");
}

TEST(BrokenConfigTest, NegativeLogFifoSize) {
  EXPECT_EQ(ErrorOf("negative_log_fifo_size.conf"),
            "negative_log_fifo_size.conf:2:42: log-fifo-size() expects a "
            "positive integer, got -100");
}

TEST(BrokenConfigTest, UnbalancedParenthesis) {
  EXPECT_EQ(ErrorOf("unbalanced_parenthesis.conf"),
            "unbalanced_parenthesis.conf:4:55: missing ')' to close python( "
            "opened at 4:5; got ';'");
}

TEST(BrokenConfigTest, UnterminatedString) {
  EXPECT_EQ(ErrorOf("unterminated_string.conf"),
            "unterminated_string.conf:3:18: unterminated string (missing "
            "'\"')");
}

TEST(BrokenConfigTest, MissingClass) {
  EXPECT_EQ(ErrorOf("missing_class.conf"),
            "missing_class.conf:4:5: python() has no class(); "
            "class(\"module.Class\") is required");
}

TEST(BrokenConfigTest, UnknownScopeSuggestsAllNvPairs) {
  EXPECT_EQ(ErrorOf("unknown_scope.conf"),
            "unknown_scope.conf:2:54: unknown scope 'all_nvpairs' in "
            "value-pairs(); did you mean 'all-nv-pairs'?");
}

TEST(BrokenConfigTest, UnknownTypeHint) {
  EXPECT_EQ(ErrorOf("unknown_type_hint.conf"),
            "unknown_type_hint.conf:3:35: unknown type hint 'integr' in "
            "pair(); did you mean 'integer'?");
}

TEST(BrokenConfigTest, MalformedTemplateInPair) {
  EXPECT_EQ(ErrorOf("malformed_template.conf"),
            "malformed_template.conf:3:35: pair(): template '${HOST on "
            "$PROGRAM': column 18: missing '}'");
}

TEST(BrokenConfigTest, UnknownTemplateFunctionInTypedPair) {
  EXPECT_EQ(ErrorOf("unknown_template_function.conf"),
            "unknown_template_function.conf:3:37: pair(): template '$(lenght "
            "$MSG)': column 3: unknown template function 'lenght'; did you "
            "mean 'length'?");
}

TEST(BrokenConfigTest, LogPathUsesUndefinedDestination) {
  EXPECT_EQ(ErrorOf("undefined_destination.conf"),
            "undefined_destination.conf:3:33: log path uses destination "
            "'d_pyy', which is not defined");
}

TEST(BrokenConfigTest, UnterminatedPythonBlock) {
  EXPECT_EQ(ErrorOf("unterminated_python_block.conf"),
            "unterminated_python_block.conf:2:8: unterminated block: missing "
            "'}' to close this '{'");
}

TEST(BrokenConfigTest, MismatchedBracketInASource) {
  EXPECT_EQ(ErrorOf("mismatched_brace_in_source.conf"),
            "mismatched_brace_in_source.conf:2:37: unexpected '}'; expected "
            "')' to close '(' opened at 2:12");
}

TEST(BrokenConfigTest, TwoDestinationsWithTheSamePersistName) {
  EXPECT_EQ(ErrorOf("duplicate_persist_name.conf"),
            "duplicate_persist_name.conf:2:21: destinations 'd_one' and "
            "'d_two' have the same persist name 'python(m.Dest)'; give one "
            "of them a persist-name()");
}

TEST(BrokenConfigTest, MisspelledTopLevelStatement) {
  EXPECT_EQ(ErrorOf("unknown_top_level.conf"),
            "unknown_top_level.conf:2:1: unknown top-level statement "
            "'destinaton'; did you mean 'destination'?");
}

TEST(BrokenConfigTest, MalformedVersion) {
  EXPECT_EQ(ErrorOf("bad_version.conf"),
            "bad_version.conf:1:1: @version expects a version such as 3.38 "
            "or 4.2, got 'four'");
}

}  // namespace
}  // namespace pydest
