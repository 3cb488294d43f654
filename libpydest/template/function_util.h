// Helpers shared by the template functions: compiling and evaluating the
// arguments, GOption-style "--name value" options, syslog-ng's list
// encoding ("a,b,\"c d\"") and the name -> factory registry. Private to the
// template layer; everything here is immutable after compile and
// thread-safe.
#ifndef LIBPYDEST_TEMPLATE_FUNCTION_UTIL_H_
#define LIBPYDEST_TEMPLATE_FUNCTION_UTIL_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "libpydest/template/template_function.h"

namespace pydest::internal {

using TemplatePtr = std::shared_ptr<const Template>;
using FunctionResult = absl::StatusOr<std::unique_ptr<TemplateFunction>>;
// Compiles a call of the function `name` (one factory may serve several
// names, e.g. the hashes).
using FunctionFactory = FunctionResult (*)(std::string_view name,
                                           const std::vector<FunctionArg>& args,
                                           const CallSite& site);

struct FunctionEntry {
  std::string_view name;
  FunctionFactory factory;
};

// The entries each family file contributes to the registry.
std::vector<FunctionEntry> StringFunctions();    // string_functions.cc
std::vector<FunctionEntry> HashFunctions();      // hash_functions.cc
std::vector<FunctionEntry> EncodingFunctions();  // encoding_functions.cc
std::vector<FunctionEntry> ListFunctions();      // list_functions.cc
std::vector<FunctionEntry> NumericFunctions();   // numeric_functions.cc
std::vector<FunctionEntry> JsonFunctions();      // format_json.cc
std::vector<FunctionEntry> KvFunctions();        // format_kv.cc
std::vector<FunctionEntry> MiscFunctions();      // misc_functions.cc

// "template '...': column N: $(fn): what".
absl::Status FunctionError(const CallSite& site, size_t offset,
                           std::string_view fn, std::string_view what);

// Every argument compiled as a template; a parenthesised group is an error.
absl::StatusOr<std::vector<TemplatePtr>> CompileArgs(
    const std::vector<FunctionArg>& args, const CallSite& site,
    std::string_view fn);

// The arguments' expansions for `msg`.
std::vector<std::string> EvalArgs(const std::vector<TemplatePtr>& args,
                                  const Message& msg, const MacroContext& ctx);

// A function whose result depends only on its arguments' expansions (most
// of syslog-ng's "simple" functions): `apply` gets them and appends.
using ApplyFn =
    std::function<void(std::vector<std::string>& values, std::string* out)>;
std::unique_ptr<TemplateFunction> MakeSimpleFunction(
    std::vector<TemplatePtr> args, ApplyFn apply);

// GOption-style options before or among the positional arguments:
// "--length 8", "--length=8", "-l 8". `spec` lists the options; a word
// starting with '-' that is no known option stays positional (so "-5" and
// "-" remain values). Options that take no value get "" in *values.
struct OptionSpec {
  std::string_view long_name;  // "length" for --length
  char short_name = 0;         // 'l' for -l; 0 = none
  bool takes_value = true;
};
struct ParsedOptions {
  std::vector<std::pair<std::string, std::string>> options;  // (long, value)
  std::vector<FunctionArg> positional;
  // The value of the last occurrence of `long_name`, or nullptr.
  const std::string* Get(std::string_view long_name) const;
};
absl::StatusOr<ParsedOptions> ParseOptions(
    const std::vector<FunctionArg>& args, const std::vector<OptionSpec>& spec,
    const CallSite& site, std::string_view fn);

// syslog-ng's list representation. Decoding: comma-separated elements,
// each bare or quoted ("..." or '...', backslash escapes decoded); an empty
// bare element is skipped, an empty quoted one ("") kept. Encoding: a bare element when it needs no quoting,
// otherwise double quotes (single quotes when it holds '"' and no '\'').
void AppendListElements(std::string_view list, std::vector<std::string>* out);
void AppendListElement(std::string_view element, std::string* list);

}  // namespace pydest::internal

#endif  // LIBPYDEST_TEMPLATE_FUNCTION_UTIL_H_
