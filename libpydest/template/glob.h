// Glob matching with GLib GPatternSpec semantics, as value-pairs key(),
// exclude() and rekey() use it: `*` matches any run of characters
// (including none and including dots), `?` exactly one (UTF-8) character;
// no classes, no escapes; the whole name must match; case-sensitive.
// Immutable after construction; thread-safe.
#ifndef LIBPYDEST_TEMPLATE_GLOB_H_
#define LIBPYDEST_TEMPLATE_GLOB_H_

#include <string>
#include <string_view>

namespace pydest::internal {

class Glob {
 public:
  explicit Glob(std::string pattern);
  bool Matches(std::string_view name) const;
  const std::string& pattern() const { return pattern_; }

 private:
  enum class Shape { kExact, kPrefix, kSuffix, kAll, kGeneral };
  std::string pattern_;
  std::string fixed_;  // kExact/kPrefix/kSuffix: the literal part
  Shape shape_;
};

// One-off match (compiles `pattern` each time).
bool GlobMatches(std::string_view pattern, std::string_view name);

}  // namespace pydest::internal

#endif  // LIBPYDEST_TEMPLATE_GLOB_H_
