// Top-level statements of a syslog-ng configuration; see config_parser.h.
// This file reads a file's text statement by statement, dispatching each to
// its reader, and finishes the parse (log path references, global options,
// persist-name clashes). The readers live beside it: pragmas.cc (@version,
// @define, @include), python_code.cc (python {} and config generators),
// block_uses.cc (block definitions and uses, NextDriver), destinations.cc,
// sources.cc and log_path.cc.
#include <algorithm>
#include <filesystem>

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

}  // namespace

absl::Status ConfigParser::ParseText(std::string text,
                                     const std::string& filename) {
  if (text.size() > kMaxConfigFileBytes) {
    return FileTooLarge(filename, text.size());
  }
  TokenStream in(std::move(text), filename, &defines_,
                 &define_expansion_bytes_);
  if (keep_preprocessed_) in.RecordInto(&preprocessed_);
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
  config_.preprocessed = std::move(preprocessed_);
  for (size_t i = 0; i < config_.destinations.size(); ++i) {
    DestinationOptions& options = config_.destinations[i].options;
    options.version = config_.version;
    options.global_code = global_code_;
    options.global_code_filename = global_code_filename_;
    ApplyGlobalDefaults(globals_, explicit_[i], &options);
  }
  // syslog-ng refuses two destinations with the same persist name: their
  // queues and sequence numbers would collide (syslog-ng-behaviour.md §9.4).
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
  if (options.preprocess) parser.KeepPreprocessed();
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
