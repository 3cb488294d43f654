#include "libpydest/config/python_options_parser.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libpydest/config/dead_letter_parser.h"
#include "libpydest/config/disk_buffer_parser.h"
#include "libpydest/config/isolation_parser.h"
#include "libpydest/config/option_values.h"
#include "libpydest/config/value_pairs_parser.h"

namespace pydest {
namespace config_internal {
namespace {

const std::vector<std::string_view>& PythonOptionNames() {
  static const auto* const kNames = new std::vector<std::string_view>{
      "class",          "options",         "value-pairs",   "loaders",
      "imports",        "on-error",        "time-reopen",   "retries",
      "batch-lines",    "batch-timeout",   "workers",       "log-fifo-size",
      "persist-name",   "throttle",        "internal",      "frac-digits",
      "ts-format",      "time-zone",       "send-time-zone",
      "local-time-zone", "flags",          "template-escape", "disk-buffer",
      "target",         "batch-idle-timeout", "dead-letter",
      "isolation",      "send-timeout",    "memory-limit",
      "worker-executable"};
  return *kNames;
}

const char kOnErrorValues[] =
    "drop-message, drop-property, fallback-to-string, silently-drop-message, "
    "silently-drop-property or silently-fallback-to-string";

const std::vector<std::string_view>& OnErrorNames() {
  static const auto* const kNames = new std::vector<std::string_view>{
      "drop-message",          "drop-property",
      "fallback-to-string",    "silently-drop-message",
      "silently-drop-property", "silently-fallback-to-string"};
  return *kNames;
}

// on-error("value") with its error message.
absl::StatusOr<OnError> ReadOnError(TokenStream& in) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token value, in.Peek());
  PYDEST_CFG_ASSIGN_OR_RETURN(std::string text, in.ReadStringArg("on-error()"));
  std::optional<OnError> on_error = OnErrorFromName(text);
  if (!on_error.has_value()) {
    return in.ErrorAt(
        value.pos,
        absl::StrCat("on-error() expects ", kOnErrorValues, "; got '", text,
                     "'", DidYouMean(text, OnErrorNames())));
  }
  return *on_error;
}

// target(syslog-ng|axosyslog), a libpydest option (include/pydest/target.h).
absl::StatusOr<Target> ReadTarget(TokenStream& in) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token value, in.Peek());
  PYDEST_CFG_ASSIGN_OR_RETURN(std::string text, in.ReadStringArg("target()"));
  std::optional<Target> target = TargetFromName(text);
  if (!target.has_value()) {
    return in.ErrorAt(value.pos,
                      absl::StrCat("target() expects syslog-ng or axosyslog; "
                                   "got '", text, "'"));
  }
  return *target;
}

absl::StatusOr<std::string> ReadTsFormat(TokenStream& in) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token value, in.Peek());
  PYDEST_CFG_ASSIGN_OR_RETURN(std::string text,
                              in.ReadStringArg("ts-format()"));
  std::optional<std::string> format = TsFormatFromName(text);
  if (!format.has_value()) {
    return in.ErrorAt(value.pos,
                      absl::StrCat("ts-format() expects rfc3164, bsd, "
                                   "rfc3339, iso, unix or full; got '",
                                   text, "'"));
  }
  return *format;
}

