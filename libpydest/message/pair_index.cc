#include "libpydest/message/pair_index.h"

#include "absl/strings/string_view.h"

namespace pydest::internal {

size_t PairIndex::Find(const Pairs& pairs, std::string_view name) {
  if (pairs.size() < kIndexFrom) {
    for (size_t i = 0; i < pairs.size(); ++i) {
      if (pairs[i].first == name) return i;
    }
    return pairs.size();
  }
  for (; indexed_ < pairs.size(); ++indexed_) {
    // The first of equal names wins, as the scan above would find it.
    positions_.try_emplace(pairs[indexed_].first, indexed_);
  }
  // Debian's abseil has a string_view of its own.
  auto it = positions_.find(absl::string_view(name.data(), name.size()));
  return it == positions_.end() ? pairs.size() : it->second;
}

}  // namespace pydest::internal
