#include "libpydest/config/dead_letter_parser.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libpydest/config/diagnostics.h"
#include "pydest/destination_options.h"

namespace pydest {
namespace config_internal {

absl::Status ParseDeadLetterBody(TokenStream& in, const Token& keyword,
                                 DeadLetterSpec* out,
                                 ExplicitOptions* explicit_options) {
  static const std::vector<std::string_view> kKinds = {"file", "python"};
  PYDEST_CFG_ASSIGN_OR_RETURN(Token kind, in.Next());
  if (kind.kind == TokenKind::kRParen) {
    return in.ErrorAt(kind.pos,
                      "dead-letter() needs file(\"PATH\") or python(...)");
  }
  if (kind.kind != TokenKind::kWord ||
      (kind.text != "file" && kind.text != "python")) {
    return in.ErrorAt(
        kind.pos,
        absl::StrCat("dead-letter() takes file(\"PATH\") or python(...); got ",
                     DescribeToken(kind),
                     kind.kind == TokenKind::kWord
                         ? DidYouMean(kind.text, kKinds)
                         : std::string()));
  }
  PYDEST_CFG_RETURN_IF_ERROR(
      in.Expect(TokenKind::kLParen, absl::StrCat("'(' after '", kind.text, "'"))
          .status());
  *out = DeadLetterSpec();
  if (kind.text == "file") {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token value, in.Peek());
    PYDEST_CFG_ASSIGN_OR_RETURN(out->file, in.ReadStringArg("file()"));
    if (out->file.empty()) {
      return in.ErrorAt(value.pos, "file() must name a file");
    }
  } else {
    auto second = std::make_shared<DestinationOptions>();
    *explicit_options = ExplicitOptions();
    PYDEST_CFG_RETURN_IF_ERROR(ParsePythonBody(in, kind, second.get(),
                                               explicit_options,
                                               /*until_end=*/false,
                                               /*in_dead_letter=*/true));
    out->python = std::move(second);
  }
  PYDEST_CFG_ASSIGN_OR_RETURN(Token close, in.Next());
  if (close.kind != TokenKind::kRParen) {
    return in.ErrorAt(
        close.pos,
        absl::StrCat("dead-letter() takes one of file() or python(); "
                     "expected ')' to close dead-letter( opened at ",
                     keyword.pos.line, ":", keyword.pos.column, ", got ",
                     DescribeToken(close)));
  }
  return absl::OkStatus();
}

}  // namespace config_internal
}  // namespace pydest
