// OnError: syslog-ng's on-error() — what happens when a value cannot be
// given the type it is hinted with (TypeHint), e.g. int("abc"). Set in
// python(), inherited from the global options {}, or "on-error" in JSON.
//
// Thread-safety: a plain value.
#ifndef PYDEST_ON_ERROR_H_
#define PYDEST_ON_ERROR_H_

#include <cstdint>

namespace pydest {

// The silently-* variants do the same without a log record.
enum class OnError : uint8_t {
  // The message is not sent; it gets Outcome::kDroppedOnError. syslog-ng's
  // default.
  kDropMessage,
  // The pair is left out of the dict; the message is sent.
  kDropProperty,
  // The pair is sent as a string, as if it had no hint.
  kFallbackToString,
  kSilentlyDropMessage,
  kSilentlyDropProperty,
  kSilentlyFallbackToString,
};

}  // namespace pydest

#endif  // PYDEST_ON_ERROR_H_
