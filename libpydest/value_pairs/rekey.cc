#include "libpydest/value_pairs/rekey.h"

namespace pydest::internal {

RekeyChain::RekeyChain(const std::vector<RekeyRule>& rules) {
  for (const RekeyRule& r : rules) {
    rules_.emplace_back(Glob(r.glob), r.transforms);
  }
}

void RekeyChain::Apply(std::string_view name, std::string* out) const {
  out->assign(name.data(), name.size());
  for (const auto& [glob, transforms] : rules_) {
    if (!glob.Matches(*out)) continue;
    for (const RekeyTransform& t : transforms) ApplyRekeyTransform(t, out);
  }
}

void ApplyRekeyTransform(const RekeyTransform& t, std::string* key) {
  switch (t.kind) {
    case RekeyTransform::Kind::kAddPrefix:
      key->insert(0, t.text);
      break;
    case RekeyTransform::Kind::kReplacePrefix:
      if (key->compare(0, t.text.size(), t.text) == 0) {
        key->replace(0, t.text.size(), t.replacement);
      }
      break;
    case RekeyTransform::Kind::kShift:
      // shift(N): drop the first N bytes (all of them when shorter).
      key->erase(0, t.count > 0 ? static_cast<size_t>(t.count) : 0);
      break;
    case RekeyTransform::Kind::kShiftLevels: {
      // shift-levels(N): drop N dot-terminated components; a key with
      // fewer dots stays as it is.
      size_t pos = 0;
      for (int i = 0; i < t.count; ++i) {
        size_t dot = key->find('.', pos);
        if (dot == std::string::npos) return;
        pos = dot + 1;
      }
      key->erase(0, pos);
      break;
    }
    case RekeyTransform::Kind::kUpper:
      for (char& c : *key) {
        if (c >= 'a' && c <= 'z') c -= 'a' - 'A';
      }
      break;
    case RekeyTransform::Kind::kLower:
      for (char& c : *key) {
        if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
      }
      break;
  }
}

}  // namespace pydest::internal
