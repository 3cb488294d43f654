#include "libpydest/config/diagnostics.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "pydest/did_you_mean.h"

namespace pydest {
namespace config_internal {
namespace {

absl::string_view AbslView(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string WhereText(const std::string& file, const Position& pos) {
  const std::string& name = pos.source ? pos.source->filename : file;
  return absl::StrCat(name, ":", pos.line, ":", pos.column);
}

absl::Status ErrorAt(const std::string& file, const Position& pos,
                     std::string_view message) {
  std::string text =
      absl::StrCat(WhereText(file, pos), ": ", AbslView(message));
  // The way to the place, innermost first; bounded by the include and block
  // depth limits.
  const char* separator = " (";
  for (const SourceInfo* s = pos.source.get(); s != nullptr && !s->how.empty();
       s = s->from.source.get()) {
    absl::StrAppend(&text, separator, s->how, " ", WhereText(file, s->from));
    separator = "; ";
  }
  if (separator[0] == ';') text += ")";
  return absl::InvalidArgumentError(text);
}

std::string CanonicalName(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

std::string ClosestName(std::string_view word,
                        const std::vector<std::string_view>& candidates) {
  std::string canonical = CanonicalName(word);
  std::string best;
  size_t best_distance = 0;
  for (std::string_view candidate : candidates) {
    size_t d = EditDistance(canonical, candidate);
    if (best.empty() || d < best_distance) {
      best = std::string(candidate);
      best_distance = d;
    }
  }
  // A typo changes a few characters; beyond a third of the word it is a
  // different word and a suggestion would mislead.
  size_t limit = std::max<size_t>(2, canonical.size() / 3);
  if (best.empty() || best_distance == 0 || best_distance > limit) return "";
  return best;
}

std::string DidYouMean(std::string_view word,
                       const std::vector<std::string_view>& candidates) {
  std::string best = ClosestName(word, candidates);
  if (best.empty()) return "";
  return absl::StrCat("; did you mean '", best, "'?");
}

}  // namespace config_internal

std::string DidYouMean(std::string_view word,
                       const std::vector<std::string>& candidates) {
  // Compared '-' spelled; shown as given.
  std::vector<std::string> canonical;
  for (const std::string& c : candidates) {
    canonical.push_back(config_internal::CanonicalName(c));
  }
  const std::vector<std::string_view> views(canonical.begin(),
                                            canonical.end());
  const std::string best = config_internal::ClosestName(word, views);
  for (size_t i = 0; i < canonical.size() && !best.empty(); ++i) {
    if (canonical[i] == best) {
      return absl::StrCat("; did you mean '", candidates[i], "'?");
    }
  }
  return "";
}

}  // namespace pydest
