#include "libpydest/value_pairs/record.h"

#include "absl/strings/string_view.h"

namespace pydest::internal {

uint32_t KeyTable::Intern(std::string_view name) {
  absl::MutexLock lock(&mu_);
  // Debian's abseil has its own string_view type, not std::string_view.
  auto it = ids_.find(absl::string_view(name.data(), name.size()));
  if (it != ids_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(names_.size());
  names_.emplace_back(name);
  ids_.emplace(std::string(name), id);
  return id;
}

std::string_view KeyTable::Name(uint32_t id) const {
  absl::MutexLock lock(&mu_);
  return names_.at(id);
}

size_t KeyTable::size() const {
  absl::MutexLock lock(&mu_);
  return names_.size();
}

}  // namespace pydest::internal
