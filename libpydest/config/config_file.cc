// Top-level statements of a syslog-ng configuration; see config_parser.h.
#include <algorithm>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libpydest/config/config_parser.h"
#include "libpydest/config/include_files.h"
#include "libpydest/config/python_options_parser.h"
#include "pydest/config.h"
#include "pydest/limits.h"

namespace pydest {
namespace config_internal {
namespace {

const std::vector<std::string_view>& TopLevelNames() {
  static const auto* const kNames = new std::vector<std::string_view>{
      "source",   "destination", "filter",   "parser",
      "rewrite",  "template",    "template-function", "log",
      "options",  "block",       "python",   "application"};
  return *kNames;
}

const std::vector<std::string_view>& PragmaNames() {
  static const auto* const kNames = new std::vector<std::string_view>{
      "version", "include", "define", "module", "requires"};
  return *kNames;
}

absl::StatusOr<ConfigVersion> ParseVersion(TokenStream& in, const Token& at,
                                           std::string line) {
  std::string text(absl::StripAsciiWhitespace(line));
  size_t hash = text.find('#');
  if (hash != std::string::npos) {
    text = std::string(absl::StripAsciiWhitespace(text.substr(0, hash)));
  }
  if (text.empty() || text[0] != ':') {
    return in.ErrorAt(at.pos, "expected ':' after @version");
  }
  text = std::string(absl::StripAsciiWhitespace(text.substr(1)));
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.back() == text.front()) {
    text = text.substr(1, text.size() - 2);
  }
  ConfigVersion version;
  if (text == "current") {
    version.major = 4;
    version.minor = 11;  // the newest release the spec was written against
    return version;
  }
  size_t dot = text.find('.');
  std::string major = text.substr(0, dot);
  std::string minor = dot == std::string::npos ? "0" : text.substr(dot + 1);
  if (!absl::SimpleAtoi(major, &version.major) ||
      !absl::SimpleAtoi(minor, &version.minor) || version.major < 3 ||
      version.minor < 0) {
    return in.ErrorAt(at.pos, absl::StrCat("@version expects a version such "
                                           "as 3.38 or 4.2, got '",
                                           text, "'"));
  }
  return version;
}

}  // namespace

absl::Status ConfigParser::ParseText(std::string text,
                                     const std::string& filename) {
  if (text.size() > kMaxConfigFileBytes) {
    return FileTooLarge(filename, text.size());
  }
  TokenStream in(std::move(text), filename, &defines_,
                 &define_expansion_bytes_);
  in.SetIncludeHandler(
      [this](TokenStream& stream, const Token& at, const std::string& pattern) {
        return Include(stream, at, pattern);
      });
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token token, in.Next());
    if (token.kind == TokenKind::kEnd) return absl::OkStatus();
    PYDEST_CFG_RETURN_IF_ERROR(ParseStatement(in, token));
  }
}

