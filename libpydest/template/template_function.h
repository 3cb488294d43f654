// Template functions ($(echo ...), $(if ...), $(format-json ...), $(md5
// ...), the list-* family, ...; docs/compatibility.md lists them): their
// parsed arguments and the factory that compiles a call. Private to the
// template layer.
// A compiled function is immutable; Call is thread-safe.
#ifndef LIBPYDEST_TEMPLATE_TEMPLATE_FUNCTION_H_
#define LIBPYDEST_TEMPLATE_TEMPLATE_FUNCTION_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "libpydest/message/macros.h"
#include "libpydest/template/template.h"
#include "pydest/message.h"

namespace pydest::internal {

// One argument of a function call as written: a bare word, a quoted
// string (quotes removed, escapes decoded) or a parenthesised group.
struct FunctionArg {
  enum class Kind { kWord, kQuoted, kGroup };
  Kind kind = Kind::kWord;
  std::string text;               // kWord / kQuoted
  std::vector<FunctionArg> group;  // kGroup
  size_t offset = 0;              // where it starts in the template source
};

// Where a call sits, for error messages ("template '...': column N: ...").
struct CallSite {
  std::string_view source;  // the whole template text
  size_t offset = 0;        // of the "$(" of the call
  int depth = 1;            // calls and groups open around the arguments
};

absl::Status TemplateError(std::string_view source, size_t offset,
                           std::string_view what);

// Compiles a fragment of `site.source` (an argument) as a template; errors
// carry columns in the whole source (approximate inside quoted strings).
absl::StatusOr<std::shared_ptr<const Template>> CompileArgument(
    const FunctionArg& arg, const CallSite& site);

class TemplateFunction {
 public:
  virtual ~TemplateFunction() = default;
  virtual void Call(const Message& msg, const MacroContext& ctx,
                    std::string* out) const = 0;
};

// The function `name` with `args`, looked up in the registry of
// template_function.cc; InvalidArgument naming an unknown function (with a
// "did you mean" for a close name) or a bad argument.
absl::StatusOr<std::unique_ptr<TemplateFunction>> CompileTemplateFunction(
    std::string_view name, const std::vector<FunctionArg>& args,
    const CallSite& site);

// $(if ...), in if_function.cc.
absl::StatusOr<std::unique_ptr<TemplateFunction>> CompileIfFunction(
    const std::vector<FunctionArg>& args, const CallSite& site);

// $(format-json ...), in format_json.cc.
absl::StatusOr<std::unique_ptr<TemplateFunction>> CompileFormatJson(
    const std::vector<FunctionArg>& args, const CallSite& site);

}  // namespace pydest::internal

#endif  // LIBPYDEST_TEMPLATE_TEMPLATE_FUNCTION_H_
