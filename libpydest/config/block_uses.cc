// Blocks in use: `block CONTEXT NAME(...) { ... };` definitions kept by
// (context, name), a use of one read as its expansion in place (root blocks
// where statements stand, destination and source blocks where their drivers
// stand, through NextDriver), and PushExpansion, which config generators'
// text goes through too. Parsing a definition and expanding its text are
// block_definition.cc's.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libpydest/config/config_parser.h"
#include "pydest/limits.h"

namespace pydest {
namespace config_internal {

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
  // In a recording the use gives way to its expansion.
  const std::string banner =
      absl::StrCat(what, " used at ", WhereText(in.filename(), use.pos));
  in.TakeRecordedSince(use);
  auto source = std::make_shared<SourceInfo>();
  source->filename = filename;
  source->how = absl::StrCat("in ", what, " used at");
  source->from = use.pos;
  source->include_depth = here != nullptr ? here->include_depth : 0;
  source->block_depth = (here != nullptr ? here->block_depth : 0) + 1;
  start.source = source;
  in.Push(std::move(text), source, start, banner);
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

}  // namespace config_internal
}  // namespace pydest
