// PairKeys: the final key of each name value-pairs emits — the name run
// through the rekey() chain and interned — and, for a message's own
// name-value pairs, whether the scopes and key()/exclude() patterns select
// it at all (syslog-ng-behaviour.md §5.4 steps 1 and 4).
//
// Both depend only on the configuration and the name, so a pair name's
// decision is made once and cached: in a table shared by every worker, and
// in a per-thread table in front of it so that the usual lookup takes no
// lock and touches no shared cache line (workers evaluate in parallel).
// Thread-safe.
#ifndef LIBPYDEST_VALUE_PAIRS_PAIR_KEYS_H_
#define LIBPYDEST_VALUE_PAIRS_PAIR_KEYS_H_

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "libpydest/template/pair_selection.h"
#include "libpydest/value_pairs/record.h"
#include "libpydest/value_pairs/rekey.h"

namespace pydest::internal {

// A final key name, interned.
struct KeyRef {
  uint32_t id = 0;
  std::string_view name;  // owned by the KeyTable
  // The first 8 bytes of name, big-endian, zero-padded: comparing prefixes
  // orders names as strcmp does whenever the prefixes differ.
  uint64_t prefix = 0;
};

// strcmp order of two final names.
inline int CompareKeys(const KeyRef& a, const KeyRef& b) {
  if (a.prefix != b.prefix) return a.prefix < b.prefix ? -1 : 1;
  return a.name.compare(b.name);
}

class PairKeys {
 public:
  // `selection`, `rekey` and `keys` must outlive this object.
  PairKeys(const PairSelection* selection, const RekeyChain* rekey,
           KeyTable* keys);
  PairKeys(const PairKeys&) = delete;
  PairKeys& operator=(const PairKeys&) = delete;

  // The final key of `name` (renamed, interned).
  KeyRef Final(std::string_view name) const;

  // Whether the name-value pair `name` is selected; if so its final key
  // goes to *key. Cached per name (at most kMaxCachedNames names, so
  // messages with ever-changing names cannot grow memory).
  bool Decide(std::string_view name, KeyRef* key) const;

  static constexpr size_t kMaxCachedNames = 16384;

  // Names this object (and the configuration it belongs to) in per-thread
  // caches; never reused within the process.
  uint64_t id() const { return id_; }

 private:
  struct Decision {
    bool selected = false;
    KeyRef key;
  };
  using DecisionMap = absl::flat_hash_map<std::string, Decision>;
  // The calling thread's copy of decisions. A thread serves one PairKeys
  // at a time; another one takes the thread over only after the owner has
  // not been seen for a while, so two alternating ones do not thrash.
  struct ThreadDecisions {
    uint64_t owner = 0;
    uint32_t others_seen = 0;
    DecisionMap decisions;
  };
  static constexpr uint32_t kTakeOverAfter = 4096;  // lookups

  bool DecideShared(std::string_view name, Decision* d) const;

  const PairSelection* selection_;
  const RekeyChain* rekey_;
  KeyTable* keys_;
  const uint64_t id_;  // never reused, names this object in ThreadDecisions
  // A shared_mutex: lookups of known names only take it shared.
  mutable std::shared_mutex mu_;
  mutable DecisionMap shared_;  // guarded by mu_
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_VALUE_PAIRS_PAIR_KEYS_H_
