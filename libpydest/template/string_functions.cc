// String functions of syslog-ng's basicfuncs module: $(strip), $(sanitize),
// $(length), $(replace-delimiter), $(padding), $(indent-multi-line).
// Lengths and widths count bytes, as syslog-ng 3.38 does.
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libpydest/template/function_util.h"

namespace pydest::internal {
namespace {

bool IsSpaceChar(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

// Each argument joined by `sep` after `map` rewrote it in place.
template <typename Map>
ApplyFn JoinMapped(std::string sep, Map map) {
  return [sep = std::move(sep), map](std::vector<std::string>& v,
                                     std::string* out) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out->append(sep);
      map(v[i], out);
    }
  };
}

FunctionResult CompileStrip(std::string_view name,
                            const std::vector<FunctionArg>& args,
                            const CallSite& site) {
  auto compiled = CompileArgs(args, site, name);
  if (!compiled.ok()) return compiled.status();
  // Arguments that strip to nothing are left out, separator included.
  return MakeSimpleFunction(
      std::move(*compiled), [](std::vector<std::string>& v, std::string* out) {
        bool first = true;
        for (const std::string& s : v) {
          size_t b = 0, e = s.size();
          while (b < e && IsSpaceChar(s[b])) ++b;
          while (e > b && IsSpaceChar(s[e - 1])) --e;
          if (b == e) continue;
          if (!first) out->push_back(' ');
          first = false;
          out->append(s, b, e - b);
        }
      });
}

FunctionResult CompileLength(std::string_view name,
                             const std::vector<FunctionArg>& args,
                             const CallSite& site) {
  auto compiled = CompileArgs(args, site, name);
  if (!compiled.ok()) return compiled.status();
  return MakeSimpleFunction(
      std::move(*compiled),
      JoinMapped(" ", [](const std::string& s, std::string* out) {
        absl::StrAppend(out, s.size());
      }));
}

FunctionResult CompileIndentMultiLine(std::string_view name,
                                      const std::vector<FunctionArg>& args,
                                      const CallSite& site) {
  auto compiled = CompileArgs(args, site, name);
  if (!compiled.ok()) return compiled.status();
  return MakeSimpleFunction(
      std::move(*compiled),
      JoinMapped(" ", [](const std::string& s, std::string* out) {
        // A line that already starts with a tab gets no second one.
        for (size_t i = 0; i < s.size(); ++i) {
          out->push_back(s[i]);
          if (s[i] == '\n' && (i + 1 >= s.size() || s[i + 1] != '\t')) {
            out->push_back('\t');
          }
        }
      }));
}

// $(sanitize [--ctrl-chars|--no-ctrl-chars] [--invalid-chars SET]
// [--replacement C] ARG...): control characters and the characters of SET
// (default "/") become C (default '_'); the arguments are joined by '/',
// as syslog-ng builds a file path from them.
FunctionResult CompileSanitize(std::string_view name,
                               const std::vector<FunctionArg>& args,
                               const CallSite& site) {
  auto parsed = ParseOptions(args,
                             {{"ctrl-chars", 'c', false},
                              {"no-ctrl-chars", 'C', false},
                              {"invalid-chars", 'i', true},
                              {"replacement", 'r', true}},
                             site, name);
  if (!parsed.ok()) return parsed.status();
  bool ctrl = true;
  std::string invalid = "/";
  char replacement = '_';
  for (const auto& [opt, value] : parsed->options) {
    if (opt == "ctrl-chars") ctrl = true;
    if (opt == "no-ctrl-chars") ctrl = false;
    if (opt == "invalid-chars") invalid = value;
    if (opt == "replacement" && !value.empty()) replacement = value[0];
  }
  auto compiled = CompileArgs(parsed->positional, site, name);
  if (!compiled.ok()) return compiled.status();
  return MakeSimpleFunction(
      std::move(*compiled),
      JoinMapped("/", [=](const std::string& s, std::string* out) {
        for (char c : s) {
          bool bad = (ctrl && static_cast<unsigned char>(c) < 0x20) ||
                     invalid.find(c) != std::string::npos;
          out->push_back(bad ? replacement : c);
        }
      }));
}

// $(replace-delimiter DELIMITERS NEW TEXT): every character of DELIMITERS
// in TEXT becomes NEW's first character. With an empty NEW syslog-ng writes
// a NUL there and the result ends at the first delimiter; that is kept.
// Any other number of arguments expands to nothing.
FunctionResult CompileReplaceDelimiter(std::string_view name,
                                       const std::vector<FunctionArg>& args,
                                       const CallSite& site) {
  auto compiled = CompileArgs(args, site, name);
  if (!compiled.ok()) return compiled.status();
  return MakeSimpleFunction(
      std::move(*compiled), [](std::vector<std::string>& v, std::string* out) {
        if (v.size() != 3) return;
        const std::string& delims = v[0];
        for (char c : v[2]) {
          if (delims.find(c) == std::string::npos) {
            out->push_back(c);
          } else if (v[1].empty()) {
            return;
          } else {
            out->push_back(v[1][0]);
          }
        }
      });
}

// $(padding TEXT WIDTH [PAD]): TEXT right-aligned in WIDTH bytes, filled
// from the left with PAD repeated (default ' '; an empty PAD is ' ').
FunctionResult CompilePadding(std::string_view name,
                              const std::vector<FunctionArg>& args,
                              const CallSite& site) {
  if (args.size() < 2 || args.size() > 3) {
    return FunctionError(site, site.offset, name,
                         "takes a text, a width and an optional padding");
  }
  int64_t width;
  if (args[1].kind == FunctionArg::Kind::kGroup ||
      !absl::SimpleAtoi(args[1].text, &width) || width < 0) {
    return FunctionError(site, args[1].offset, name,
                         "the width must be a non-negative integer");
  }
  std::vector<FunctionArg> templated = {args[0]};
  if (args.size() == 3) templated.push_back(args[2]);
  auto compiled = CompileArgs(templated, site, name);
  if (!compiled.ok()) return compiled.status();
  size_t w = static_cast<size_t>(width);
  return MakeSimpleFunction(
      std::move(*compiled), [w](std::vector<std::string>& v, std::string* out) {
        const std::string& text = v[0];
        std::string pad = v.size() > 1 && !v[1].empty() ? v[1] : " ";
        for (size_t i = 0; text.size() + i < w; ++i) {
          out->push_back(pad[i % pad.size()]);
        }
        out->append(text);
      });
}

}  // namespace

std::vector<FunctionEntry> StringFunctions() {
  return {{"strip", CompileStrip},
          {"length", CompileLength},
          {"indent-multi-line", CompileIndentMultiLine},
          {"sanitize", CompileSanitize},
          {"replace-delimiter", CompileReplaceDelimiter},
          {"padding", CompilePadding}};
}

}  // namespace pydest::internal
