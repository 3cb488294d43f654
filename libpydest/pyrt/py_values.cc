#include "libpydest/pyrt/py_values.h"

#include <datetime.h>

#include <ctime>

namespace pydest::internal {
namespace {

bool EnsureDateTimeApi() {
  if (PyDateTimeAPI == nullptr) PyDateTime_IMPORT;
  return PyDateTimeAPI != nullptr;
}

PyObject* FromBrokenDown(const struct tm& tm, int micros, int fold) {
  if (!EnsureDateTimeApi()) return nullptr;
  return PyDateTime_FromDateAndTimeAndFold(tm.tm_year + 1900, tm.tm_mon + 1,
                                           tm.tm_mday, tm.tm_hour, tm.tm_min,
                                           tm.tm_sec, micros, fold);
}

}  // namespace

PyObject* NewBytes(RequiresGil, std::string_view value) {
  return PyBytes_FromStringAndSize(value.data(),
                                   static_cast<Py_ssize_t>(value.size()));
}

PyObject* NewStrSurrogateEscape(RequiresGil, std::string_view value) {
  return PyUnicode_DecodeUTF8(value.data(),
                              static_cast<Py_ssize_t>(value.size()),
                              "surrogateescape");
}

PyObject* NewLocalDateTime(RequiresGil, int64_t unix_micros) {
  int64_t secs = unix_micros / 1000000;
  int64_t micros = unix_micros % 1000000;
  if (micros < 0) {
    micros += 1000000;
    secs -= 1;
  }
  time_t t = static_cast<time_t>(secs);
  struct tm tm;
  if (localtime_r(&t, &tm) == nullptr) {
    PyErr_SetString(PyExc_OverflowError, "timestamp out of range");
    return nullptr;
  }
  // fold=1 marks the second occurrence of a repeated wall-clock hour, which
  // is the standard-time one after a DST change; syslog-ng derives it from
  // the DST flag the same way.
  int fold = 0;
  if (tm.tm_isdst == 0) {
    time_t earlier = t - 3600;
    struct tm prev;
    if (localtime_r(&earlier, &prev) != nullptr && prev.tm_isdst > 0 &&
        prev.tm_hour == tm.tm_hour) {
      fold = 1;
    }
  }
  return FromBrokenDown(tm, static_cast<int>(micros), fold);
}

PyObject* NewDateTimeAtOffset(RequiresGil, int64_t unix_seconds,
                              int32_t microseconds,
                              int32_t utc_offset_seconds) {
  time_t t = static_cast<time_t>(unix_seconds + utc_offset_seconds);
  struct tm tm;
  if (gmtime_r(&t, &tm) == nullptr) {
    PyErr_SetString(PyExc_OverflowError, "timestamp out of range");
    return nullptr;
  }
  return FromBrokenDown(tm, microseconds, 0);
}

std::vector<std::string> SplitSyslogList(std::string_view text) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  std::string cur;
  bool in_quotes = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '\\' && i + 1 < text.size()) {
        cur += text[++i];
      } else if (c == quote) {
        in_quotes = false;
      } else {
        cur += c;
      }
    } else if (c == '"' || c == '\'') {
      in_quotes = true;
      quote = c;
    } else if (c == ',') {
      items.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  items.push_back(std::move(cur));
  return items;
}

bool NameFromObject(RequiresGil, PyObject* obj, std::string* out) {
  if (PyUnicode_Check(obj)) {
    Py_ssize_t n = 0;
    const char* p = PyUnicode_AsUTF8AndSize(obj, &n);
    if (p == nullptr) return false;
    out->assign(p, static_cast<size_t>(n));
    return true;
  }
  if (PyBytes_Check(obj)) {
    out->assign(PyBytes_AS_STRING(obj),
                static_cast<size_t>(PyBytes_GET_SIZE(obj)));
    return true;
  }
  PyErr_Format(PyExc_TypeError, "name must be str or bytes, not %s",
               Py_TYPE(obj)->tp_name);
  return false;
}

}  // namespace pydest::internal
