// python { ... }; code blocks and what they give the parser: the blocks'
// code, joined in order into one module for every destination, and the
// config generators it registers, asked at each driver that is neither
// python() nor a block (syslog-ng's register_config_generator).
#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libpydest/config/config_parser.h"
#include "pydest/config.h"
#include "pydest/limits.h"

namespace pydest {
namespace config_internal {

absl::Status ConfigParser::ParsePythonCodeBlock(TokenStream& in,
                                                const Token& keyword) {
  PYDEST_CFG_ASSIGN_OR_RETURN(
      Token open, in.Expect(TokenKind::kLBrace, "'{' after 'python'"));
  PYDEST_CFG_ASSIGN_OR_RETURN(std::string code, in.ReadRawBlock(open.pos));
  PYDEST_CFG_RETURN_IF_ERROR(
      in.Expect(TokenKind::kSemicolon, "';' after python { ... }").status());
  // All blocks run in one module (_syslogng_main), in order.
  if (global_code_filename_.empty()) {
    global_code_filename_ = absl::StrCat(in.filename(), "{python-global-code:",
                                         keyword.pos.line, "}");
  } else {
    global_code_ += "\n";
  }
  global_code_ += code;
  return absl::OkStatus();
}

absl::StatusOr<bool> ConfigParser::TryConfigGenerator(
    TokenStream& in, const std::string& context, const Token& driver,
    const Token& open) {
  if (!generators_ || global_code_.empty()) {
    // Generators are registered by python {} code: without any, there is
    // none to ask (and no reason to start Python while parsing).
    PYDEST_CFG_RETURN_IF_ERROR(in.SkipBalanced(open));
    return false;
  }
  const SourceInfo* here = driver.pos.source.get();
  if (here != nullptr && here->block_depth >= kMaxBlockDepth) {
    return in.ErrorAt(driver.pos,
                      absl::StrCat("blocks and generated drivers used inside "
                                   "each other more than ",
                                   kMaxBlockDepth, " deep"));
  }
  ConfigGeneratorCall call;
  call.context = context;
  call.name = driver.text;
  call.python_code = global_code_;
  call.python_code_filename = global_code_filename_;
  PYDEST_CFG_ASSIGN_OR_RETURN(
      std::string raw, in.ReadRawConfig(open.pos, '(', ')', /*trim=*/true));
  // NAME(value) ... read from the raw text, as a block's arguments are.
  // ParseBlockArguments reads up to the closing parenthesis.
  TokenStream args_in(raw + ")", in.filename());
  Token args_open = open;
  absl::StatusOr<BlockArguments> args = ParseBlockArguments(args_in, args_open);
  call.args_ok = args.ok();
  if (args.ok()) {
    // syslog-ng hands a generator its arguments with '-' turned into '_'
    // (bearer-token(...) arrives as "bearer_token").
    for (auto& [name, value] : *args) {
      std::replace(name.begin(), name.end(), '-', '_');
    }
    call.args = std::move(*args);
  }
  absl::StatusOr<std::optional<std::string>> text = generators_(call);
  if (!text.ok()) {
    return in.ErrorAt(driver.pos,
                      absl::StrCat("config generator ", context, " ",
                                   driver.text, "(): ", text.status().message()));
  }
  if (!text->has_value()) return false;
  if (!call.args_ok) {
    return in.ErrorAt(driver.pos,
                      absl::StrCat("config generator ", context, " ",
                                   driver.text, "(): ",
                                   args.status().message()));
  }
  if ((*text)->size() > kMaxDefineExpansionBytes - define_expansion_bytes_) {
    return in.ErrorAt(driver.pos,
                      absl::StrCat("config generator ", context, " ",
                                   driver.text, "() produced more than ",
                                   kMaxDefineExpansionBytes, " bytes"));
  }
  define_expansion_bytes_ += (*text)->size();
  PYDEST_CFG_RETURN_IF_ERROR(PushExpansion(
      in, std::move(**text),
      absl::StrCat("config generator ", context, " ", driver.text, "()"),
      driver, absl::StrCat("<config generator ", driver.text, ">"),
      Position()));
  return true;
}

}  // namespace config_internal
}  // namespace pydest
