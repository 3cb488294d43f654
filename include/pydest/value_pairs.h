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

// The whole value-pairs(...) of a destination. An empty spec (the default)
// selects nothing: send() gets an empty dict.
struct ValuePairsSpec {
  // scope(): a bit set of Scope; empty by default, as in syslog-ng. Most
  // destinations start from kScopeRfc5424 or kScopeAllNvPairs.
  uint32_t scopes = 0;
  // key() / exclude(), in configuration order; the last matching pattern
  // decides. Empty by default: the scopes alone decide.
  std::vector<KeyPattern> patterns;
  // pair(): pairs added with a template and an optional type hint; they are
  // sent whatever the scopes and patterns say. Empty by default.
  std::vector<ValuePair> pairs;
  // rekey(): renames applied to the selected keys. Empty by default.
  std::vector<RekeyRule> rekeys;
  // cast(yes|no): whether type hints turn values into ints, booleans, ...
  // Unset (the default): decided by the configuration version (ConfigVersion).
  std::optional<bool> cast;
  // omit-empty-values: leave out pairs whose value is "" (in syslog-ng
  // only a template function flag). false by default, as syslog-ng; set it
  // for a destination that treats "" as an error.
  bool omit_empty_values = false;
  // include-bytes() (4.x): accepted and kept, without effect: libpydest
  // has no bytes-typed values (docs/compatibility.md). false by default.
  bool include_bytes = false;
};

}  // namespace pydest

#endif  // PYDEST_VALUE_PAIRS_H_
