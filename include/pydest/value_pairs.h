// The value-pairs() specification: which name-value pairs a Python
// destination receives in its dict, and their types (syslog-ng's
// `value-pairs(scope(...) key(...) exclude(...) pair(...) rekey(...))`).
//
// These are plain data: the configuration parser fills them, and the host
// compiles them once per destination. Thread-compatible.
#ifndef PYDEST_VALUE_PAIRS_H_
#define PYDEST_VALUE_PAIRS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pydest/type_hint.h"

namespace pydest {

// value-pairs(scope(...)). Several may be combined (a bit set).
enum Scope : uint32_t {
  kScopeNvPairs = 1u << 0,         // nv-pairs
  kScopeDotNvPairs = 1u << 1,      // dot-nv-pairs
  kScopeRfc3164 = 1u << 2,         // rfc3164 = core = base
  kScopeRfc5424 = 1u << 3,         // rfc5424 = syslog-proto
  kScopeSelectedMacros = 1u << 4,  // selected-macros
  kScopeAllMacros = 1u << 5,       // all-macros
  kScopeSdata = 1u << 6,           // sdata
  kScopeAllNvPairs = kScopeNvPairs | kScopeDotNvPairs,  // all-nv-pairs
  kScopeEverything = 0x7f,                              // everything
};

// One rekey() transform, applied to a key name.
struct RekeyTransform {
  enum class Kind : uint8_t {
    kAddPrefix,      // add-prefix(text)
    kReplacePrefix,  // replace-prefix(text, replacement)
    kShift,          // shift(count): drop the first `count` bytes
    kShiftLevels,    // shift-levels(count): drop `count` dot-separated levels
    kUpper,          // upper()
    kLower,          // lower()
  };
  Kind kind = Kind::kAddPrefix;
  std::string text;
  std::string replacement;
  int count = 0;
};

// rekey("glob" ...): transforms applied, in order, to keys matching glob.
struct RekeyRule {
  std::string glob;
  std::vector<RekeyTransform> transforms;
};

// key("glob") (include) or exclude("glob"). Applied in configuration order,
// the last matching pattern decides.
struct KeyPattern {
  bool include = true;
  std::string glob;
};

// pair("name" "template") or pair("name" hint("template")).
struct ValuePair {
  std::string name;
  std::string template_text;
  TypeHint hint = TypeHint::kNone;
};

struct ValuePairsSpec {
  uint32_t scopes = 0;  // bit set of Scope; empty by default, as in syslog-ng
  std::vector<KeyPattern> patterns;
  std::vector<ValuePair> pairs;
  std::vector<RekeyRule> rekeys;
  // cast(yes|no). Unset: decided by the configuration version.
  std::optional<bool> cast;
  bool omit_empty_values = false;
  bool include_bytes = false;
};

}  // namespace pydest

#endif  // PYDEST_VALUE_PAIRS_H_
