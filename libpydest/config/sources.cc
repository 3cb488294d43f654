// source NAME { ... }; statements: the file() and stdin() drivers pydest
// reads by itself (with the flags and keep-hostname() that change how a line
// becomes a message), source blocks expanded, every other driver a note;
// and, at the end, which python() destinations each source reaches.
#include <algorithm>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "libpydest/config/config_parser.h"

namespace pydest {
namespace config_internal {

absl::Status ConfigParser::ParseSourceBody(TokenStream& in,
                                           const std::string& name,
                                           const Token& open) {
  Token driver, paren;
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(
        bool more, NextDriver(in, open, "source", &driver, &paren));
    if (!more) return absl::OkStatus();
    const std::string canonical = CanonicalName(driver.text);
    if (canonical == "python" || canonical == "python-fetcher") {
      // LogSource/LogFetcher classes import, but libpydest runs python()
      // destinations only: an error if this source feeds one.
      python_sources_.emplace_back(
          name, absl::StrCat(WhereText(in.filename(), driver.pos), ": ",
                             driver.text, "()"));
      PYDEST_CFG_RETURN_IF_ERROR(in.SkipBalanced(paren));
      continue;
    }
    if (canonical == "file" || canonical == "stdin") {
      PYDEST_CFG_RETURN_IF_ERROR(ParseSourceDriver(in, name, driver));
      continue;
    }
    PYDEST_CFG_ASSIGN_OR_RETURN(
        bool generated, TryConfigGenerator(in, "source", driver, paren));
    if (!generated) {
      config_.notes.push_back(absl::StrCat(
          WhereText(in.filename(), driver.pos), ": source ", name, ": ",
          driver.text, "() is not read by pydest (only file() and stdin() are)"));
    }
  }
}

absl::Status ConfigParser::ParseSourceDriver(TokenStream& in,
                                             const std::string& name,
                                             const Token& driver) {
  ConfiguredSource source;
  source.name = name;
  source.file = in.filename();
  source.line = driver.pos.line;
  const bool is_file = CanonicalName(driver.text) == "file";
  source.driver = is_file ? ConfiguredSource::Driver::kFile
                          : ConfiguredSource::Driver::kStdin;
  if (is_file) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token path, in.Next());
    if (path.kind != TokenKind::kString && path.kind != TokenKind::kWord) {
      return in.ErrorAt(path.pos, absl::StrCat("file() expects a file name, "
                                               "got ",
                                               DescribeToken(path)));
    }
    source.path = path.text;
  }
  std::optional<bool> keep_hostname;
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token option, in.Next());
    if (option.kind == TokenKind::kRParen) break;
    if (option.kind != TokenKind::kWord) {
      return in.ErrorAt(option.pos,
                        absl::StrCat("expected an option of ", driver.text,
                                     "(), got ", DescribeToken(option)));
    }
    PYDEST_CFG_ASSIGN_OR_RETURN(
        Token open,
        in.Expect(TokenKind::kLParen,
                  absl::StrCat("'(' after '", option.text, "'")));
    const std::string canonical = CanonicalName(option.text);
    if (canonical == "flags") {
      PYDEST_CFG_ASSIGN_OR_RETURN(std::vector<std::string> flags,
                                  in.ReadStringListArg("flags()"));
      for (const std::string& flag : flags) {
        const std::string f = CanonicalName(flag);
        if (f == "syslog-protocol") source.format = InputFormat::kRfc5424;
        if (f == "no-parse") source.format = InputFormat::kNoParse;
      }
    } else if (canonical == "keep-hostname") {
      PYDEST_CFG_ASSIGN_OR_RETURN(keep_hostname,
                                  in.ReadBoolArg("keep-hostname()"));
    } else if (canonical == "follow-freq") {
      // Seconds, a fraction allowed (syslog-ng: follow-freq(0.5)).
      PYDEST_CFG_ASSIGN_OR_RETURN(Token value, in.Next());
      char* end = nullptr;
      const double seconds =
          IsScalar(value) && !value.text.empty()
              ? std::strtod(value.text.c_str(), &end)
              : -1;
      if (end == nullptr || *end != '\0' ||
          !(seconds >= 0 && seconds <= 86400)) {
        return in.ErrorAt(value.pos,
                          absl::StrCat("follow-freq() expects seconds from 0 "
                                       "to 86400, got ",
                                       DescribeToken(value)));
      }
      PYDEST_CFG_RETURN_IF_ERROR(
          in.Expect(TokenKind::kRParen, "')' to close follow-freq()")
              .status());
      source.follow_freq = absl::Seconds(seconds);
    } else {
      // program-override(), encoding(), ...: not used.
      PYDEST_CFG_RETURN_IF_ERROR(in.SkipBalanced(open));
    }
  }
  pending_sources_.emplace_back(std::move(source), keep_hostname);
  return absl::OkStatus();
}

