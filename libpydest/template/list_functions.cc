// syslog-ng's list functions: $(explode), $(implode) and the list-* family
// (list-concat, list-append, list-count, list-head, list-tail, list-nth,
// list-search, list-slice). A list is syslog-ng's comma-separated text
// (function_util.h); functions that take lists treat all their list
// arguments as one list, as syslog-ng does.
#include <fnmatch.h>

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libpydest/template/function_util.h"

namespace pydest::internal {
namespace {

std::vector<std::string> Elements(const std::vector<std::string>& v,
                                  size_t first) {
  std::vector<std::string> out;
  for (size_t i = first; i < v.size(); ++i) AppendListElements(v[i], &out);
  return out;
}

void Encode(const std::vector<std::string>& elements, size_t from, size_t to,
            std::string* out) {
  std::string list;
  for (size_t i = from; i < to && i < elements.size(); ++i) {
    AppendListElement(elements[i], &list);
  }
  out->append(list);
}

bool ParseIndex(std::string_view s, int64_t* out) {
  return !s.empty() && absl::SimpleAtoi(std::string(s), out);
}

using ListApply = void (*)(std::vector<std::string>& v, std::string* out);

template <ListApply apply>
FunctionResult Compile(std::string_view name,
                       const std::vector<FunctionArg>& args,
                       const CallSite& site) {
  auto compiled = CompileArgs(args, site, name);
  if (!compiled.ok()) return compiled.status();
  return MakeSimpleFunction(std::move(*compiled), apply);
}

// $(explode DELIMITER TEXT...): each TEXT split at every DELIMITER.
void Explode(std::vector<std::string>& v, std::string* out) {
  if (v.size() < 2) return;
  const std::string& delim = v[0];
  std::string list;
  for (size_t i = 1; i < v.size(); ++i) {
    std::string_view s = v[i];
    if (s.empty()) continue;  // an empty text has no elements
    while (true) {
      size_t at = delim.empty() ? std::string_view::npos : s.find(delim);
      AppendListElement(s.substr(0, at), &list);
      if (at == std::string_view::npos) break;
      s = s.substr(at + delim.size());
    }
  }
  out->append(list);
}

// $(implode SEPARATOR LIST...): the elements joined by SEPARATOR.
void Implode(std::vector<std::string>& v, std::string* out) {
  if (v.empty()) return;
  std::vector<std::string> e = Elements(v, 1);
  for (size_t i = 0; i < e.size(); ++i) {
    if (i > 0) out->append(v[0]);
    out->append(e[i]);
  }
}

void Concat(std::vector<std::string>& v, std::string* out) {
  std::vector<std::string> e = Elements(v, 0);
  Encode(e, 0, e.size(), out);
}

// $(list-append LIST ELEMENT...): LIST as written, then each ELEMENT.
void Append(std::vector<std::string>& v, std::string* out) {
  if (v.empty()) return;
  std::string list = v[0];
  for (size_t i = 1; i < v.size(); ++i) AppendListElement(v[i], &list);
  out->append(list);
}

void Count(std::vector<std::string>& v, std::string* out) {
  absl::StrAppend(out, Elements(v, 0).size());
}

void Head(std::vector<std::string>& v, std::string* out) {
  std::vector<std::string> e = Elements(v, 0);
  if (!e.empty()) out->append(e[0]);
}

void Tail(std::vector<std::string>& v, std::string* out) {
  std::vector<std::string> e = Elements(v, 0);
  Encode(e, 1, e.size(), out);
}

// $(list-nth N LIST...): element N (from 0; negative counts from the end).
void Nth(std::vector<std::string>& v, std::string* out) {
  if (v.empty()) return;
  int64_t n;
  if (!ParseIndex(v[0], &n)) return;
  std::vector<std::string> e = Elements(v, 1);
  int64_t size = static_cast<int64_t>(e.size());
  if (n < 0) n += size;
  if (n < 0 || n >= size) return;
  out->append(e[static_cast<size_t>(n)]);
}

// $(list-slice FROM:TO LIST...): Python-style slice; either bound may be
// left out or negative.
void Slice(std::vector<std::string>& v, std::string* out) {
  if (v.empty()) return;
  std::string_view spec = v[0];
  size_t colon = spec.find(':');
  std::string_view from_s = spec.substr(0, colon);
  std::string_view to_s =
      colon == std::string_view::npos ? "" : spec.substr(colon + 1);
  std::vector<std::string> e = Elements(v, 1);
  int64_t size = static_cast<int64_t>(e.size());
  int64_t from = 0, to = size;
  if (!from_s.empty() && !ParseIndex(from_s, &from)) return;
  if (colon == std::string_view::npos) {
    to = from + 1;  // "N" alone: that one element
  } else if (!to_s.empty() && !ParseIndex(to_s, &to)) {
    return;
  }
  auto clamp = [size](int64_t i) {
    if (i < 0) i += size;
    return i < 0 ? int64_t{0} : i > size ? size : i;
  };
  from = clamp(from);
  to = clamp(to);
  if (from < to) {
    Encode(e, static_cast<size_t>(from), static_cast<size_t>(to), out);
  }
}

// $(list-search [--mode literal|prefix|substring|glob] [--start-index N]
// PATTERN LIST...): the index of the first matching element, or nothing.
FunctionResult CompileSearch(std::string_view name,
                             const std::vector<FunctionArg>& args,
                             const CallSite& site) {
  auto parsed = ParseOptions(
      args, {{"mode", 'm', true}, {"start-index", 's', true}}, site, name);
  if (!parsed.ok()) return parsed.status();
  enum class Mode { kLiteral, kPrefix, kSubstring, kGlob };
  Mode mode = Mode::kLiteral;
  if (const std::string* m = parsed->Get("mode")) {
    if (*m == "literal") mode = Mode::kLiteral;
    else if (*m == "prefix") mode = Mode::kPrefix;
    else if (*m == "substring") mode = Mode::kSubstring;
    else if (*m == "glob") mode = Mode::kGlob;
    else
      return FunctionError(site, site.offset, name,
                           absl::StrCat("unknown --mode '", *m, "'"));
  }
  int64_t start = 0;
  if (const std::string* s = parsed->Get("start-index")) {
    if (!ParseIndex(*s, &start) || start < 0) {
      return FunctionError(site, site.offset, name,
                           "--start-index must be a non-negative integer");
    }
  }
  if (parsed->positional.size() < 2) {
    return FunctionError(site, site.offset, name,
                         "takes a pattern and at least one list");
  }
  auto compiled = CompileArgs(parsed->positional, site, name);
  if (!compiled.ok()) return compiled.status();
  return MakeSimpleFunction(
      std::move(*compiled),
      [mode, start](std::vector<std::string>& v, std::string* out) {
        const std::string& pattern = v[0];
        std::vector<std::string> e = Elements(v, 1);
        for (size_t i = static_cast<size_t>(start); i < e.size(); ++i) {
          const std::string& x = e[i];
          bool hit = false;
          switch (mode) {
            case Mode::kLiteral: hit = x == pattern; break;
            case Mode::kPrefix: hit = x.compare(0, pattern.size(), pattern) == 0; break;
            case Mode::kSubstring: hit = x.find(pattern) != std::string::npos; break;
            case Mode::kGlob: hit = fnmatch(pattern.c_str(), x.c_str(), 0) == 0; break;
          }
          if (hit) {
            absl::StrAppend(out, i);
            return;
          }
        }
      });
}

}  // namespace

std::vector<FunctionEntry> ListFunctions() {
  return {{"explode", Compile<Explode>},
          {"implode", Compile<Implode>},
          {"list-concat", Compile<Concat>},
          {"list-append", Compile<Append>},
          {"list-count", Compile<Count>},
          {"list-head", Compile<Head>},
          {"list-tail", Compile<Tail>},
          {"list-nth", Compile<Nth>},
          {"list-slice", Compile<Slice>},
          {"list-search", CompileSearch}};
}

}  // namespace pydest::internal
