#include "py_repr.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace pydest::testing {

using internal::Record;
using internal::RecordEntry;
using internal::ValueKind;

std::string PyBytesRepr(std::string_view bytes) {
  bool has_single = bytes.find('\'') != std::string_view::npos;
  bool has_double = bytes.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out = "b";
  out.push_back(quote);
  for (char ch : bytes) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out.push_back(ch);
    }
  }
  out.push_back(quote);
  return out;
}

std::string PyTypeName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kBytes: return "bytes";
    case ValueKind::kInt: return "int";
    case ValueKind::kDouble: return "float";
    case ValueKind::kBool: return "bool";
    case ValueKind::kDateTime: return "datetime";
    case ValueKind::kList: return "list";
    case ValueKind::kNull: return "NoneType";
  }
  return "?";
}

std::string PyRepr(const Record& record, const RecordEntry& e) {
  switch (e.kind) {
    case ValueKind::kBytes:
      return PyBytesRepr(record.bytes(e));
    case ValueKind::kInt:
      return std::to_string(e.integer);
    case ValueKind::kBool:
      return e.integer ? "True" : "False";
    case ValueKind::kNull:
      return "None";
    case ValueKind::kDouble: {
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, e.real);
      std::string s(buf, r.ptr);
      if (s.find_first_of(".eni") == std::string::npos) s += ".0";
      return s;
    }
    case ValueKind::kDateTime: {
      int64_t secs = e.integer / 1000000;
      int64_t micros = e.integer % 1000000;
      if (micros < 0) {
        micros += 1000000;
        --secs;
      }
      time_t t = static_cast<time_t>(secs);
      struct tm tm;
      gmtime_r(&t, &tm);
      char buf[128];
      std::snprintf(buf, sizeof buf, "datetime.datetime(%d, %d, %d, %d, %d",
                    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                    tm.tm_min);
      std::string s = buf;
      if (tm.tm_sec != 0 || micros != 0) s += ", " + std::to_string(tm.tm_sec);
      if (micros != 0) s += ", " + std::to_string(micros);
      return s + ")";
    }
    case ValueKind::kList: {
      std::string s = "[";
      for (uint32_t i = 0; i < e.value_size; ++i) {
        const auto& [off, size] = record.list_items[e.value_offset + i];
        if (i > 0) s += ", ";
        s += PyBytesRepr(std::string_view(record.buffer).substr(off, size));
      }
      return s + "]";
    }
  }
  return "?";
}

}  // namespace pydest::testing
