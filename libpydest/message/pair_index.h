// PairIndex: finds a name among a message's ordinary pairs in constant time
// once there are many of them, so that a builder fed a JSON line with
// thousands of members (or any host setting thousands of pairs) stays
// linear. Below kIndexFrom pairs a plain scan is faster and nothing is
// allocated.
//
// The index belongs to the builder's side of a MessageRep: only
// MessageBuilder (one thread) reads or changes it; a built Message never
// touches it, so readers on other threads never race with it.
//
// Thread-safety: none; one builder thread.
#ifndef LIBPYDEST_MESSAGE_PAIR_INDEX_H_
#define LIBPYDEST_MESSAGE_PAIR_INDEX_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace pydest::internal {

class PairIndex {
 public:
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  static constexpr size_t kIndexFrom = 32;

  // Where `name` is in `pairs`, or pairs.size() when it is not there.
  // `pairs` must be the same vector on every call until Clear(), with
  // entries only appended to it.
  size_t Find(const Pairs& pairs, std::string_view name);

  // Forgets everything (after pairs were removed or the rep was reset); the
  // memory is freed, so a recycled rep does not keep a large index.
  void Clear() {
    positions_ = {};
    indexed_ = 0;
  }

 private:
  absl::flat_hash_map<std::string, size_t> positions_;
  size_t indexed_ = 0;  // pairs[0, indexed_) are in positions_
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_MESSAGE_PAIR_INDEX_H_
