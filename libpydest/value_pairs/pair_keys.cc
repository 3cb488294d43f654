// PairKeys: final key names and cached pair-name decisions.
#include "libpydest/value_pairs/pair_keys.h"

#include <atomic>
#include <mutex>

#include "absl/strings/string_view.h"

namespace pydest::internal {
namespace {

uint64_t SortPrefix(std::string_view name) {
  uint64_t p = 0;
  for (size_t i = 0; i < 8; ++i) {
    p = (p << 8) | (i < name.size() ? static_cast<unsigned char>(name[i]) : 0);
  }
  return p;
}

uint64_t NextId() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

PairKeys::PairKeys(const PairSelection* selection, const RekeyChain* rekey,
                   KeyTable* keys)
    : selection_(selection), rekey_(rekey), keys_(keys), id_(NextId()) {}

KeyRef PairKeys::Final(std::string_view name) const {
  KeyRef ref;
  if (rekey_->empty()) {
    ref.id = keys_->Intern(name);
  } else {
    thread_local std::string renamed;
    rekey_->Apply(name, &renamed);
    ref.id = keys_->Intern(renamed);
  }
  ref.name = keys_->Name(ref.id);
  ref.prefix = SortPrefix(ref.name);
  return ref;
}

bool PairKeys::DecideShared(std::string_view name, Decision* d) const {
  absl::string_view lookup(name.data(), name.size());
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = shared_.find(lookup);
    if (it != shared_.end()) {
      *d = it->second;
      return true;
    }
  }
  d->selected = selection_->SelectsPair(name);
  d->key = d->selected ? Final(name) : KeyRef();
  std::unique_lock<std::shared_mutex> lock(mu_);
  if (shared_.size() >= kMaxCachedNames) return false;
  shared_.emplace(std::string(name), *d);
  return true;
}

bool PairKeys::Decide(std::string_view name, KeyRef* key) const {
  thread_local ThreadDecisions mine;
  Decision d;
  if (mine.owner != id_) {
    if (++mine.others_seen < kTakeOverAfter && mine.owner != 0) {
      DecideShared(name, &d);
      *key = d.key;
      return d.selected;
    }
    mine.decisions.clear();
    mine.owner = id_;
  }
  mine.others_seen = 0;
  absl::string_view lookup(name.data(), name.size());
  auto it = mine.decisions.find(lookup);
  if (it != mine.decisions.end()) {
    *key = it->second.key;
    return it->second.selected;
  }
  bool cached = DecideShared(name, &d);
  // Only names the shared table keeps are kept here, under the same bound.
  if (cached && mine.decisions.size() < kMaxCachedNames) {
    mine.decisions.emplace(std::string(name), d);
  }
  *key = d.key;
  return d.selected;
}

}  // namespace pydest::internal
