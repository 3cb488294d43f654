// The "value-pairs" object of the JSON configuration form.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libpydest/config/diagnostics.h"
#include "libpydest/config/json_fields.h"
#include "libpydest/config/value_pairs_parser.h"
#include "libpydest/template/template.h"

namespace pydest {
namespace config_internal {
namespace {

// As in the text form: a template that does not compile is an error at the
// field it was written in, not a failure when the destination starts.
absl::Status CheckPairTemplate(const std::string& field,
                               const std::string& text) {
  absl::Status compiled = internal::Template::Compile(text).status();
  if (compiled.ok()) return compiled;
  return FieldError(field, std::string(compiled.message()));
}

absl::Status ParseRekeyJson(const Json& v, const std::string& path,
                            RekeyRule* rule) {
  if (!v.is_object()) return FieldError(path, "expected an object");
  for (const auto& [raw_key, value] : v.items()) {
    std::string key = Key(raw_key);
    std::string field = absl::StrCat(path, ".", raw_key);
    if (key == "glob") {
      PYDEST_CFG_ASSIGN_OR_RETURN(rule->glob, GetString(value, field));
      continue;
    }
    if (key != "transforms") {
      return FieldError(field, absl::StrCat("unknown field",
                                            DidYouMean(key, {"glob",
                                                             "transforms"})));
    }
    if (!value.is_array()) return FieldError(field, "expected a list");
    for (const Json& step : value) {
      if (!step.is_object() || step.size() != 1) {
        return FieldError(field,
                          "each transform is an object with one field, e.g. "
                          "{\"add-prefix\": \"x.\"}");
      }
      const std::string name = Key(step.begin().key());
      const Json& arg = step.begin().value();
      std::string at = absl::StrCat(field, ".", name);
      RekeyTransform t;
      if (name == "add-prefix") {
        t.kind = RekeyTransform::Kind::kAddPrefix;
        PYDEST_CFG_ASSIGN_OR_RETURN(t.text, GetString(arg, at));
      } else if (name == "replace-prefix") {
        t.kind = RekeyTransform::Kind::kReplacePrefix;
        PYDEST_CFG_ASSIGN_OR_RETURN(std::vector<std::string> two,
                                    GetStrings(arg, at));
        if (two.size() != 2) {
          return FieldError(at, "expected [\"old-prefix\", \"new-prefix\"]");
        }
        t.text = two[0];
        t.replacement = two[1];
      } else if (name == "shift" || name == "shift-levels") {
        t.kind = name == "shift" ? RekeyTransform::Kind::kShift
                                 : RekeyTransform::Kind::kShiftLevels;
        PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(arg, at, 1));
        t.count = static_cast<int>(n);
      } else if (name == "upper" || name == "lower") {
        t.kind = name == "upper" ? RekeyTransform::Kind::kUpper
                                 : RekeyTransform::Kind::kLower;
      } else {
        return FieldError(
            at, absl::StrCat("unknown transform",
                             DidYouMean(name, {"add-prefix", "replace-prefix",
                                               "shift", "shift-levels",
                                               "upper", "lower"})));
      }
      rule->transforms.push_back(std::move(t));
    }
  }
  if (rule->glob.empty()) return FieldError(path, "rekey needs a \"glob\"");
  return absl::OkStatus();
}

absl::Status ParsePairJson(const Json& v, const std::string& path,
                           ValuePairsSpec* spec) {
  ValuePair pair;
  if (!v.is_object()) return FieldError(path, "expected an object");
  for (const auto& [raw_key, value] : v.items()) {
    std::string key = Key(raw_key);
    std::string field = absl::StrCat(path, ".", raw_key);
    if (key == "name") {
      PYDEST_CFG_ASSIGN_OR_RETURN(pair.name, GetString(value, field));
    } else if (key == "value" || key == "template") {
      PYDEST_CFG_ASSIGN_OR_RETURN(pair.template_text, GetString(value, field));
      PYDEST_CFG_RETURN_IF_ERROR(CheckPairTemplate(field, pair.template_text));
    } else if (key == "type") {
      PYDEST_CFG_ASSIGN_OR_RETURN(std::string type, GetString(value, field));
      std::optional<TypeHint> hint = TypeHintFromName(type);
      if (!hint.has_value()) {
        return FieldError(field, absl::StrCat("unknown type hint '", type,
                                              "'"));
      }
      pair.hint = *hint;
    } else {
      return FieldError(field,
                        absl::StrCat("unknown field",
                                     DidYouMean(key, {"name", "value",
                                                      "type"})));
    }
  }
  if (pair.name.empty()) return FieldError(path, "pair needs a \"name\"");
  spec->pairs.push_back(std::move(pair));
  return absl::OkStatus();
}

}  // namespace

absl::Status ValuePairsFromJson(const Json& v, ValuePairsSpec* spec) {
  const std::string path = "value-pairs";
  if (!v.is_object()) return FieldError(path, "expected an object");
  for (const auto& [raw_key, value] : v.items()) {
    std::string key = Key(raw_key);
    std::string field = absl::StrCat(path, ".", raw_key);
    if (key == "scope") {
      PYDEST_CFG_ASSIGN_OR_RETURN(std::vector<std::string> names,
                                  GetStrings(value, field));
      for (const std::string& name : names) {
        std::optional<uint32_t> bits = ScopeFromName(name);
        if (!bits.has_value()) {
          return FieldError(field, absl::StrCat("unknown scope '", name, "'"));
        }
        spec->scopes = *bits == 0 ? 0 : (spec->scopes | *bits);
      }
    } else if (key == "key" || key == "exclude") {
      PYDEST_CFG_ASSIGN_OR_RETURN(std::vector<std::string> globs,
                                  GetStrings(value, field));
      for (std::string& glob : globs) {
        spec->patterns.push_back(KeyPattern{key == "key", std::move(glob)});
      }
    } else if (key == "patterns") {
      // Ordered key/exclude mix: [{"key": "a*"}, {"exclude": "ab*"}].
      if (!value.is_array()) return FieldError(field, "expected a list");
      for (const Json& p : value) {
        if (!p.is_object() || p.size() != 1 ||
            !(p.contains("key") || p.contains("exclude")) ||
            !p.begin().value().is_string()) {
          return FieldError(field, "each pattern is {\"key\": \"glob\"} or "
                                   "{\"exclude\": \"glob\"}");
        }
        spec->patterns.push_back(KeyPattern{
            p.begin().key() == "key", p.begin().value().get<std::string>()});
      }
    } else if (key == "pair" || key == "pairs") {
      if (value.is_array()) {
        for (const Json& p : value) {
          PYDEST_CFG_RETURN_IF_ERROR(ParsePairJson(p, field, spec));
        }
      } else if (value.is_object()) {
        // {"name": "template"} shorthand, untyped.
        for (const auto& [name, tmpl] : value.items()) {
          const std::string at = absl::StrCat(field, ".", name);
          PYDEST_CFG_ASSIGN_OR_RETURN(std::string text, GetString(tmpl, at));
          PYDEST_CFG_RETURN_IF_ERROR(CheckPairTemplate(at, text));
          spec->pairs.push_back(ValuePair{name, text, TypeHint::kNone});
        }
      } else {
        return FieldError(field, "expected a list or an object");
      }
    } else if (key == "rekey") {
      if (!value.is_array()) return FieldError(field, "expected a list");
      for (const Json& r : value) {
        RekeyRule rule;
        PYDEST_CFG_RETURN_IF_ERROR(ParseRekeyJson(r, field, &rule));
        spec->rekeys.push_back(std::move(rule));
      }
    } else if (key == "cast") {
      PYDEST_CFG_ASSIGN_OR_RETURN(bool cast, GetBool(value, field));
      spec->cast = cast;
    } else if (key == "omit-empty-values") {
      PYDEST_CFG_ASSIGN_OR_RETURN(spec->omit_empty_values,
                                  GetBool(value, field));
    } else if (key == "include-bytes") {
      PYDEST_CFG_ASSIGN_OR_RETURN(spec->include_bytes, GetBool(value, field));
    } else {
      return FieldError(
          field,
          absl::StrCat("unknown field",
                       DidYouMean(key, {"scope", "key", "exclude", "patterns",
                                        "pair", "rekey", "cast",
                                        "omit-empty-values",
                                        "include-bytes"})));
    }
  }
  return absl::OkStatus();
}

}  // namespace config_internal
}  // namespace pydest
