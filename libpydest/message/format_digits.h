// Small appenders for decimal and hex numbers, used by the macros so that a
// value is written straight into the caller's buffer: no std::to_string, no
// temporary strings, no allocation beyond growing `out`.
//
// Stateless; thread-safe.
#ifndef LIBPYDEST_MESSAGE_FORMAT_DIGITS_H_
#define LIBPYDEST_MESSAGE_FORMAT_DIGITS_H_

#include <cstdint>
#include <string>

namespace pydest::internal {

// Appends `value` in decimal, left-padded with `pad` to at least `width`
// characters (syslog-ng's zero- or space-padded date fields).
inline void AppendUnsigned(uint64_t value, int width, char pad,
                           std::string* out) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  char digits[48];
  int len = 0;
  for (int i = n; i < width; ++i) digits[len++] = pad;
  while (n > 0) digits[len++] = buf[--n];
  out->append(digits, len);
}

inline void AppendUnsigned(uint64_t value, std::string* out) {
  AppendUnsigned(value, 0, '0', out);
}

inline void AppendSigned(int64_t value, std::string* out) {
  if (value < 0) {
    out->push_back('-');
    AppendUnsigned(static_cast<uint64_t>(-(value + 1)) + 1, out);
  } else {
    AppendUnsigned(static_cast<uint64_t>(value), out);
  }
}

// Lower-case hex, zero-padded to `width` ($TAG is "%02x" of the PRI).
inline void AppendHex(uint64_t value, int width, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  char buf[16];
  int n = 0;
  do {
    buf[n++] = kHex[value & 0xf];
    value >>= 4;
  } while (value != 0);
  char digits[32];
  int len = 0;
  for (int i = n; i < width; ++i) digits[len++] = '0';
  while (n > 0) digits[len++] = buf[--n];
  out->append(digits, len);
}

}  // namespace pydest::internal

#endif  // LIBPYDEST_MESSAGE_FORMAT_DIGITS_H_
