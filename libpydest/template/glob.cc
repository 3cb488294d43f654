#include "libpydest/template/glob.h"

#include <utility>

namespace pydest::internal {
namespace {

// Length of the UTF-8 character starting at s[i] (1 for invalid bytes).
size_t Utf8CharLength(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3
             : (c >> 3) == 0x1e ? 4 : 1;
  return i + n <= s.size() ? n : 1;
}

// Iterative matcher: on a mismatch, let the most recent '*' swallow one
// more character and retry from there.
bool MatchGeneral(std::string_view p, std::string_view s) {
  size_t pi = 0, si = 0;
  size_t star_p = std::string_view::npos, star_s = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star_p = pi++;
      star_s = si;
    } else if (pi < p.size() && p[pi] == '?') {
      ++pi;
      si += Utf8CharLength(s, si);
    } else if (pi < p.size() && p[pi] == s[si]) {
      ++pi;
      ++si;
    } else if (star_p != std::string_view::npos) {
      pi = star_p + 1;
      star_s += Utf8CharLength(s, star_s);
      si = star_s;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

}  // namespace

Glob::Glob(std::string pattern) : pattern_(std::move(pattern)) {
  size_t wild = pattern_.find_first_of("*?");
  if (wild == std::string::npos) {
    shape_ = Shape::kExact;
    fixed_ = pattern_;
  } else if (pattern_ == "*") {
    shape_ = Shape::kAll;
  } else if (wild == pattern_.size() - 1 && pattern_.back() == '*') {
    shape_ = Shape::kPrefix;
    fixed_ = pattern_.substr(0, wild);
  } else if (wild == 0 && pattern_[0] == '*' &&
             pattern_.find_first_of("*?", 1) == std::string::npos) {
    shape_ = Shape::kSuffix;
    fixed_ = pattern_.substr(1);
  } else {
    shape_ = Shape::kGeneral;
  }
}

bool Glob::Matches(std::string_view name) const {
  switch (shape_) {
    case Shape::kExact:
      return name == fixed_;
    case Shape::kAll:
      return true;
    case Shape::kPrefix:
      return name.size() >= fixed_.size() &&
             name.compare(0, fixed_.size(), fixed_) == 0;
    case Shape::kSuffix:
      return name.size() >= fixed_.size() &&
             name.compare(name.size() - fixed_.size(), fixed_.size(),
                          fixed_) == 0;
    case Shape::kGeneral:
      break;
  }
  return MatchGeneral(pattern_, name);
}

bool GlobMatches(std::string_view pattern, std::string_view name) {
  return MatchGeneral(pattern, name);
}

}  // namespace pydest::internal