absl::Status ConfigParser::ParseStatement(TokenStream& in,
                                          const Token& first) {
  if (first.kind == TokenKind::kAt) {
    return ParsePragma(in, first);
  }
  if (first.kind == TokenKind::kSemicolon) return absl::OkStatus();
  if (first.kind != TokenKind::kWord) {
    return in.ErrorAt(first.pos, absl::StrCat("expected a statement, got ",
                                              DescribeToken(first)));
  }
  std::string keyword = CanonicalName(first.text);
  if (keyword == "python") {
    return ParsePythonCodeBlock(in, first);
  }
  if (keyword == "options") {
    PYDEST_CFG_RETURN_IF_ERROR(
        in.Expect(TokenKind::kLBrace, "'{' after 'options'").status());
    PYDEST_CFG_RETURN_IF_ERROR(ParseGlobalOptionsBody(in, &globals_));
    return in.Expect(TokenKind::kSemicolon, "';' after options { ... }")
        .status();
  }
  if (keyword == "destination") {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token name, in.Next());
    if (name.kind != TokenKind::kWord && name.kind != TokenKind::kString) {
      return in.ErrorAt(name.pos, absl::StrCat("expected a destination name, "
                                               "got ",
                                               DescribeToken(name)));
    }
    for (const auto& [defined, where] : defined_) {
      if (defined == name.text) {
        return in.ErrorAt(name.pos,
                          absl::StrCat("destination '", name.text,
                                       "' is already defined at ", where));
      }
    }
    defined_.emplace_back(name.text, WhereText(in.filename(), name.pos));
    PYDEST_CFG_ASSIGN_OR_RETURN(
        Token open,
        in.Expect(TokenKind::kLBrace,
                  absl::StrCat("'{' after 'destination ", name.text, "'")));
    PYDEST_CFG_RETURN_IF_ERROR(ParseDestinationBody(in, name.text, open));
    return in
        .Expect(TokenKind::kSemicolon,
                absl::StrCat("';' after destination ", name.text, " { ... }"))
        .status();
  }
  if (keyword == "source") {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token name, in.Next());
    if (name.kind != TokenKind::kWord && name.kind != TokenKind::kString) {
      return in.ErrorAt(name.pos, absl::StrCat("expected a source name, got ",
                                               DescribeToken(name)));
    }
    PYDEST_CFG_ASSIGN_OR_RETURN(
        Token open,
        in.Expect(TokenKind::kLBrace,
                  absl::StrCat("'{' after 'source ", name.text, "'")));
    PYDEST_CFG_RETURN_IF_ERROR(ParseSourceBody(in, name.text, open));
    return in
        .Expect(TokenKind::kSemicolon,
                absl::StrCat("';' after source ", name.text, " { ... }"))
        .status();
  }
  if (keyword == "parser") {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token name, in.Next());
    if (name.kind != TokenKind::kWord && name.kind != TokenKind::kString) {
      return in.ErrorAt(name.pos, absl::StrCat("expected a parser name, got ",
                                               DescribeToken(name)));
    }
    PYDEST_CFG_ASSIGN_OR_RETURN(
        Token open,
        in.Expect(TokenKind::kLBrace,
                  absl::StrCat("'{' after 'parser ", name.text, "'")));
    PYDEST_CFG_RETURN_IF_ERROR(ParseParserBody(in, name.text, open));
    return in
        .Expect(TokenKind::kSemicolon,
                absl::StrCat("';' after parser ", name.text, " { ... }"))
        .status();
  }
  if (keyword == "log") {
    PYDEST_CFG_ASSIGN_OR_RETURN(
        Token open, in.Expect(TokenKind::kLBrace, "'{' after 'log'"));
    path_sources_.clear();
    path_parsers_.clear();
    path_destinations_.clear();
    PYDEST_CFG_RETURN_IF_ERROR(ParseLogBlock(in, open, /*depth=*/1));
    // Every source of a log statement feeds every destination in it
    // (filters and flags are not evaluated: docs/pydest.md).
    for (const std::string& destination : path_destinations_) {
      for (const std::string& source : path_sources_) {
        routes_.emplace_back(source, destination);
      }
      for (const std::string& parser : path_parsers_) {
        parser_routes_.emplace_back(parser, destination);
      }
    }
    return in.Expect(TokenKind::kSemicolon, "';' after log { ... }").status();
  }
  if (keyword == "block") {
    PYDEST_CFG_RETURN_IF_ERROR(DefineBlock(in));
    return in.Expect(TokenKind::kSemicolon, "';' after block ... { ... }")
        .status();
  }
  if (const BlockDefinition* root = FindBlock("root", keyword)) {
    // A root block's use stands where statements stand; its `;` is then
    // read as an empty statement.
    PYDEST_CFG_ASSIGN_OR_RETURN(
        Token open,
        in.Expect(TokenKind::kLParen,
                  absl::StrCat("'(' after block '", first.text, "'")));
    return UseBlock(in, *root, first, open);
  }
  bool known = false;
  for (std::string_view name : TopLevelNames()) {
    if (name == keyword) known = true;
  }
  if (!known) {
    return in.ErrorAt(
        first.pos,
        absl::StrCat("unknown top-level statement '", first.text, "'",
                     DidYouMean(first.text, TopLevelNames())));
  }
  // source/filter/parser/rewrite/template/... definitions: not ours.
  return SkipStatement(in);
}

