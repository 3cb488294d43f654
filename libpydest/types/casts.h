// The value casts behind value-pairs type hints (`int("$PID")`,
// `double(...)`, `boolean(...)`, `datetime(...)`, `list(...)`): text in,
// typed value out, with the parsing rules of syslog-ng 3.38 and 4.x.
// Pure functions; thread-safe.
#ifndef LIBPYDEST_TYPES_CASTS_H_
#define LIBPYDEST_TYPES_CASTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pydest::internal {

// 3.38's int()/int32()/int64(): optional leading blanks and sign, then
// base-10 digits to the end of the value. No 32-bit range check: the 3.38
// python destination passes int32("99999999999") through as 99999999999.
// False on anything else, including "" and out-of-int64-range values.
bool CastInt3x(std::string_view text, int64_t* out);

// 4.x integer cast: as CastInt3x, and "0x"/"0X" hex ("0x1f" -> 31).
bool CastInt4x(std::string_view text, int64_t* out);

// double()/float(): the whole value must be a floating point number
// ("3.14", "2", "1e3", "inf", "nan").
bool CastDouble(std::string_view text, double* out);

// boolean() in 4.x: the first character decides, T/t/1 -> true and
// F/f/0 -> false; anything else fails (so "yes", "no", "on" fail).
bool CastBoolean(std::string_view text, bool* out);

// datetime() in 4.x: UNIX seconds with an optional fraction, kept to
// millisecond precision ("1700000000.123"). `unix_micros` gets the instant.
bool CastDateTime(std::string_view text, int64_t* unix_micros);

// list(): syslog-ng's comma-separated list syntax. Items are separated by
// ','; an item may be quoted with "..." (backslash escapes \\ \" \n \t \r
// \a \b \f \v) or '...' (no escapes), and then the quotes are removed;
// empty items are skipped, so "" is the empty list. An unterminated quote
// takes the rest of the text literally. Unquoted items are appended to
// `buffer`; `items` gets (offset, size) into `buffer` for each.
void SplitCommaList(std::string_view text, std::string* buffer,
                    std::vector<std::pair<uint32_t, uint32_t>>* items);

}  // namespace pydest::internal

#endif  // LIBPYDEST_TYPES_CASTS_H_
