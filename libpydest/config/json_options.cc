// DestinationOptionsFromJson: the python() options as a JSON object, plus
// the libpydest extras. The schema is documented in docs/config-json.md.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libpydest/config/diagnostics.h"
#include "libpydest/config/python_options_parser.h"
#include "libpydest/config/value_pairs_parser.h"
#include "nlohmann/json.hpp"
#include "pydest/config.h"

namespace pydest {
namespace config_internal {
namespace {

using Json = nlohmann::ordered_json;

absl::Status FieldError(const std::string& path, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      "config JSON: '", path, "': ", absl::string_view(what.data(),
                                                       what.size())));
}

// JSON keys may use '-' or '_'; compared in '-' spelling.
std::string Key(const std::string& key) { return CanonicalName(key); }

absl::StatusOr<std::string> GetString(const Json& v, const std::string& path) {
  if (!v.is_string()) return FieldError(path, "expected a string");
  return v.get<std::string>();
}

absl::StatusOr<int64_t> GetInt(const Json& v, const std::string& path,
                               int64_t min) {
  if (!v.is_number_integer()) return FieldError(path, "expected an integer");
  int64_t n = v.get<int64_t>();
  if (n < min) {
    return FieldError(path, min == 0 ? "expected a non-negative integer"
                                     : "expected a positive integer");
  }
  return n;
}

absl::StatusOr<double> GetNumber(const Json& v, const std::string& path) {
  if (!v.is_number()) return FieldError(path, "expected a number");
  return v.get<double>();
}

absl::StatusOr<bool> GetBool(const Json& v, const std::string& path) {
  if (!v.is_boolean()) return FieldError(path, "expected true or false");
  return v.get<bool>();
}

absl::StatusOr<std::vector<std::string>> GetStrings(const Json& v,
                                                    const std::string& path) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
    return out;
  }
  if (!v.is_array()) return FieldError(path, "expected a list of strings");
  for (const Json& item : v) {
    if (!item.is_string()) {
      return FieldError(path, "expected a list of strings");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

absl::StatusOr<OptionValue> GetOptionValue(const Json& v,
                                           const std::string& path) {
  OptionValue out;
  if (v.is_string()) {
    out.kind = OptionValue::Kind::kString;
    out.text = v.get<std::string>();
  } else if (v.is_boolean()) {
    out.kind = OptionValue::Kind::kBoolean;
    out.text = v.get<bool>() ? "true" : "false";
  } else if (v.is_number_integer()) {
    out.kind = OptionValue::Kind::kInteger;
    out.text = v.dump();
  } else if (v.is_number()) {
    out.kind = OptionValue::Kind::kDouble;
    out.text = v.dump();
  } else if (v.is_array()) {
    out.kind = OptionValue::Kind::kList;
    for (const Json& item : v) {
      if (item.is_string()) {
        out.items.push_back(item.get<std::string>());
      } else if (item.is_number() || item.is_boolean()) {
        out.items.push_back(item.dump());
      } else {
        return FieldError(path, "list items must be strings or numbers");
      }
    }
  } else if (v.is_object() && v.size() == 1 && v.contains("template") &&
             v["template"].is_string()) {
    out.kind = OptionValue::Kind::kTemplate;
    out.text = v["template"].get<std::string>();
  } else {
    return FieldError(path,
                      "expected a string, number, boolean, list or "
                      "{\"template\": \"...\"}");
  }
  return out;
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

absl::Status ParseValuePairsJson(const Json& v, ValuePairsSpec* spec) {
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
          PYDEST_CFG_ASSIGN_OR_RETURN(
              std::string text, GetString(tmpl, absl::StrCat(field, ".", name)));
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

absl::Status ParseBackoffJson(const Json& v, ReopenBackoff* out) {
  const std::string path = "backoff";
  if (!v.is_object()) return FieldError(path, "expected an object");
  for (const auto& [raw_key, value] : v.items()) {
    std::string key = Key(raw_key);
    std::string field = absl::StrCat(path, ".", raw_key);
    if (key == "kind") {
      PYDEST_CFG_ASSIGN_OR_RETURN(std::string kind, GetString(value, field));
      if (kind == "fixed") {
        out->kind = ReopenBackoff::Kind::kFixed;
      } else if (kind == "exponential") {
        out->kind = ReopenBackoff::Kind::kExponential;
      } else {
        return FieldError(field, "expected \"fixed\" or \"exponential\"");
      }
    } else if (key == "multiplier") {
      PYDEST_CFG_ASSIGN_OR_RETURN(out->multiplier, GetNumber(value, field));
      if (out->multiplier < 1.0) return FieldError(field, "must be >= 1");
    } else if (key == "max-interval") {
      PYDEST_CFG_ASSIGN_OR_RETURN(double seconds, GetNumber(value, field));
      if (seconds <= 0) return FieldError(field, "must be positive");
      out->max_interval = absl::Seconds(seconds);
    } else if (key == "jitter") {
      PYDEST_CFG_ASSIGN_OR_RETURN(out->jitter, GetNumber(value, field));
      if (out->jitter < 0 || out->jitter >= 1) {
        return FieldError(field, "must be in [0, 1)");
      }
    } else if (key == "max-attempts") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, field, 1));
      out->max_attempts = static_cast<int>(n);
    } else {
      return FieldError(
          field, absl::StrCat("unknown field",
                              DidYouMean(key, {"kind", "multiplier",
                                               "max-interval", "jitter",
                                               "max-attempts"})));
    }
  }
  return absl::OkStatus();
}

const std::vector<std::string_view>& TopFields() {
  static const auto* const kNames = new std::vector<std::string_view>{
      "name", "class", "options", "value-pairs", "on-error", "time-reopen",
      "retries", "batch-lines", "batch-timeout", "workers", "log-fifo-size",
      "persist-name", "loaders", "imports", "throttle", "frac-digits",
      "ts-format", "time-zone", "send-time-zone", "local-time-zone",
      "version", "global-code", "global-code-filename", "python-path",
      "virtualenv", "state-dir", "backoff", "overflow", "strings-as-str",
      "first-seqnum"};
  return *kNames;
}

absl::Status ParseTopField(const std::string& key, const std::string& raw_key,
                           const Json& value, DestinationOptions* out) {
  const std::string& f = raw_key;
  if (key == "name") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->name, GetString(value, f));
  } else if (key == "class") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->class_name, GetString(value, f));
  } else if (key == "options") {
    if (!value.is_object()) return FieldError(f, "expected an object");
    for (const auto& [name, v] : value.items()) {
      PYDEST_CFG_ASSIGN_OR_RETURN(OptionValue option,
                                  GetOptionValue(v, absl::StrCat(f, ".", name)));
      std::string normalised = name;
      std::replace(normalised.begin(), normalised.end(), '-', '_');
      out->options.emplace_back(std::move(normalised), std::move(option));
    }
  } else if (key == "value-pairs") {
    out->value_pairs.emplace();
    PYDEST_CFG_RETURN_IF_ERROR(ParseValuePairsJson(value, &*out->value_pairs));
  } else if (key == "on-error") {
    PYDEST_CFG_ASSIGN_OR_RETURN(std::string text, GetString(value, f));
    std::optional<OnError> on_error = OnErrorFromName(text);
    if (!on_error) return FieldError(f, absl::StrCat("invalid value '", text,
                                                     "'"));
    out->on_error = *on_error;
  } else if (key == "time-reopen") {
    PYDEST_CFG_ASSIGN_OR_RETURN(double seconds, GetNumber(value, f));
    if (seconds <= 0) return FieldError(f, "must be positive");
    out->time_reopen = absl::Seconds(seconds);
  } else if (key == "retries") {
    PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, f, 1));
    out->retries = static_cast<int>(n);
  } else if (key == "batch-lines") {
    PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, f, 0));
    out->batch_lines = static_cast<int>(n);
  } else if (key == "batch-timeout") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->batch_timeout_ms, GetInt(value, f, 1));
  } else if (key == "workers") {
    PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, f, 1));
    out->workers = static_cast<int>(n);
  } else if (key == "log-fifo-size") {
    PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, f, 1));
    out->log_fifo_size = static_cast<size_t>(n);
  } else if (key == "persist-name") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->persist_name, GetString(value, f));
  } else if (key == "loaders" || key == "imports") {
    PYDEST_CFG_ASSIGN_OR_RETURN(std::vector<std::string> modules,
                                GetStrings(value, f));
    out->loaders.insert(out->loaders.end(), modules.begin(), modules.end());
  } else if (key == "throttle") {
    PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, f, 0));
    out->throttle = static_cast<int>(n);
  } else if (key == "frac-digits") {
    PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, f, 0));
    out->template_options.frac_digits = static_cast<int>(n);
  } else if (key == "ts-format") {
    PYDEST_CFG_ASSIGN_OR_RETURN(std::string text, GetString(value, f));
    std::optional<std::string> format = TsFormatFromName(text);
    if (!format) return FieldError(f, absl::StrCat("invalid value '", text,
                                                   "'"));
    out->template_options.ts_format = *format;
  } else if (key == "time-zone" || key == "send-time-zone") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->template_options.send_time_zone,
                                GetString(value, f));
  } else if (key == "local-time-zone") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->template_options.local_time_zone,
                                GetString(value, f));
  } else if (key == "version") {
    std::string text = value.is_string() ? value.get<std::string>()
                                         : value.is_number() ? value.dump()
                                                             : "";
    size_t dot = text.find('.');
    try {
      out->version.major = std::stoi(text.substr(0, dot));
      out->version.minor =
          dot == std::string::npos ? 0 : std::stoi(text.substr(dot + 1));
    } catch (...) {
      return FieldError(f, "expected a version such as \"3.38\" or \"4.2\"");
    }
  } else if (key == "global-code") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->global_code, GetString(value, f));
  } else if (key == "global-code-filename") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->global_code_filename,
                                GetString(value, f));
  } else if (key == "python-path") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->python_path, GetStrings(value, f));
  } else if (key == "virtualenv") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->virtualenv, GetString(value, f));
  } else if (key == "state-dir") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->state_dir, GetString(value, f));
  } else if (key == "backoff") {
    PYDEST_CFG_RETURN_IF_ERROR(ParseBackoffJson(value, &out->backoff));
  } else if (key == "overflow") {
    PYDEST_CFG_ASSIGN_OR_RETURN(std::string text, GetString(value, f));
    std::string policy = CanonicalName(text);
    if (policy == "block") {
      out->overflow = OverflowPolicy::kBlock;
    } else if (policy == "drop-newest") {
      out->overflow = OverflowPolicy::kDropNewest;
    } else if (policy == "drop-oldest") {
      out->overflow = OverflowPolicy::kDropOldest;
    } else {
      return FieldError(f, "expected \"block\", \"drop-newest\" or "
                           "\"drop-oldest\"");
    }
  } else if (key == "strings-as-str") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->strings_as_str, GetBool(value, f));
  } else if (key == "first-seqnum") {
    PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, f, 0));
    out->first_seqnum = static_cast<uint64_t>(n);
  } else {
    return FieldError(f, absl::StrCat("unknown field",
                                      DidYouMean(key, TopFields())));
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace config_internal

absl::StatusOr<DestinationOptions> DestinationOptionsFromJson(
    std::string_view json) {
  using config_internal::Json;
  Json doc = Json::parse(json.begin(), json.end(), nullptr,
                         /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return absl::InvalidArgumentError("config JSON: not valid JSON");
  }
  if (!doc.is_object()) {
    return absl::InvalidArgumentError("config JSON: expected an object");
  }
  DestinationOptions out;
  for (const auto& [raw_key, value] : doc.items()) {
    PYDEST_CFG_RETURN_IF_ERROR(config_internal::ParseTopField(
        config_internal::Key(raw_key), raw_key, value, &out));
  }
  if (out.class_name.empty()) {
    return absl::InvalidArgumentError(
        "config JSON: 'class' is required (\"module.Class\")");
  }
  return out;
}

}  // namespace pydest