absl::Status ConfigParser::SkipStatement(TokenStream& in) {
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token token, in.Next());
    switch (token.kind) {
      case TokenKind::kSemicolon:
        return absl::OkStatus();
      case TokenKind::kEnd:
        return in.ErrorAt(token.pos,
                          "unexpected end of file; missing ';' after the "
                          "statement");
      case TokenKind::kLParen:
      case TokenKind::kLBrace:
      case TokenKind::kLBracket:
        PYDEST_CFG_RETURN_IF_ERROR(in.SkipBalanced(token));
        break;
      case TokenKind::kRParen:
      case TokenKind::kRBrace:
      case TokenKind::kRBracket:
        return in.ErrorAt(token.pos,
                          absl::StrCat("unexpected '", token.text, "'"));
      default:
        break;
    }
  }
}

absl::Status ConfigParser::ParsePragma(TokenStream& in, const Token& at) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token name, in.Next());
  std::string pragma = name.kind == TokenKind::kWord ? name.text : "";
  if (pragma == "version") {
    PYDEST_CFG_ASSIGN_OR_RETURN(ConfigVersion version,
                                ParseVersion(in, at, in.ReadRestOfLine()));
    // The main file's @version is the configuration's; an included file's
    // is its own business (syslog-ng's SCL files carry none).
    if (at.pos.source == nullptr || at.pos.source->include_depth == 0) {
      config_.version = version;
    }
    return absl::OkStatus();
  }
  if (pragma == "define") {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token key, in.Next());
    PYDEST_CFG_ASSIGN_OR_RETURN(Token value, in.Next());
    if (key.kind != TokenKind::kWord || value.kind == TokenKind::kEnd) {
      return in.ErrorAt(at.pos, "@define expects a name and a value");
    }
    defines_[key.text] = value.text;
    return absl::OkStatus();
  }
  if (pragma == "module" || pragma == "requires") {
    in.ReadRestOfLine();  // module loading is syslog-ng's business
    return absl::OkStatus();
  }
  return in.ErrorAt(at.pos,
                    absl::StrCat("unknown pragma '@", name.text, "'",
                                 DidYouMean(name.text, PragmaNames())));
}

absl::Status ConfigParser::Include(TokenStream& in, const Token& at,
                                   const std::string& pattern) {
  const SourceInfo* here = at.pos.source.get();
  const int depth = here != nullptr ? here->include_depth : 0;
  if (depth >= kMaxIncludeDepth) {
    return in.ErrorAt(at.pos, absl::StrCat("@include nested more than ",
                                           kMaxIncludeDepth,
                                           " deep (an include loop?)"));
  }
  // A relative name is looked for next to the including file first, then
  // along the include path; the first place with a match is taken.
  std::vector<std::filesystem::path> candidates;
  std::filesystem::path target(pattern);
  if (target.is_absolute()) {
    candidates.push_back(target);
  } else {
    const std::string& including = in.filename();
    if (!including.empty() && including[0] != '<') {
      candidates.push_back(
          std::filesystem::path(including).parent_path() / target);
    } else {
      candidates.push_back(target);
    }
    for (const std::string& dir : include_path_) {
      candidates.push_back(std::filesystem::path(dir) / target);
    }
  }
  std::vector<std::string> files;
  for (const auto& candidate : candidates) {
    files = ExpandInclude(candidate.string());
    if (!files.empty()) break;
  }
  if (files.empty()) {
    config_.notes.push_back(absl::StrCat(WhereText(in.filename(), at.pos),
                                         ": @include \"", pattern,
                                         "\" matched no file; ignored"));
    return absl::OkStatus();
  }
  // All read before any is parsed, so a bad file is an error at the
  // @include; pushed last first, so they are read in order.
  std::vector<std::string> texts;
  for (const std::string& file : files) {
    absl::StatusOr<std::string> text = ReadWholeFile(file);
    if (!text.ok()) {
      return in.ErrorAt(at.pos, std::string(text.status().message()));
    }
    texts.push_back(std::move(*text));
  }
  for (size_t i = files.size(); i-- > 0;) {
    auto source = std::make_shared<SourceInfo>();
    source->filename = files[i];
    source->how = "included from";
    source->from = at.pos;
    source->include_depth = depth + 1;
    source->block_depth = here != nullptr ? here->block_depth : 0;
    in.Push(std::move(texts[i]), source, Position{1, 1, source});
  }
  return absl::OkStatus();
}