// Template options shared by python() and the global options block; returns
// false (and does nothing) for other names.
absl::StatusOr<bool> ParseTemplateOption(TokenStream& in,
                                         const std::string& canonical,
                                         TemplateOptions* t,
                                         ExplicitOptions* set) {
  if (canonical == "frac-digits") {
    PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, in.ReadIntArg("frac-digits()", 0));
    t->frac_digits = static_cast<int>(n);
    set->frac_digits = true;
  } else if (canonical == "ts-format") {
    PYDEST_CFG_ASSIGN_OR_RETURN(t->ts_format, ReadTsFormat(in));
    set->ts_format = true;
  } else if (canonical == "time-zone" || canonical == "send-time-zone") {
    PYDEST_CFG_ASSIGN_OR_RETURN(
        t->send_time_zone, in.ReadStringArg(absl::StrCat(canonical, "()")));
    set->send_time_zone = true;
  } else if (canonical == "local-time-zone") {
    PYDEST_CFG_ASSIGN_OR_RETURN(t->local_time_zone,
                                in.ReadStringArg("local-time-zone()"));
    set->local_time_zone = true;
  } else if (canonical == "template-escape") {
    // Only affects templates written into text outputs; no effect on the
    // values a Python destination receives.
    PYDEST_CFG_RETURN_IF_ERROR(in.ReadBoolArg("template-escape()").status());
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::optional<OnError> OnErrorFromName(std::string_view raw) {
  std::string name = CanonicalName(raw);
  if (name == "drop-message") return OnError::kDropMessage;
  if (name == "drop-property") return OnError::kDropProperty;
  if (name == "fallback-to-string") return OnError::kFallbackToString;
  if (name == "silently-drop-message") return OnError::kSilentlyDropMessage;
  if (name == "silently-drop-property") return OnError::kSilentlyDropProperty;
  if (name == "silently-fallback-to-string")
    return OnError::kSilentlyFallbackToString;
  return std::nullopt;
}

std::optional<std::string> TsFormatFromName(std::string_view name) {
  if (name == "rfc3164" || name == "bsd") return std::string("rfc3164");
  if (name == "rfc3339" || name == "iso") return std::string("rfc3339");
  if (name == "unix" || name == "full") return std::string(name);
  return std::nullopt;
}

std::optional<Target> TargetFromName(std::string_view name) {
  std::string n(name);
  std::replace(n.begin(), n.end(), '_', '-');
  if (n == "syslog-ng" || n == "syslogng") return Target::kSyslogNg;
  if (n == "axosyslog") return Target::kAxoSyslog;
  return std::nullopt;
}

absl::Status ParsePythonBody(TokenStream& in, const Token& keyword,
                             DestinationOptions* out,
                             ExplicitOptions* explicit_options,
                             bool until_end, bool in_dead_letter) {
  bool has_class = false;
  // Options that only isolation(process) reads: where the first was given.
  std::optional<Token> process_only;
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token name, in.Next());
    if (until_end && name.kind == TokenKind::kEnd) break;
    if (until_end && name.kind == TokenKind::kRParen) {
      return in.ErrorAt(name.pos, "unexpected ')': no '(' to close");
    }
    if (name.kind == TokenKind::kRParen) break;
    if (name.kind == TokenKind::kSemicolon || name.kind == TokenKind::kEnd ||
        name.kind == TokenKind::kRBrace) {
      return in.ErrorAt(
          name.pos, absl::StrCat("missing ')' to close python( opened at ",
                                 keyword.pos.line, ":", keyword.pos.column,
                                 "; got ", DescribeToken(name)));
    }
    if (name.kind != TokenKind::kWord) {
      return in.ErrorAt(name.pos,
                        absl::StrCat("expected a python() option or ')', got ",
                                     DescribeToken(name)));
    }
    std::string canonical = CanonicalName(name.text);
    bool known = false;
    for (std::string_view option : PythonOptionNames()) {
      if (option == canonical) known = true;
    }
    if (!known) {
      return in.ErrorAt(
          name.pos,
          absl::StrCat("unknown option '", name.text, "' in python()",
                       DidYouMean(name.text, PythonOptionNames())));
    }
    PYDEST_CFG_ASSIGN_OR_RETURN(
        Token open,
        in.Expect(TokenKind::kLParen,
                  absl::StrCat("'(' after '", name.text, "'")));
    std::string option = absl::StrCat(canonical, "()");
    PYDEST_CFG_ASSIGN_OR_RETURN(
        bool was_template,
        ParseTemplateOption(in, canonical, &out->template_options,
                            explicit_options));
    if (was_template) continue;
    PYDEST_CFG_ASSIGN_OR_RETURN(
        bool was_isolation,
        ParseIsolationOption(in, name, canonical, out, &process_only));
    if (was_isolation) continue;
    if (canonical == "class") {
      PYDEST_CFG_ASSIGN_OR_RETURN(Token value, in.Peek());
      PYDEST_CFG_ASSIGN_OR_RETURN(out->class_name, in.ReadStringArg(option));
      if (out->class_name.empty()) {
        return in.ErrorAt(value.pos, "class() must name a Python class");
      }
      has_class = true;
    } else if (canonical == "options") {
      PYDEST_CFG_RETURN_IF_ERROR(ParseOptionsBlock(in, &out->options));
    } else if (canonical == "value-pairs") {
      if (!out->value_pairs.has_value()) out->value_pairs.emplace();
      PYDEST_CFG_RETURN_IF_ERROR(ParseValuePairsBody(in, &*out->value_pairs));
    } else if (canonical == "loaders" || canonical == "imports") {
      PYDEST_CFG_ASSIGN_OR_RETURN(std::vector<std::string> modules,
                                  in.ReadStringListArg(option));
      out->loaders.insert(out->loaders.end(), modules.begin(), modules.end());
    } else if (canonical == "on-error") {
      PYDEST_CFG_ASSIGN_OR_RETURN(out->on_error, ReadOnError(in));
      explicit_options->on_error = true;
    } else if (canonical == "time-reopen") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t seconds, in.ReadIntArg(option, 1));
      out->time_reopen = absl::Seconds(seconds);
      explicit_options->time_reopen = true;
    } else if (canonical == "retries") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, in.ReadIntArg(option, 1));
      out->retries = static_cast<int>(n);
    } else if (canonical == "batch-lines") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, in.ReadIntArg(option, 0));
      out->batch_lines = static_cast<int>(n);
    } else if (canonical == "batch-timeout") {
      // Milliseconds; 0 (no timeout) is accepted, as AxoSyslog does.
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t ms, in.ReadIntArg(option, 0));
      out->batch_timeout = absl::Milliseconds(ms);
    } else if (canonical == "batch-idle-timeout") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t ms, in.ReadIntArg(option, 0));
      out->batch_idle_timeout = absl::Milliseconds(ms);
    } else if (canonical == "workers") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, in.ReadIntArg(option, 1));
      out->workers = static_cast<int>(n);
    } else if (canonical == "log-fifo-size") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, in.ReadIntArg(option, 1));
      out->log_fifo_size = static_cast<size_t>(n);
      explicit_options->log_fifo_size = true;
    } else if (canonical == "persist-name") {
      PYDEST_CFG_ASSIGN_OR_RETURN(out->persist_name, in.ReadStringArg(option));
    } else if (canonical == "throttle") {
      // throttle(0) is syslog-ng's "no limit".
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, in.ReadIntArg(option, 0));
      if (n > 0) {
        out->throttle = static_cast<int>(n);
      } else {
        out->throttle.reset();
      }
    } else if (canonical == "target") {
      PYDEST_CFG_ASSIGN_OR_RETURN(out->target, ReadTarget(in));
      explicit_options->target = true;
    } else if (canonical == "internal") {
      // Only changes the stats level syslog-ng files the driver under.
      PYDEST_CFG_RETURN_IF_ERROR(in.ReadBoolArg(option).status());
    } else if (canonical == "flags") {
      // flags(seqnum-all, no-seqnum-all, seqnum, no-seqnum) (4.6+): read
      // over; libpydest numbers every message it is given.
      PYDEST_CFG_RETURN_IF_ERROR(in.ReadStringListArg(option).status());
    } else if (canonical == "dead-letter") {
      if (in_dead_letter) {
        return in.ErrorAt(name.pos,
                          "a dead-letter(python()) cannot have a "
                          "dead-letter() of its own");
      }
      if (out->dead_letter.has_value()) {
        return in.ErrorAt(name.pos,
                          "dead-letter() is given twice in this python()");
      }
      out->dead_letter.emplace();
      explicit_options->dead_letter = std::make_shared<ExplicitOptions>();
      PYDEST_CFG_RETURN_IF_ERROR(ParseDeadLetterBody(
          in, name, &*out->dead_letter, explicit_options->dead_letter.get()));
    } else {  // disk-buffer(...)
      if (!out->disk_buffer.has_value()) out->disk_buffer.emplace();
      PYDEST_CFG_RETURN_IF_ERROR(ParseDiskBufferBody(in, &*out->disk_buffer));
    }
  }
  if (!has_class) {
    return in.ErrorAt(keyword.pos,
                      "python() has no class(); class(\"module.Class\") is "
                      "required");
  }
  return CheckProcessOnlyOptions(in, process_only, *out);
}

