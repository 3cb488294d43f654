// PairCollector: step 1 of value-pairs (syslog-ng-behaviour.md §5.4) — a
// message's selected name-value pairs (built-in ones, the others, SD params
// as ".SDATA.<id>.<param>"), their values copied into the Record's buffer,
// in key order, ready to be merged with the macros and pair()s.
//
// Messages of one stream tend to carry the same pair names in the same
// order, so each thread remembers the last message's names with their
// decisions (a name equal to the one at its position needs no lookup) and
// the keys it took with their key order (the same keys in the same order
// need no sort). Immutable after construction; thread-safe.
#ifndef LIBPYDEST_VALUE_PAIRS_PAIR_COLLECTOR_H_
#define LIBPYDEST_VALUE_PAIRS_PAIR_COLLECTOR_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "libpydest/message/message_rep.h"
#include "libpydest/template/pair_selection.h"
#include "libpydest/value_pairs/pair_keys.h"

namespace pydest::internal {

// One selected name-value pair of a message.
struct CollectedPair {
  KeyRef key;
  uint32_t order;   // production order: later wins on equal names
  uint32_t offset;  // of the value in Record::buffer
  uint32_t size;
};

class PairCollector {
 public:
  // `selection` and `keys` must outlive this object. With `omit_empty`
  // (omit-empty-values) empty values are left out, otherwise kept.
  PairCollector(const PairSelection* selection, const PairKeys* keys,
                bool omit_empty);

  // Appends the selected pairs' values of `rep` to `buf` and sets `pairs`
  // to them in strcmp order of their final keys (production order among
  // equal keys).
  void Collect(const MessageRep& rep, std::string* buf,
               std::vector<CollectedPair>* pairs) const;

 private:
  struct BuiltinDecision {
    bool selected = false;
    KeyRef key;
  };

  const PairKeys* keys_;
  bool omit_empty_;
  std::array<BuiltinDecision, kBuiltinPairCount> builtin_;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_VALUE_PAIRS_PAIR_COLLECTOR_H_