absl::Status ConfigParser::DefineBlock(TokenStream& in) {
  PYDEST_CFG_ASSIGN_OR_RETURN(BlockDefinition block, ParseBlockDefinition(in));
  std::pair<std::string, std::string> key(block.context, block.name);
  blocks_[key] = std::move(block);
  return absl::OkStatus();
}

const BlockDefinition* ConfigParser::FindBlock(const std::string& context,
                                               const std::string& name) const {
  auto it = blocks_.find({context, name});
  return it == blocks_.end() ? nullptr : &it->second;
}

absl::Status ConfigParser::UseBlock(TokenStream& in,
                                    const BlockDefinition& block,
                                    const Token& use, const Token& open) {
  const SourceInfo* here = use.pos.source.get();
  const int depth = here != nullptr ? here->block_depth : 0;
  if (depth >= kMaxBlockDepth) {
    return in.ErrorAt(use.pos,
                      absl::StrCat("blocks used inside blocks more than ",
                                   kMaxBlockDepth,
                                   " deep (a block that uses itself?)"));
  }
  PYDEST_CFG_ASSIGN_OR_RETURN(BlockArguments args,
                              ParseBlockArguments(in, open));
  PYDEST_CFG_ASSIGN_OR_RETURN(
      std::string text, ExpandBlock(block, args, defines_, in, use,
                                    &define_expansion_bytes_));
  return PushExpansion(
      in, std::move(text),
      absl::StrCat("block ", block.context, " ", block.name, "()"), use,
      block.body_start.source != nullptr ? block.body_start.source->filename
                                         : in.filename(),
      block.body_start);
}

absl::Status ConfigParser::PushExpansion(TokenStream& in, std::string text,
                                         const std::string& what,
                                         const Token& use,
                                         const std::string& filename,
                                         Position start) {
  const SourceInfo* here = use.pos.source.get();
  auto source = std::make_shared<SourceInfo>();
  source->filename = filename;
  source->how = absl::StrCat("in ", what, " used at");
  source->from = use.pos;
  source->include_depth = here != nullptr ? here->include_depth : 0;
  source->block_depth = (here != nullptr ? here->block_depth : 0) + 1;
  start.source = source;
  in.Push(std::move(text), source, start);
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

absl::StatusOr<bool> ConfigParser::NextDriver(TokenStream& in,
                                              const Token& open,
                                              const std::string& context,
                                              Token* driver, Token* paren) {
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(*driver, in.Next());
    if (driver->kind == TokenKind::kRBrace) return false;
    if (driver->kind == TokenKind::kSemicolon) continue;
    if (driver->kind == TokenKind::kEnd) {
      return in.ErrorAt(driver->pos,
                        absl::StrCat("unexpected end of file; missing '}' to "
                                     "close '{' opened at ",
                                     open.pos.line, ":", open.pos.column));
    }
    if (driver->kind != TokenKind::kWord) {
      return in.ErrorAt(driver->pos,
                        absl::StrCat("expected a ", context, " driver, got ",
                                     DescribeToken(*driver)));
    }
    PYDEST_CFG_ASSIGN_OR_RETURN(
        *paren, in.Expect(TokenKind::kLParen,
                          absl::StrCat("'(' after '", driver->text, "'")));
    const BlockDefinition* block =
        FindBlock(context, CanonicalName(driver->text));
    if (block == nullptr) return true;
    // A block of this context (an SCL driver): its expansion is read
    // next, as drivers of this body.
    PYDEST_CFG_RETURN_IF_ERROR(UseBlock(in, *block, *driver, *paren));
  }
}