absl::Status ParseGlobalOptionsBody(TokenStream& in, GlobalDefaults* out) {
  TemplateOptions t;
  ExplicitOptions set;
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token name, in.Next());
    if (name.kind == TokenKind::kRBrace) break;
    if (name.kind == TokenKind::kSemicolon) continue;
    if (name.kind != TokenKind::kWord) {
      return in.ErrorAt(name.pos,
                        absl::StrCat("expected a global option or '}', got ",
                                     DescribeToken(name)));
    }
    std::string canonical = CanonicalName(name.text);
    PYDEST_CFG_ASSIGN_OR_RETURN(
        Token open,
        in.Expect(TokenKind::kLParen,
                  absl::StrCat("'(' after '", name.text, "'")));
    std::string option = absl::StrCat(canonical, "()");
    PYDEST_CFG_ASSIGN_OR_RETURN(bool was_template,
                                ParseTemplateOption(in, canonical, &t, &set));
    if (was_template) {
      // fall through to the ';' check
    } else if (canonical == "on-error") {
      PYDEST_CFG_ASSIGN_OR_RETURN(out->on_error, ReadOnError(in));
    } else if (canonical == "time-reopen") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t seconds, in.ReadIntArg(option, 1));
      out->time_reopen = absl::Seconds(seconds);
    } else if (canonical == "log-fifo-size") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, in.ReadIntArg(option, 1));
      out->log_fifo_size = static_cast<size_t>(n);
    } else if (canonical == "target") {
      PYDEST_CFG_ASSIGN_OR_RETURN(out->target, ReadTarget(in));
    } else if (canonical == "keep-hostname") {
      PYDEST_CFG_ASSIGN_OR_RETURN(out->keep_hostname, in.ReadBoolArg(option));
    } else {
      // stats-freq(), chain-hostnames(), dns-cache(), ...
      PYDEST_CFG_RETURN_IF_ERROR(in.SkipBalanced(open));
    }
    PYDEST_CFG_RETURN_IF_ERROR(
        in.Expect(TokenKind::kSemicolon,
                  absl::StrCat("';' after ", option))
            .status());
  }
  if (set.frac_digits) out->frac_digits = t.frac_digits;
  if (set.ts_format) out->ts_format = t.ts_format;
  if (set.local_time_zone) out->local_time_zone = t.local_time_zone;
  if (set.send_time_zone) out->send_time_zone = t.send_time_zone;
  return absl::OkStatus();
}

