// JSON values as syslog-ng's json-parser renders them; see json_values.h.
#include "libpydest/parse/json_values.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

namespace pydest::parse_internal {
namespace {

std::string FormatDouble(double d) {
  if (!std::isfinite(d)) return d != d ? "nan" : (d > 0 ? "inf" : "-inf");
  // syslog-ng's json-parser prints doubles with "%f" (golden: 1.5 ->
  // "1.500000").
  char buf[400];
  int n = std::snprintf(buf, sizeof(buf), "%f", d);
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

}  // namespace

// A scalar as syslog-ng's json-parser renders it; false for objects/arrays.
bool RenderScalar(const Json& v, std::string* out) {
  switch (v.type()) {
    case Json::value_t::string:
      *out = v.get_ref<const std::string&>();
      return true;
    case Json::value_t::number_integer:
      *out = std::to_string(v.get<int64_t>());
      return true;
    case Json::value_t::number_unsigned:
      *out = std::to_string(v.get<uint64_t>());
      return true;
    case Json::value_t::number_float:
      *out = FormatDouble(v.get<double>());
      return true;
    case Json::value_t::boolean:
      *out = v.get<bool>() ? "true" : "false";
      return true;
    case Json::value_t::null:
      out->clear();
      return true;
    default:
      return false;
  }
}

namespace {

// Appends `s` with the backslash escapes of syslog-ng's list encoding:
// \b \f \n \r \t, \\, other control characters as \xNN, and a backslash
// before `quote` (0: none).
void AppendEscaped(std::string_view s, char quote, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '\b': out->append("\\b"); continue;
      case '\f': out->append("\\f"); continue;
      case '\n': out->append("\\n"); continue;
      case '\r': out->append("\\r"); continue;
      case '\t': out->append("\\t"); continue;
      case '\\': out->append("\\\\"); continue;
      default: break;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[5];
      std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned char>(c));
      out->append(buf);
    } else {
      if (c == quote && quote != 0) out->push_back('\\');
      out->push_back(c);
    }
  }
}

// One list element, quoted as syslog-ng's list encoding quotes it: empty is
// '', a value with a double quote (and no apostrophe) goes in apostrophes,
// one with an apostrophe (and no double quote) in double quotes, one with
// both or with blanks, control characters or backslashes in double quotes
// with \" escaped; anything else (commas included) is written as is.
void AppendListElement(std::string_view s, std::string* out) {
  if (s.empty()) {
    out->append("''");
    return;
  }
  bool apostrophe = s.find('\'') != std::string_view::npos;
  bool quote = s.find('"') != std::string_view::npos;
  if (!apostrophe && !quote) {
    bool needs_quotes = false;
    for (char c : s) {
      if (c == ' ' || c == '\\' || c == '\b' || c == '\f' || c == '\n' ||
          c == '\r' || c == '\t') {
        needs_quotes = true;
        break;
      }
    }
    if (!needs_quotes) {
      out->append(s);
      return;
    }
  }
  if (quote && !apostrophe) {
    out->push_back('\'');
    AppendEscaped(s, 0, out);
    out->push_back('\'');
  } else if (apostrophe && !quote) {
    out->push_back('"');
    AppendEscaped(s, 0, out);
    out->push_back('"');
  } else {
    out->push_back('"');
    AppendEscaped(s, '"', out);
    out->push_back('"');
  }
}

std::string RenderArray(const Json& array) {
  std::string out, element;
  for (const Json& item : array) {
    if (item.is_object() || item.is_array()) {
      // Not a list of scalars: keep the JSON text.
      return array.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
  }
  bool first = true;
  for (const Json& item : array) {
    if (!first) out.push_back(',');
    first = false;
    RenderScalar(item, &element);
    AppendListElement(element, &out);
  }
  return out;
}

}  // namespace

// Adds `value` under `name`, flattening objects with dots.
void AddField(std::string* name, const Json& value, MessageBuilder* b) {
  if (value.is_object()) {
    size_t base = name->size();
    for (const auto& item : value.items()) {
      name->push_back('.');
      name->append(item.key());
      AddField(name, item.value(), b);
      name->resize(base);
    }
    return;
  }
  std::string text;
  if (value.is_array()) {
    text = RenderArray(value);
  } else {
    RenderScalar(value, &text);
  }
  b->Set(*name, text);
}

}  // namespace pydest::parse_internal