absl::Status ConfigParser::ParseDestinationBody(TokenStream& in,
                                                const std::string& name,
                                                const Token& open) {
  int python_drivers = 0;
  Token driver, paren;
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(
        bool more, NextDriver(in, open, "destination", &driver, &paren));
    if (!more) return absl::OkStatus();
    if (driver.text != "python") {
      // A driver of syslog-ng's own (read over), or one Python code
      // generates.
      PYDEST_CFG_RETURN_IF_ERROR(
          TryConfigGenerator(in, "destination", driver, paren).status());
      continue;
    }
    ConfiguredDestination dest;
    dest.name = python_drivers == 0 ? name
                                    : absl::StrCat(name, "#", python_drivers);
    dest.file = in.filename();
    dest.line = driver.pos.line;
    dest.options.name = dest.name;
    ExplicitOptions explicit_options;
    PYDEST_CFG_RETURN_IF_ERROR(
        ParsePythonBody(in, driver, &dest.options, &explicit_options));
    config_.destinations.push_back(std::move(dest));
    explicit_.push_back(explicit_options);
    python_positions_.push_back(driver.pos);
    ++python_drivers;
  }
}

absl::StatusOr<Config> ConfigParser::Finish() {
  for (const auto& [name, where] : references_) {
    bool defined = false;
    for (const auto& d : defined_) defined = defined || d.first == name;
    if (!defined) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": log path uses destination '", name,
          "', which is not defined"));
    }
    for (const ConfiguredDestination& dest : config_.destinations) {
      bool python = dest.name == name ||
                    dest.name.rfind(absl::StrCat(name, "#"), 0) == 0;
      if (python && std::find(config_.used_in_log_paths.begin(),
                              config_.used_in_log_paths.end(),
                              dest.name) == config_.used_in_log_paths.end()) {
        config_.used_in_log_paths.push_back(dest.name);
      }
    }
  }
  config_.global_code = global_code_;
  config_.global_code_filename = global_code_filename_;
  for (size_t i = 0; i < config_.destinations.size(); ++i) {
    DestinationOptions& options = config_.destinations[i].options;
    options.version = config_.version;
    options.global_code = global_code_;
    options.global_code_filename = global_code_filename_;
    ApplyGlobalDefaults(globals_, explicit_[i], &options);
  }
  // syslog-ng refuses two destinations with the same persist name (spec
  // §9.4): their queues and sequence numbers would collide.
  for (size_t i = 0; i < config_.destinations.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      auto persist = [](const ConfiguredDestination& d) {
        return d.options.persist_name.empty()
                   ? absl::StrCat("python(", d.options.class_name, ")")
                   : d.options.persist_name;
      };
      const ConfiguredDestination& a = config_.destinations[j];
      const ConfiguredDestination& b = config_.destinations[i];
      if (persist(a) == persist(b)) {
        return absl::InvalidArgumentError(absl::StrCat(
            b.file, ":", b.line, ":", python_positions_[i].column,
            ": destinations '", a.name, "' and '",
            b.name, "' have the same persist name '", persist(b),
            "'; give one of them a persist-name()"));
      }
    }
  }
  PYDEST_CFG_RETURN_IF_ERROR(ResolveSources());
  return std::move(config_);
}

}  // namespace config_internal

namespace {

std::vector<std::string> IncludePath(const ConfigReadOptions& options) {
  std::vector<std::string> path = options.include_path;
  if (options.syslog_ng_include_path) {
    for (const char* dir : kSyslogNgIncludePath) {
      std::error_code ec;
      if (std::filesystem::is_directory(dir, ec)) path.emplace_back(dir);
    }
  }
  return path;
}

}  // namespace

absl::StatusOr<Config> ParseConfig(std::string_view text,
                                   std::string_view filename,
                                   const ConfigReadOptions& options) {
  config_internal::ConfigParser parser(IncludePath(options),
                                       options.config_generators,
                                       options.defines);
  PYDEST_CFG_RETURN_IF_ERROR(
      parser.ParseText(std::string(text), std::string(filename)));
  return parser.Finish();
}

absl::StatusOr<Config> ParseConfigFile(const std::string& path,
                                       const ConfigReadOptions& options) {
  PYDEST_CFG_ASSIGN_OR_RETURN(std::string text,
                              config_internal::ReadWholeFile(path));
  return ParseConfig(text, path, options);
}

}  // namespace pydest
