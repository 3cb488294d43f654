// DestinationOptionsFromJson: the python() options as a JSON object, plus
// the libpydest extras. The schema is documented in docs/config-json.md.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libpydest/config/diagnostics.h"
#include "libpydest/config/disk_buffer_parser.h"
#include "libpydest/config/isolation_parser.h"
#include "libpydest/config/json_fields.h"
#include "libpydest/config/python_options_parser.h"
#include "pydest/config.h"
#include "pydest/limits.h"

namespace pydest {
namespace config_internal {
namespace {

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

// "disk-buffer": {...}: the configuration's option names (either family).
absl::Status ParseDiskBufferJson(const Json& v, DiskBufferSpec* out) {
  const std::string path = "disk-buffer";
  if (!v.is_object()) return FieldError(path, "expected an object");
  static const std::vector<std::string_view> kFields = {
      "reliable", "dir", "disk-buf-size", "capacity-bytes", "mem-buf-size",
      "flow-control-window-bytes", "mem-buf-length",
      "flow-control-window-size", "front-cache-size", "qout-size",
      "truncate-size-ratio", "prealloc", "compaction"};
  for (const auto& [raw_key, value] : v.items()) {
    const std::string key = Key(raw_key);
    const std::string field = absl::StrCat(path, ".", raw_key);
    if (key == "reliable" || key == "prealloc" || key == "compaction") {
      if (!value.is_boolean()) return FieldError(field, "expected true or false");
      const bool b = value.get<bool>();
      (key == "reliable" ? out->reliable
                         : key == "prealloc" ? out->prealloc : out->compaction) = b;
    } else if (key == "dir") {
      PYDEST_CFG_ASSIGN_OR_RETURN(out->dir, GetString(value, field));
      if (out->dir.empty()) return FieldError(field, "must name a folder");
    } else if (key == "disk-buf-size" || key == "capacity-bytes") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, field, 0));
      out->disk_buf_size =
          std::max<uint64_t>(static_cast<uint64_t>(n), kMinDiskBufSize);
    } else if (key == "mem-buf-size" || key == "flow-control-window-bytes") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, field, 0));
      out->mem_buf_size = static_cast<uint64_t>(n);
    } else if (key == "mem-buf-length" || key == "flow-control-window-size") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, field, 1));
      out->mem_buf_length = static_cast<uint64_t>(n);
    } else if (key == "front-cache-size" || key == "qout-size") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, field, 1));
      out->front_cache_size = static_cast<uint64_t>(n);
    } else if (key == "truncate-size-ratio") {
      PYDEST_CFG_ASSIGN_OR_RETURN(double ratio, GetNumber(value, field));
      if (!(ratio >= 0 && ratio <= 1)) {
        return FieldError(field, "must be from 0 to 1");
      }
      out->truncate_size_ratio = ratio;
    } else {
      return FieldError(field, absl::StrCat("unknown field",
                                            DidYouMean(key, kFields)));
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
      "first-seqnum", "target", "batch-idle-timeout", "disk-buffer",
      "dead-letter", "isolation", "send-timeout", "memory-limit",
      "worker-executable"};
  return *kNames;
}

absl::Status ParseTopField(const std::string& key, const std::string& raw_key,
                           const Json& value, DestinationOptions* out);

// "config JSON: [where: ]send-timeout needs "isolation": "process"" when an
// option of isolation(process) is set without it: it would silently do
// nothing in-process.
absl::Status CheckProcessOnlyFields(const DestinationOptions& options,
                                    const std::string& where) {
  const std::string option = ProcessOnlyOptionWithoutProcess(options);
  if (option.empty()) return absl::OkStatus();
  const std::string what =
      absl::StrCat(option, " needs \"isolation\": \"process\"");
  if (where.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("config JSON: ", what));
  }
  return FieldError(where, what);
}

