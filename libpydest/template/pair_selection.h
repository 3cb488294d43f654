// PairSelection: which name-value pairs and macros a value-pairs scope()
// plus key()/exclude() patterns select (syslog-ng-behaviour.md §5.3 and
// §5.4 steps 1-2). Shared by the python destination's value-pairs() and the
// $(format-json) template function. Immutable after construction;
// thread-safe.
#ifndef LIBPYDEST_TEMPLATE_PAIR_SELECTION_H_
#define LIBPYDEST_TEMPLATE_PAIR_SELECTION_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "libpydest/message/macros.h"
#include "libpydest/template/glob.h"
#include "pydest/value_pairs.h"

namespace pydest::internal {

class PairSelection {
 public:
  PairSelection(uint32_t scopes, const std::vector<KeyPattern>& patterns);

  // Step 1: whether the set name-value pair `name` is selected: the scope
  // decides first (nv-pairs: no leading dot; dot-nv-pairs: leading dot;
  // sdata/rfc5424: .SDATA.*), then every matching key()/exclude() pattern
  // overrides it, in configuration order.
  bool SelectsPair(std::string_view name) const;

  // Whether step 1 runs at all: a pair scope or any pattern is configured.
  bool walks_pairs() const { return walks_pairs_; }

  // Step 2: the macros to expand, deduplicated, in a fixed order: the
  // all-macros table filtered by the patterns (starting from "excluded"),
  // then the scope sets (rfc3164 set, MSGID, TAGS SOURCEIP SEQNUM, all
  // macros) starting from "included" so exclude() can remove them. PROGRAM,
  // PID and MSGID of the scope sets are pair-only names here. Entries whose
  // value is empty are left out when evaluated.
  const std::vector<MacroId>& macros() const { return macros_; }

  // Calls fn(name, value, is_macro) for every selected pair, then every
  // selected macro with a non-empty value. `scratch` holds macro values
  // (the view passed to fn is valid during the call only).
  template <typename Fn>
  void ForEach(const Message& msg, const MacroContext& ctx,
               std::string* scratch, Fn&& fn) const {
    if (walks_pairs_) {
      msg.ForEachPair([&](std::string_view name, std::string_view value) {
        if (SelectsPair(name)) fn(name, value, false);
      });
    }
    for (MacroId id : macros_) {
      scratch->clear();
      AppendMacro(id, msg, ctx, scratch);
      if (!scratch->empty()) fn(MacroName(id), std::string_view(*scratch), true);
    }
  }

 private:
  // Last matching pattern decides; `initial` when none matches.
  bool Decide(std::string_view name, bool initial) const;

  uint32_t scopes_;
  std::vector<std::pair<bool, Glob>> patterns_;  // (include, glob)
  bool walks_pairs_;
  std::vector<MacroId> macros_;
};

// "nv-pairs", "rfc5424", "core", ... -> Scope bits; false when unknown.
// "none" gives 0.
bool ParseScopeName(std::string_view name, uint32_t* bits);

}  // namespace pydest::internal

#endif  // LIBPYDEST_TEMPLATE_PAIR_SELECTION_H_
