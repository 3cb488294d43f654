#include "libpydest/types/casts.h"

#include <charconv>
#include <cstdlib>
#include <limits>

namespace pydest::internal {
namespace {

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

// Digits in `base` from `text` to its end; false on overflow or an empty
// or non-digit run.
bool ParseMagnitude(std::string_view text, int base, bool negative,
                    int64_t* out) {
  if (text.empty()) return false;
  uint64_t limit = negative
                       ? static_cast<uint64_t>(
                             std::numeric_limits<int64_t>::max()) + 1
                       : static_cast<uint64_t>(
                             std::numeric_limits<int64_t>::max());
  uint64_t value = 0;
  for (char c : text) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return false;
    }
    if (value > (limit - digit) / base) return false;
    value = value * base + digit;
  }
  *out = negative ? static_cast<int64_t>(0 - value)
                  : static_cast<int64_t>(value);
  return true;
}

bool CastInt(std::string_view text, bool allow_hex, int64_t* out) {
  size_t i = 0;
  while (i < text.size() && IsBlank(text[i])) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  std::string_view digits = text.substr(i);
  if (allow_hex && digits.size() > 2 && digits[0] == '0' &&
      (digits[1] == 'x' || digits[1] == 'X')) {
    return ParseMagnitude(digits.substr(2), 16, negative, out);
  }
  return ParseMagnitude(digits, 10, negative, out);
}

}  // namespace

bool CastInt3x(std::string_view text, int64_t* out) {
  return CastInt(text, /*allow_hex=*/false, out);
}

bool CastInt4x(std::string_view text, int64_t* out) {
  return CastInt(text, /*allow_hex=*/true, out);
}

bool CastDouble(std::string_view text, double* out) {
  if (text.empty() || IsBlank(text[0])) return false;
  // strtod needs a terminated string; values are short.
  std::string copy(text);
  char* end = nullptr;
  double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return false;
  *out = v;
  return true;
}

bool CastBoolean(std::string_view text, bool* out) {
  if (text.empty()) return false;
  switch (text[0]) {
    case 'T': case 't': case '1':
      *out = true;
      return true;
    case 'F': case 'f': case '0':
      *out = false;
      return true;
    default:
      return false;
  }
}

bool CastDateTime(std::string_view text, int64_t* unix_micros) {
  size_t dot = text.find('.');
  std::string_view secs_text = text.substr(0, dot);
  int64_t secs;
  if (secs_text.empty() || IsBlank(secs_text[0]) ||
      !CastInt3x(secs_text, &secs)) {
    return false;
  }
  int64_t millis = 0;
  if (dot != std::string_view::npos) {
    std::string_view frac = text.substr(dot + 1);
    if (frac.empty()) return false;
    int scale = 100;
    for (char c : frac) {
      if (c < '0' || c > '9') return false;
      millis += (c - '0') * scale;  // beyond milliseconds: dropped
      scale /= 10;
    }
  }
  if (secs > std::numeric_limits<int64_t>::max() / 1000000 - 1 ||
      secs < std::numeric_limits<int64_t>::min() / 1000000 + 1) {
    return false;
  }
  bool negative = !secs_text.empty() && secs_text[0] == '-';
  *unix_micros = secs * 1000000 + (negative ? -millis : millis) * 1000;
  return true;
}

void SplitCommaList(std::string_view text, std::string* buffer,
                    std::vector<std::pair<uint32_t, uint32_t>>* items) {
  size_t i = 0;
  while (i <= text.size()) {
    size_t start = buffer->size();
    bool quoted = false;
    while (i < text.size() && text[i] != ',') {
      char c = text[i];
      if (c == '"' || c == '\'') {
        size_t close = i + 1;
        std::string decoded;
        bool closed = false;
        while (close < text.size()) {
          char q = text[close];
          if (q == c) {
            closed = true;
            break;
          }
          if (c == '"' && q == '\\' && close + 1 < text.size()) {
            char e = text[++close];
            switch (e) {
              case 'n': q = '\n'; break;
              case 't': q = '\t'; break;
              case 'r': q = '\r'; break;
              case 'a': q = '\a'; break;
              case 'b': q = '\b'; break;
              case 'f': q = '\f'; break;
              case 'v': q = '\v'; break;
              default: q = e; break;
            }
          }
          decoded.push_back(q);
          ++close;
        }
        if (!closed) {
          // No closing quote: the rest of the text is one literal item.
          buffer->append(text.data() + i, text.size() - i);
          i = text.size();
          break;
        }
        buffer->append(decoded);
        quoted = true;
        i = close + 1;
        continue;
      }
      buffer->push_back(c);
      ++i;
    }
    uint32_t size = static_cast<uint32_t>(buffer->size() - start);
    if (size > 0 || quoted) {
      items->emplace_back(static_cast<uint32_t>(start), size);
    }
    ++i;  // past the ','
  }
}

}  // namespace pydest::internal
