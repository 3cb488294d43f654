// Parser for dead-letter(...) inside python(): `file("PATH")` or
// `python(class(...) ...)` (include/pydest/dead_letter_spec.h says what each
// does). The python() inside takes every python() option but dead-letter().
//
// Thread-safety: a stateless function.
#ifndef LIBPYDEST_CONFIG_DEAD_LETTER_PARSER_H_
#define LIBPYDEST_CONFIG_DEAD_LETTER_PARSER_H_

#include "absl/status/status.h"
#include "libpydest/config/python_options_parser.h"
#include "libpydest/config/token_stream.h"
#include "pydest/dead_letter_spec.h"

namespace pydest {
namespace config_internal {

// Reads what follows dead-letter's '(' up to and including its ')'.
// `explicit_options` receives which inheritable options a python() inside
// set itself (ApplyGlobalDefaults fills the others later).
absl::Status ParseDeadLetterBody(TokenStream& in, const Token& keyword,
                                 DeadLetterSpec* out,
                                 ExplicitOptions* explicit_options);

}  // namespace config_internal
}  // namespace pydest

#endif  // LIBPYDEST_CONFIG_DEAD_LETTER_PARSER_H_