void ApplyGlobalDefaults(const GlobalDefaults& d, const ExplicitOptions& set,
                         DestinationOptions* out) {
  if (set.dead_letter != nullptr && out->dead_letter.has_value() &&
      out->dead_letter->python != nullptr) {
    auto second =
        std::make_shared<DestinationOptions>(*out->dead_letter->python);
    ApplyGlobalDefaults(d, *set.dead_letter, second.get());
    out->dead_letter->python = std::move(second);
  }
  if (d.on_error && !set.on_error) out->on_error = *d.on_error;
  if (d.time_reopen && !set.time_reopen) out->time_reopen = *d.time_reopen;
  if (d.log_fifo_size && !set.log_fifo_size)
    out->log_fifo_size = *d.log_fifo_size;
  if (d.target && !set.target) out->target = *d.target;
  TemplateOptions& t = out->template_options;
  if (d.frac_digits && !set.frac_digits) t.frac_digits = *d.frac_digits;
  if (d.ts_format && !set.ts_format) t.ts_format = *d.ts_format;
  if (d.local_time_zone && !set.local_time_zone)
    t.local_time_zone = *d.local_time_zone;
  if (d.send_time_zone && !set.send_time_zone)
    t.send_time_zone = *d.send_time_zone;
}

}  // namespace config_internal
}  // namespace pydest

namespace pydest {

absl::StatusOr<DestinationOptions> ParsePythonOptions(
    std::string_view text, std::string_view filename) {
  using config_internal::Token;
  using config_internal::TokenKind;
  config_internal::TokenStream in{std::string(text), std::string(filename)};
  DestinationOptions options;
  config_internal::ExplicitOptions explicit_options;
  PYDEST_CFG_ASSIGN_OR_RETURN(Token first, in.Peek());
  bool wrapped = first.kind == TokenKind::kWord && first.text == "python";
  Token keyword = first;
  if (wrapped) {
    PYDEST_CFG_RETURN_IF_ERROR(in.Next().status());
    PYDEST_CFG_RETURN_IF_ERROR(
        in.Expect(TokenKind::kLParen, "'(' after 'python'").status());
  } else {
    keyword.text = "python";
  }
  if (!wrapped) {
    PYDEST_CFG_RETURN_IF_ERROR(config_internal::ParsePythonBody(
        in, keyword, &options, &explicit_options, /*until_end=*/true));
    return options;
  }
  PYDEST_CFG_RETURN_IF_ERROR(config_internal::ParsePythonBody(
      in, keyword, &options, &explicit_options));
  PYDEST_CFG_ASSIGN_OR_RETURN(Token rest, in.Next());
  if (rest.kind == TokenKind::kSemicolon) {
    PYDEST_CFG_ASSIGN_OR_RETURN(rest, in.Next());
  }
  if (rest.kind != TokenKind::kEnd) {
    return in.ErrorAt(rest.pos,
                      absl::StrCat("unexpected ", DescribeToken(rest),
                                   " after python(...)"));
  }
  return options;
}

}  // namespace pydest
