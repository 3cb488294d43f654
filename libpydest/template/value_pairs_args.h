// The value-pairs options of $(format-json), $(format-flat-json),
// $(format-welf) and $(format-cef-extension): --scope, --key, --exclude,
// --pair NAME=VALUE (also bare NAME=VALUE), --subkeys PREFIX,
// --omit-empty-values, --leave-initial-dot; and the pairs they select for
// a message. A pair's VALUE may carry a type hint: int(...), int32(...),
// int64(...), double(...), boolean(...), list(...), json(...),
// literal(...), string(...). Immutable after parsing; thread-safe.
#ifndef LIBPYDEST_TEMPLATE_VALUE_PAIRS_ARGS_H_
#define LIBPYDEST_TEMPLATE_VALUE_PAIRS_ARGS_H_

#include <string>
#include <vector>

#include "libpydest/template/function_util.h"
#include "libpydest/template/pair_selection.h"

namespace pydest::internal {

enum class ValueType { kString, kInteger, kDouble, kBoolean, kList, kJson,
                       kLiteral };

struct PairValue {
  std::string name;
  std::string value;
  ValueType type = ValueType::kString;
};

class ValuePairsArgs {
 public:
  // The selected pairs and macros (with a non-empty value), then the
  // --pair entries, in that order (later ones win on equal names). With
  // --subkeys the names are the rest after the prefix.
  std::vector<PairValue> Collect(const Message& msg,
                                 const MacroContext& ctx) const;
  // Scopes used when no option was given at all.
  void SetDefaultScopes(uint32_t scopes);

  bool omit_empty = false;
  bool leave_initial_dot = false;

 private:
  friend absl::StatusOr<ValuePairsArgs> ParseValuePairsArgs(
      const std::vector<FunctionArg>& args, const CallSite& site,
      std::string_view fn);
  struct Pair {
    std::string name;
    TemplatePtr value;
    ValueType type;
  };
  uint32_t scopes_ = 0;
  std::vector<KeyPattern> patterns_;
  std::vector<std::string> subkeys_;
  std::vector<Pair> pairs_;
  std::shared_ptr<const PairSelection> selection_;
};

absl::StatusOr<ValuePairsArgs> ParseValuePairsArgs(
    const std::vector<FunctionArg>& args, const CallSite& site,
    std::string_view fn);

}  // namespace pydest::internal

#endif  // LIBPYDEST_TEMPLATE_VALUE_PAIRS_ARGS_H_