// "dead-letter": {"file": "PATH"} or {"python": {the fields of a
// destination, but "dead-letter"}}.
absl::Status ParseDeadLetterJson(const Json& v, DeadLetterSpec* out) {
  const std::string path = "dead-letter";
  if (!v.is_object()) return FieldError(path, "expected an object");
  for (const auto& [raw_key, value] : v.items()) {
    const std::string key = Key(raw_key);
    const std::string field = absl::StrCat(path, ".", raw_key);
    if (key == "file") {
      PYDEST_CFG_ASSIGN_OR_RETURN(out->file, GetString(value, field));
      if (out->file.empty()) return FieldError(field, "must name a file");
    } else if (key == "python") {
      if (!value.is_object()) return FieldError(field, "expected an object");
      auto second = std::make_shared<DestinationOptions>();
      for (const auto& [inner_raw, inner] : value.items()) {
        const std::string inner_key = Key(inner_raw);
        const std::string inner_field = absl::StrCat(field, ".", inner_raw);
        if (inner_key == "dead-letter") {
          return FieldError(inner_field,
                            "a dead-letter python destination cannot have "
                            "a dead-letter of its own");
        }
        PYDEST_CFG_RETURN_IF_ERROR(
            ParseTopField(inner_key, inner_field, inner, second.get()));
      }
      if (second->class_name.empty()) {
        return FieldError(field, "'class' is required (\"module.Class\")");
      }
      PYDEST_CFG_RETURN_IF_ERROR(CheckProcessOnlyFields(*second, field));
      out->python = std::move(second);
    } else {
      return FieldError(field, absl::StrCat("unknown field",
                                            DidYouMean(key, {"file",
                                                             "python"})));
    }
  }
  if (out->file.empty() == (out->python == nullptr)) {
    return FieldError(path, "expected exactly one of \"file\" or \"python\"");
  }
  return absl::OkStatus();
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
    PYDEST_CFG_RETURN_IF_ERROR(ValuePairsFromJson(value, &*out->value_pairs));
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
    // Milliseconds, as in the configuration (docs/config-json.md).
    PYDEST_CFG_ASSIGN_OR_RETURN(int64_t ms, GetInt(value, f, 0));
    out->batch_timeout = absl::Milliseconds(ms);
  } else if (key == "batch-idle-timeout") {
    PYDEST_CFG_ASSIGN_OR_RETURN(int64_t ms, GetInt(value, f, 0));
    out->batch_idle_timeout = absl::Milliseconds(ms);
  } else if (key == "workers") {
    PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, f, 1));
    out->workers = static_cast<int>(n);
  } else if (key == "log-fifo-size") {
    PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, f, 1));
    out->log_fifo_size = static_cast<size_t>(n);
  } else if (key == "persist-name") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->persist_name, GetString(value, f));
  } else if (key == "target") {
    PYDEST_CFG_ASSIGN_OR_RETURN(std::string text, GetString(value, f));
    std::optional<Target> target = TargetFromName(text);
    if (!target) {
      return FieldError(f, absl::StrCat("expected syslog-ng or axosyslog, "
                                        "got '", text, "'"));
    }
    out->target = *target;
  } else if (key == "loaders" || key == "imports") {
    PYDEST_CFG_ASSIGN_OR_RETURN(std::vector<std::string> modules,
                                GetStrings(value, f));
    out->loaders.insert(out->loaders.end(), modules.begin(), modules.end());
  } else if (key == "throttle") {
    // 0 is syslog-ng's "no limit".
    PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, GetInt(value, f, 0));
    if (n > 0) {
      out->throttle = static_cast<int>(n);
    } else {
      out->throttle.reset();
    }
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
  } else if (key == "disk-buffer") {
    out->disk_buffer.emplace();
    PYDEST_CFG_RETURN_IF_ERROR(ParseDiskBufferJson(value, &*out->disk_buffer));
  } else if (key == "dead-letter") {
    out->dead_letter.emplace();
    PYDEST_CFG_RETURN_IF_ERROR(ParseDeadLetterJson(value, &*out->dead_letter));
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
  } else if (key == "isolation") {
    PYDEST_CFG_ASSIGN_OR_RETURN(std::string text, GetString(value, f));
    std::optional<Isolation> isolation = IsolationFromName(text);
    if (!isolation) {
      return FieldError(f, absl::StrCat("expected \"thread\" or \"process\", "
                                        "got '", text, "'",
                                        DidYouMean(text, IsolationNames())));
    }
    out->isolation = *isolation;
  } else if (key == "send-timeout") {
    PYDEST_CFG_ASSIGN_OR_RETURN(double seconds, GetNumber(value, f));
    const std::string problem = SendTimeoutProblem(seconds);
    if (!problem.empty()) {
      return FieldError(f, absl::StrCat("expected ", problem, ", got ",
                                        value.dump()));
    }
    out->send_timeout = absl::Seconds(seconds);
  } else if (key == "memory-limit") {
    // MiB, as memory-limit() in the configuration.
    PYDEST_CFG_ASSIGN_OR_RETURN(int64_t mib, GetInt(value, f, INT64_MIN));
    const std::string problem = MemoryLimitProblem(mib);
    if (!problem.empty()) {
      return FieldError(f, absl::StrCat("expected ", problem));
    }
    out->memory_limit_mib = static_cast<uint64_t>(mib);
  } else if (key == "worker-executable") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->worker_executable, GetString(value, f));
    if (out->worker_executable.empty()) return FieldError(f, "must name a file");
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
  // Deeper documents are refused while they are read: what reads the
  // options afterwards (and nlohmann's dump() in messages) recurses.
  bool too_deep = false;
  Json::parser_callback_t depth_check = [&too_deep](int depth,
                                                    Json::parse_event_t,
                                                    Json&) {
    if (depth > kMaxJsonDepth) too_deep = true;
    return !too_deep;
  };
  Json doc = Json::parse(json.begin(), json.end(), depth_check,
                         /*allow_exceptions=*/false);
  if (too_deep) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config JSON: nested more than ", kMaxJsonDepth, " deep"));
  }
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
  PYDEST_CFG_RETURN_IF_ERROR(
      config_internal::CheckProcessOnlyFields(out, /*where=*/""));
  return out;
}

}  // namespace pydest
