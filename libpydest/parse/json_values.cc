// JSON values as syslog-ng's json-parser renders them; see json_values.h.
#include "libpydest/parse/json_values.h"

#include <cmath>
#include <cstdio>
#include <string>

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

// One list element: quoted when it would not read back as one element.
void AppendListElement(const std::string& s, std::string* out) {
  bool quote = s.empty() ||
               s.find_first_of(",\"'\\ \t\r\n") != std::string::npos;
  if (!quote) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
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
    if (item.is_string()) {
      AppendListElement(item.get_ref<const std::string&>(), &out);
    } else {
      RenderScalar(item, &element);
      out.append(element);
    }
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
