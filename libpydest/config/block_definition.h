// syslog-ng's configuration blocks (the SCL's building material):
//
//   block destination kafka(topic() bootstrap-servers("localhost:9092") ...) {
//     ... `topic` ... `__VARARGS__` ...
//   };
//   destination d { kafka(topic("logs") client-id("x")); };
//
// A definition keeps its body as raw text; a use substitutes its arguments
// (or the parameters' defaults) for the backtick references and is read in
// place of the use, as syslog-ng does. What 3.38 does, checked with its
// --preprocess-into:
//   - an argument is the raw text between its parentheses (`"r1"` keeps its
//     quotes); inside a string of the body, an argument that is one string
//     stands for that string's value (escaped again for "...");
//   - a parameter declared with empty parentheses, `name()`, is mandatory;
//   - `...` collects the arguments no parameter names, as `name(value)`
//     text, in `__VARARGS__`; without it they are an error;
//   - a backtick name that is no parameter is an @define, else an
//     environment variable, else empty;
//   - '-' and '_' are the same in parameter names.
//
// Thread-safety: plain data and free functions.
#ifndef LIBPYDEST_CONFIG_BLOCK_DEFINITION_H_
#define LIBPYDEST_CONFIG_BLOCK_DEFINITION_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libpydest/config/token_stream.h"

namespace pydest {
namespace config_internal {

struct BlockParameter {
  std::string name;         // '-' spelling
  std::string default_raw;  // raw text, as written between the parentheses
  bool mandatory = false;   // written `name()`
};

struct BlockDefinition {
  std::string context;  // destination, source, parser, root, ...
  std::string name;     // '-' spelling
  std::vector<BlockParameter> params;
  bool varargs = false;  // `...` in the parameter list
  std::string body;      // raw text between the braces
  Position body_start;   // where the body's text starts
};

// One argument of a use: its name ('-' spelling) and raw text.
using BlockArguments = std::vector<std::pair<std::string, std::string>>;

// After `block`: CONTEXT NAME(PARAMS) { BODY } (the ';' is left to read).
absl::StatusOr<BlockDefinition> ParseBlockDefinition(TokenStream& in);

// After the '(' (`open`) of a use: NAME(RAW) ... up to and including ')'.
absl::StatusOr<BlockArguments> ParseBlockArguments(TokenStream& in,
                                                   const Token& open);

// The body with the arguments of a use substituted. Errors (at `use`): an
// argument no parameter names (without `...`), a mandatory parameter not
// given, and substitution past the budget (`expanded_bytes`, counted
// against kMaxDefineExpansionBytes like @define's).
absl::StatusOr<std::string> ExpandBlock(const BlockDefinition& block,
                                        const BlockArguments& args,
                                        const Defines& defines,
                                        const TokenStream& in,
                                        const Token& use,
                                        size_t* expanded_bytes);

}  // namespace config_internal
}  // namespace pydest

#endif  // LIBPYDEST_CONFIG_BLOCK_DEFINITION_H_
