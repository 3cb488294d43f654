#include "libpydest/template/function_util.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace pydest::internal {
namespace {

class SimpleFunction final : public TemplateFunction {
 public:
  SimpleFunction(std::vector<TemplatePtr> args, ApplyFn apply)
      : args_(std::move(args)), apply_(std::move(apply)) {}
  void Call(const Message& msg, const MacroContext& ctx,
            std::string* out) const override {
    std::vector<std::string> values = EvalArgs(args_, msg, ctx);
    apply_(values, out);
  }

 private:
  std::vector<TemplatePtr> args_;
  ApplyFn apply_;
};

bool NeedsQuoting(std::string_view s) {
  if (s.empty()) return true;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == ' ' || c == ',' || c == '"' || c == '\'' ||
        c == '\\') {
      return true;
    }
  }
  return false;
}

}  // namespace

absl::Status FunctionError(const CallSite& site, size_t offset,
                           std::string_view fn, std::string_view what) {
  return TemplateError(site.source, offset,
                       absl::StrCat("$(", std::string(fn), "): ", std::string(what)));
}

absl::StatusOr<std::vector<TemplatePtr>> CompileArgs(
    const std::vector<FunctionArg>& args, const CallSite& site,
    std::string_view fn) {
  std::vector<TemplatePtr> out;
  for (const FunctionArg& a : args) {
    if (a.kind == FunctionArg::Kind::kGroup) {
      return FunctionError(site, a.offset, fn, "unexpected '('");
    }
    auto t = CompileArgument(a, site);
    if (!t.ok()) return t.status();
    out.push_back(std::move(*t));
  }
  return out;
}

std::vector<std::string> EvalArgs(const std::vector<TemplatePtr>& args,
                                  const Message& msg, const MacroContext& ctx) {
  std::vector<std::string> values(args.size());
  for (size_t i = 0; i < args.size(); ++i) args[i]->Format(msg, ctx, &values[i]);
  return values;
}

std::unique_ptr<TemplateFunction> MakeSimpleFunction(
    std::vector<TemplatePtr> args, ApplyFn apply) {
  return std::make_unique<SimpleFunction>(std::move(args), std::move(apply));
}

const std::string* ParsedOptions::Get(std::string_view long_name) const {
  const std::string* found = nullptr;
  for (const auto& [name, value] : options) {
    if (name == long_name) found = &value;
  }
  return found;
}

absl::StatusOr<ParsedOptions> ParseOptions(
    const std::vector<FunctionArg>& args, const std::vector<OptionSpec>& spec,
    const CallSite& site, std::string_view fn) {
  ParsedOptions parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const FunctionArg& a = args[i];
    const OptionSpec* match = nullptr;
    std::string inline_value;
    bool has_inline = false;
    if (a.kind == FunctionArg::Kind::kWord && a.text.size() >= 2 &&
        a.text[0] == '-') {
      std::string_view word = a.text;
      if (word.substr(0, 2) == "--") {
        std::string_view name = word.substr(2);
        size_t eq = name.find('=');
        if (eq != std::string_view::npos) {
          inline_value = std::string(name.substr(eq + 1));
          name = name.substr(0, eq);
          has_inline = true;
        }
        for (const OptionSpec& s : spec) {
          if (s.long_name == name) match = &s;
        }
        if (match == nullptr && !name.empty() &&
            (name[0] < '0' || name[0] > '9')) {
          return FunctionError(site, a.offset, fn,
                               absl::StrCat("unknown option '--", std::string(name), "'"));
        }
      } else if (word.size() == 2) {
        for (const OptionSpec& s : spec) {
          if (s.short_name != 0 && s.short_name == word[1]) match = &s;
        }
      }
    }
    if (match == nullptr) {
      parsed.positional.push_back(a);
      continue;
    }
    std::string value;
    if (match->takes_value) {
      if (has_inline) {
        value = inline_value;
      } else if (i + 1 < args.size() &&
                 args[i + 1].kind != FunctionArg::Kind::kGroup) {
        value = args[++i].text;
      } else {
        return FunctionError(site, a.offset, fn,
                             absl::StrCat("--", std::string(match->long_name),
                                          " needs a value"));
      }
    }
    parsed.options.emplace_back(std::string(match->long_name),
                                std::move(value));
  }
  return parsed;
}

void AppendListElements(std::string_view list, std::vector<std::string>* out) {
  size_t i = 0;
  const size_t n = list.size();
  while (i < n) {
    std::string element;
    char q = list[i];
    if (q == '"' || q == '\'') {
      size_t j = i + 1;
      while (j < n && list[j] != q) {
        char c = list[j];
        if (c == '\\' && j + 1 < n) {
          char e = list[++j];
          switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'a': c = '\a'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'v': c = '\v'; break;
            default: c = e; break;
          }
        }
        element.push_back(c);
        ++j;
      }
      // Anything after the closing quote up to the comma is dropped.
      size_t comma = list.find(',', j);
      i = comma == std::string_view::npos ? n : comma + 1;
      out->push_back(std::move(element));  // "" is an empty element
      continue;
    } else {
      size_t comma = list.find(',', i);
      size_t end = comma == std::string_view::npos ? n : comma;
      element = std::string(list.substr(i, end - i));
      i = comma == std::string_view::npos ? n : comma + 1;
    }
    if (!element.empty()) out->push_back(std::move(element));
  }
}

void AppendListElement(std::string_view element, std::string* list) {
  if (!list->empty()) list->push_back(',');
  if (!NeedsQuoting(element)) {
    list->append(element);
    return;
  }
  char quote = element.find('"') != std::string_view::npos &&
                       element.find('\'') == std::string_view::npos
                   ? '\''
                   : '"';
  static const char kHex[] = "0123456789abcdef";
  list->push_back(quote);
  for (char ch : element) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\\': list->append("\\\\"); break;
      case '\n': list->append("\\n"); break;
      case '\t': list->append("\\t"); break;
      case '\r': list->append("\\r"); break;
      default:
        if (c == static_cast<unsigned char>(quote)) {
          list->push_back('\\');
          list->push_back(ch);
        } else if (c < 0x20) {
          list->append("\\x");
          list->push_back(kHex[c >> 4]);
          list->push_back(kHex[c & 0xf]);
        } else {
          list->push_back(ch);
        }
    }
  }
  list->push_back(quote);
}

}  // namespace pydest::internal
