// RekeyChain: value-pairs rekey() transform sets, applied to key names in
// configuration order (syslog-ng-behaviour.md §5.5). Each set tests its
// glob against the name as the earlier sets left it and, on a match,
// applies its transforms in order. Immutable after construction;
// thread-safe.
#ifndef LIBPYDEST_VALUE_PAIRS_REKEY_H_
#define LIBPYDEST_VALUE_PAIRS_REKEY_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "libpydest/template/glob.h"
#include "pydest/value_pairs.h"

namespace pydest::internal {

class RekeyChain {
 public:
  explicit RekeyChain(const std::vector<RekeyRule>& rules);
  bool empty() const { return rules_.empty(); }
  // Writes the final name of `name` to `out`.
  void Apply(std::string_view name, std::string* out) const;

 private:
  std::vector<std::pair<Glob, std::vector<RekeyTransform>>> rules_;
};

// One transform applied to `key` in place.
void ApplyRekeyTransform(const RekeyTransform& t, std::string* key);

}  // namespace pydest::internal

#endif  // LIBPYDEST_VALUE_PAIRS_REKEY_H_
