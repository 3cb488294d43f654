// TypeConverter: what the python destination does with one value-pairs
// value that carries a type hint, for a given configuration version and
// on-error() policy (syslog-ng-behaviour.md §4.2, §6, §10):
//
//   3.38 (@version < 4.0): only the int family becomes a Python int; a value
//     that does not parse is a "Casting error" handled by on-error(), where
//     fallback-to-string keeps the text as bytes. Every other hint
//     (double, boolean, datetime, list, json, literal, null) is unsupported:
//     a "Casting error" with type-hint '<unknown>', then drop-message drops
//     the message and both drop-property and fallback-to-string omit the key.
//   4.x: typed values (int, float, bool, datetime, list, None); a value that
//     fails its cast silently stays bytes and on-error() is not consulted.
//
// Immutable after construction; thread-safe.
#ifndef LIBPYDEST_TYPES_TYPE_CONVERTER_H_
#define LIBPYDEST_TYPES_TYPE_CONVERTER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pydest/config_version.h"
#include "pydest/log_record.h"
#include "pydest/on_error.h"
#include "pydest/type_hint.h"

namespace pydest::internal {

// The Python type a converted value gets (mirrors value_pairs' ValueKind).
enum class TypedKind : uint8_t {
  kBytes,
  kInt,
  kDouble,
  kBool,
  kDateTime,  // integer = unix microseconds
  kList,      // items appended by Convert
  kNull,
};

struct TypedValue {
  TypedKind kind = TypedKind::kBytes;
  int64_t integer = 0;
  double real = 0;
  // The value failed its cast and on-error() was consulted (3.38 rules).
  bool failed = false;
};

// The fate of one value.
enum class CastVerdict : uint8_t {
  kKeep,         // emit the key with `TypedValue`
  kOmit,         // leave the key out (drop-property, or 3.38's unsupported)
  kDropMessage,  // on-error(drop-message): the whole message fails
};

// The on-error() flags (syslog-ng-behaviour.md §6).
bool OnErrorIsSilent(OnError policy);
// The base policy without "silently-".
OnError OnErrorBase(OnError policy);
// "drop-message", "silently-fallback-to-string", ...
const char* OnErrorName(OnError policy);
// Parses an on-error() value; false for anything else (syslog-ng: "Invalid
// on-error() setting").
bool ParseOnError(std::string_view text, OnError* out);

// "int", "double", ... as syslog-ng spells the hint ("" for kNone).
const char* TypeHintName(TypeHint hint);

class TypeConverter {
 public:
  TypeConverter(ConfigVersion version, OnError on_error);

  // Converts `text` given `hint`. For kList, the items are appended to
  // `buffer` and `items` (see SplitCommaList). A "Casting error" record is
  // appended to `log` when the policy is not silent (null `log`: nothing
  // is recorded). kNone and kString always keep the text as bytes.
  CastVerdict Convert(TypeHint hint, std::string_view text, TypedValue* out,
                      std::string* buffer,
                      std::vector<std::pair<uint32_t, uint32_t>>* items,
                      std::vector<LogRecord>* log) const;

  bool typed() const { return typed_; }

 private:
  CastVerdict Fail3x(std::string_view text, const char* type_hint,
                     bool fallback_allowed, TypedValue* out,
                     std::vector<LogRecord>* log) const;

  bool typed_;  // 4.x rules
  OnError on_error_;
};

// The "Casting error" record syslog-ng logs (tags value, type-hint).
LogRecord CastingErrorRecord(std::string_view value,
                             std::string_view type_hint);

}  // namespace pydest::internal

#endif  // LIBPYDEST_TYPES_TYPE_CONVERTER_H_
