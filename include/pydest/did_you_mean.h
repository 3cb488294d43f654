// DidYouMean: the "did you mean" of libpydest's configuration errors, for a
// host's own command line or settings, so that its errors read like the
// library's.
//
//   std::string hint = pydest::DidYouMean("--stats-jsn", {"--stats-json",
//                                                         "--deadline"});
//   // hint == "; did you mean '--stats-json'?"
//
// Thread-safety: a pure function.
#ifndef PYDEST_DID_YOU_MEAN_H_
#define PYDEST_DID_YOU_MEAN_H_

#include <string>
#include <string_view>
#include <vector>

#include "pydest/export.h"

namespace pydest {

// "; did you mean 'X'?" when X, one of `candidates`, is a plausible typo
// of `word` (a few characters apart by edit distance, at most a third of
// the word; '_' and '-' count as the same), else "". Meant to be appended
// to an error message.
PYDEST_EXPORT std::string DidYouMean(std::string_view word,
                                     const std::vector<std::string>& candidates);

}  // namespace pydest

#endif  // PYDEST_DID_YOU_MEAN_H_
