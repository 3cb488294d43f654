// log { ... }; paths: which destinations they send to (syslog-ng: a python()
// destination that no log path uses receives nothing). Nested log,
// junction, channel and if/elif/else blocks are walked; inline
// `destination { python(...); };` blocks define anonymous destinations.
#include <vector>

#include "absl/strings/str_cat.h"
#include "libpydest/config/config_parser.h"

namespace pydest {
namespace config_internal {
namespace {

bool IsInlineObject(const std::string& keyword) {
  return keyword == "filter" || keyword == "rewrite";
}

// After `destination(`, `source(` or `parser(` in a log path: the names up
// to and including ')', each a word or a string.
absl::StatusOr<std::vector<Token>> ReadNames(TokenStream& in,
                                             const std::string& what) {
  std::vector<Token> names;
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token name, in.Next());
    if (name.kind == TokenKind::kRParen) return names;
    if (name.kind != TokenKind::kWord && name.kind != TokenKind::kString) {
      return in.ErrorAt(name.pos, absl::StrCat("expected a ", what,
                                               " name, got ",
                                               DescribeToken(name)));
    }
    names.push_back(std::move(name));
  }
}

}  // namespace

absl::Status ConfigParser::ParseLogBlock(TokenStream& in, const Token& open,
                                         int depth) {
  if (depth > kMaxConfigNesting) return in.NestingError(open);
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token token, in.Next());
    switch (token.kind) {
      case TokenKind::kRBrace:
        return absl::OkStatus();
      case TokenKind::kEnd:
        return in.ErrorAt(token.pos,
                          absl::StrCat("unexpected end of file; missing '}' "
                                       "to close '{' opened at ",
                                       open.pos.line, ":", open.pos.column));
      case TokenKind::kLBrace:
        PYDEST_CFG_RETURN_IF_ERROR(ParseLogBlock(in, token, depth + 1));
        continue;
      case TokenKind::kLParen:
      case TokenKind::kLBracket:
        PYDEST_CFG_RETURN_IF_ERROR(in.SkipBalanced(token));
        continue;
      case TokenKind::kRParen:
      case TokenKind::kRBracket:
        return in.ErrorAt(token.pos,
                          absl::StrCat("unexpected '", token.text,
                                       "'; expected '}' to close '{' opened "
                                       "at ",
                                       open.pos.line, ":", open.pos.column));
      case TokenKind::kWord:
        break;
      default:
        continue;  // ';' and the words of if/elif/else
    }
    std::string keyword = CanonicalName(token.text);
    PYDEST_CFG_ASSIGN_OR_RETURN(Token next, in.Peek());
    if (next.kind == TokenKind::kLParen &&
        (keyword == "destination" || keyword == "source" ||
         keyword == "parser")) {
      PYDEST_CFG_RETURN_IF_ERROR(in.Next().status());
      PYDEST_CFG_ASSIGN_OR_RETURN(std::vector<Token> names,
                                  ReadNames(in, keyword));
      for (const Token& name : names) {
        if (keyword == "destination") {
          references_.emplace_back(name.text,
                                   WhereText(in.filename(), name.pos));
          path_destinations_.push_back(name.text);
        } else if (keyword == "source") {
          path_sources_.push_back(name.text);
        } else {
          path_parsers_.push_back(name.text);
        }
      }
    } else if (keyword == "parser" && next.kind == TokenKind::kLBrace) {
      PYDEST_CFG_ASSIGN_OR_RETURN(Token brace, in.Next());
      std::string name = absl::StrCat("#anon-parser", anonymous_parsers_++);
      path_parsers_.push_back(name);
      PYDEST_CFG_RETURN_IF_ERROR(ParseParserBody(in, name, brace));
    } else if (keyword == "source" && next.kind == TokenKind::kLBrace) {
      PYDEST_CFG_ASSIGN_OR_RETURN(Token brace, in.Next());
      // syslog-ng names inline sources "#anon-source<N>".
      std::string name = absl::StrCat("#anon-source", anonymous_sources_++);
      path_sources_.push_back(name);
      PYDEST_CFG_RETURN_IF_ERROR(ParseSourceBody(in, name, brace));
    } else if (keyword == "destination" && next.kind == TokenKind::kLBrace) {
      PYDEST_CFG_ASSIGN_OR_RETURN(Token brace, in.Next());
      // syslog-ng names inline destinations "#anon-destination<N>".
      std::string name =
          absl::StrCat("#anon-destination", anonymous_destinations_++);
      std::string where = absl::StrCat(in.filename(), ":", token.pos.line,
                                       ":", token.pos.column);
      defined_.emplace_back(name, where);
      references_.emplace_back(name, where);
      path_destinations_.push_back(name);
      PYDEST_CFG_RETURN_IF_ERROR(ParseDestinationBody(in, name, brace));
    } else if (IsInlineObject(keyword) && next.kind == TokenKind::kLBrace) {
      PYDEST_CFG_ASSIGN_OR_RETURN(Token brace, in.Next());
      PYDEST_CFG_RETURN_IF_ERROR(in.SkipBalanced(brace));
    }
    // Anything else (source(s), flags(final), log/junction/channel/if { })
    // is handled by the bracket cases above on the next iteration.
  }
}

}  // namespace config_internal
}  // namespace pydest
