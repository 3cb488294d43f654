// PairCollector: a message's selected name-value pairs, in key order.
#include "libpydest/value_pairs/pair_collector.h"

#include <algorithm>
#include <string_view>

namespace pydest::internal {
namespace {

// A thread's memory of the last message Collect saw for the PairKeys (so
// the configuration) `owner` (PairKeys::id()).
struct PairsMemo {
  uint64_t owner = 0;
  struct Name {
    bool sd = false;     // an SD param: name is the SD-ID
    std::string name;
    std::string param;   // sd only
    bool selected = false;
    KeyRef key;
  };
  std::vector<Name> names;  // [0, name_count) are current
  size_t name_count = 0;
  std::vector<uint32_t> taken_keys;  // key ids taken, production order
  std::vector<uint32_t> key_order;   // their production indices in key order
};

bool CollectedPairLess(const CollectedPair& a, const CollectedPair& b) {
  int c = CompareKeys(a.key, b.key);
  return c != 0 ? c < 0 : a.order < b.order;
}

}  // namespace

PairCollector::PairCollector(const PairSelection* selection,
                             const PairKeys* keys, bool omit_empty)
    : keys_(keys), omit_empty_(omit_empty) {
  // The built-in pairs' decisions are made here, once.
  for (int i = 0; i < kBuiltinPairCount; ++i) {
    builtin_[i].selected = selection->SelectsPair(kBuiltinPairNames[i]);
    if (builtin_[i].selected) {
      builtin_[i].key = keys->Final(kBuiltinPairNames[i]);
    }
  }
}

void PairCollector::Collect(const MessageRep& rep, std::string* buf,
                            std::vector<CollectedPair>* pairs) const {
  thread_local PairsMemo memo;
  if (memo.owner != keys_->id()) {
    memo.owner = keys_->id();
    memo.name_count = 0;
    memo.taken_keys.clear();
    memo.key_order.clear();
  }
  thread_local std::vector<CollectedPair> taken;
  taken.clear();
  auto take = [&](const KeyRef& key, std::string_view value) {
    if (omit_empty_ && value.empty()) return;
    CollectedPair& p = taken.emplace_back();
    p.key = key;
    p.order = static_cast<uint32_t>(taken.size() - 1);
    p.offset = static_cast<uint32_t>(buf->size());
    p.size = static_cast<uint32_t>(value.size());
    buf->append(value.data(), value.size());
  };
  // The built-in pairs' decisions were made at compile time.
  for (int i = 0; i < kBuiltinPairCount; ++i) {
    if (!rep.has_builtin(static_cast<BuiltinPair>(i)) ||
        !builtin_[i].selected) {
      continue;
    }
    take(builtin_[i].key, rep.builtin[i]);
  }
  // Other pairs by name; SD params as ".SDATA.<id>.<param>".
  size_t pos = 0;
  auto decide = [&](std::string_view name, std::string_view param,
                    bool sd) -> const PairsMemo::Name& {
    if (pos < memo.name_count) {
      const PairsMemo::Name& n = memo.names[pos];
      if (n.sd == sd && n.name == name && n.param == param) {
        ++pos;
        return n;
      }
    }
    if (pos == memo.names.size()) memo.names.emplace_back();
    PairsMemo::Name& n = memo.names[pos++];
    memo.name_count = pos;  // later positions are stale now
    n.sd = sd;
    n.name.assign(name.data(), name.size());
    n.param.assign(param.data(), param.size());
    if (sd) {
      thread_local std::string sd_name;
      sd_name.assign(kSdataPrefix.data(), kSdataPrefix.size());
      sd_name.append(name).append(".").append(param);
      n.selected = keys_->Decide(sd_name, &n.key);
    } else {
      n.selected = keys_->Decide(name, &n.key);
    }
    return n;
  };
  for (const auto& [name, value] : rep.pairs) {
    const PairsMemo::Name& n = decide(name, {}, false);
    if (n.selected) take(n.key, value);
  }
  for (const SdElement& e : rep.sd) {
    for (const auto& [param, value] : e.params) {
      const PairsMemo::Name& n = decide(e.id, param, true);
      if (n.selected) take(n.key, value);
    }
  }
  memo.name_count = pos;

  bool same_keys = taken.size() == memo.taken_keys.size();
  for (size_t i = 0; same_keys && i < taken.size(); ++i) {
    same_keys = taken[i].key.id == memo.taken_keys[i];
  }
  if (same_keys) {
    pairs->resize(taken.size());
    for (size_t i = 0; i < taken.size(); ++i) {
      (*pairs)[i] = taken[memo.key_order[i]];
    }
    return;
  }
  memo.taken_keys.resize(taken.size());
  for (size_t i = 0; i < taken.size(); ++i) {
    memo.taken_keys[i] = taken[i].key.id;
  }
  pairs->assign(taken.begin(), taken.end());
  std::sort(pairs->begin(), pairs->end(), CollectedPairLess);
  memo.key_order.resize(taken.size());
  for (size_t i = 0; i < pairs->size(); ++i) {
    memo.key_order[i] = (*pairs)[i].order;
  }
}

}  // namespace pydest::internal