absl::Status ConfigParser::ParseParserBody(TokenStream& in,
                                           const std::string& name,
                                           const Token& open) {
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token token, in.Next());
    switch (token.kind) {
      case TokenKind::kRBrace:
        return absl::OkStatus();
      case TokenKind::kEnd:
        return in.ErrorAt(token.pos,
                          absl::StrCat("unexpected end of file; missing '}' "
                                       "to close '{' opened at ",
                                       WhereText(in.filename(), open.pos)));
      case TokenKind::kLParen:
      case TokenKind::kLBrace:
      case TokenKind::kLBracket:
        PYDEST_CFG_RETURN_IF_ERROR(in.SkipBalanced(token));
        break;
      case TokenKind::kWord:
        if (CanonicalName(token.text) == "python") {
          PYDEST_CFG_ASSIGN_OR_RETURN(Token peek, in.Peek());
          if (peek.kind == TokenKind::kLParen) {
            python_parsers_.emplace_back(
                name, absl::StrCat(WhereText(in.filename(), token.pos),
                                   ": python()"));
          }
        }
        break;
      default:
        break;
    }
  }
}

// Whether `destination` (a log path's name) is, or holds, a python()
// destination of the configuration.
static bool IsPythonDestination(const Config& config,
                                const std::string& destination) {
  for (const ConfiguredDestination& d : config.destinations) {
    if (d.name == destination || d.name.rfind(destination + "#", 0) == 0) {
      return true;
    }
  }
  return false;
}

absl::Status ConfigParser::ResolveSources() {
  // What libpydest cannot run must not silently feed a destination it runs.
  for (const auto& [name, where] : python_sources_) {
    for (const auto& [from, to] : routes_) {
      if (from == name && IsPythonDestination(config_, to)) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": source ", name, " is a Python source (LogSource/"
            "LogFetcher), which libpydest does not run (it hosts python() "
            "destinations); it feeds python() destination '", to,
            "'. Read its input with a file() or stdin() source instead"));
      }
    }
  }
  for (const auto& [name, where] : python_parsers_) {
    for (const auto& [parser, to] : parser_routes_) {
      if (parser == name && IsPythonDestination(config_, to)) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": parser ", name, " is a Python parser (LogParser), "
            "which libpydest does not run; it is in the log path of python() "
            "destination '", to, "'"));
      }
    }
  }
  for (auto& [source, keep_hostname] : pending_sources_) {
    for (const auto& [from, to] : routes_) {
      if (from != source.name) continue;
      // NAME and its further python() drivers NAME#1, ...
      for (const ConfiguredDestination& d : config_.destinations) {
        bool reached = d.name == to || d.name.rfind(to + "#", 0) == 0;
        if (reached && std::find(source.destinations.begin(),
                                 source.destinations.end(),
                                 d.name) == source.destinations.end()) {
          source.destinations.push_back(d.name);
        }
      }
    }
    if (source.destinations.empty()) continue;
    source.keep_hostname = keep_hostname.has_value()
                               ? *keep_hostname
                               : globals_.keep_hostname.value_or(false);
    config_.sources.push_back(std::move(source));
  }
  return absl::OkStatus();
}

}  // namespace config_internal
}  // namespace pydest
