#include "libpydest/types/type_converter.h"

#include "libpydest/types/casts.h"

namespace pydest::internal {
namespace {

struct OnErrorEntry {
  OnError policy;
  const char* name;
};
constexpr OnErrorEntry kOnErrorNames[] = {
    {OnError::kDropMessage, "drop-message"},
    {OnError::kDropProperty, "drop-property"},
    {OnError::kFallbackToString, "fallback-to-string"},
    {OnError::kSilentlyDropMessage, "silently-drop-message"},
    {OnError::kSilentlyDropProperty, "silently-drop-property"},
    {OnError::kSilentlyFallbackToString, "silently-fallback-to-string"},
};

}  // namespace

bool OnErrorIsSilent(OnError policy) {
  return policy == OnError::kSilentlyDropMessage ||
         policy == OnError::kSilentlyDropProperty ||
         policy == OnError::kSilentlyFallbackToString;
}

OnError OnErrorBase(OnError policy) {
  switch (policy) {
    case OnError::kSilentlyDropMessage:
      return OnError::kDropMessage;
    case OnError::kSilentlyDropProperty:
      return OnError::kDropProperty;
    case OnError::kSilentlyFallbackToString:
      return OnError::kFallbackToString;
    default:
      return policy;
  }
}

const char* OnErrorName(OnError policy) {
  for (const OnErrorEntry& e : kOnErrorNames) {
    if (e.policy == policy) return e.name;
  }
  return "drop-message";
}

bool ParseOnError(std::string_view text, OnError* out) {
  for (const OnErrorEntry& e : kOnErrorNames) {
    std::string_view name(e.name);
    // syslog-ng accepts '_' for '-' in option values.
    if (name.size() != text.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      char c = text[i] == '_' ? '-' : text[i];
      same = c == name[i];
    }
    if (same) {
      *out = e.policy;
      return true;
    }
  }
  return false;
}

const char* TypeHintName(TypeHint hint) {
  switch (hint) {
    case TypeHint::kNone: return "";
    case TypeHint::kString: return "string";
    case TypeHint::kLiteral: return "literal";
    case TypeHint::kInt32: return "int32";
    case TypeHint::kInt64: return "int64";
    case TypeHint::kDouble: return "double";
    case TypeHint::kBoolean: return "boolean";
    case TypeHint::kDateTime: return "datetime";
    case TypeHint::kList: return "list";
    case TypeHint::kJson: return "json";
    case TypeHint::kNull: return "null";
  }
  return "";
}

LogRecord CastingErrorRecord(std::string_view value,
                             std::string_view type_hint) {
  LogRecord r;
  r.level = LogRecord::Level::kError;
  r.text = "Casting error";
  r.tags.emplace_back("value", std::string(value));
  r.tags.emplace_back("type-hint", std::string(type_hint));
  return r;
}

TypeConverter::TypeConverter(ConfigVersion version, OnError on_error)
    : typed_(version.AtLeast(4, 0)), on_error_(on_error) {}

CastVerdict TypeConverter::Fail3x(std::string_view text,
                                  const char* type_hint,
                                  bool fallback_allowed, TypedValue* out,
                                  std::vector<LogRecord>* log) const {
  out->failed = true;
  if (log != nullptr && !OnErrorIsSilent(on_error_)) {
    log->push_back(CastingErrorRecord(text, type_hint));
  }
  switch (OnErrorBase(on_error_)) {
    case OnError::kDropMessage:
      return CastVerdict::kDropMessage;
    case OnError::kFallbackToString:
      if (fallback_allowed) {
        out->kind = TypedKind::kBytes;
        return CastVerdict::kKeep;
      }
      return CastVerdict::kOmit;
    default:
      return CastVerdict::kOmit;
  }
}

CastVerdict TypeConverter::Convert(
    TypeHint hint, std::string_view text, TypedValue* out, std::string* buffer,
    std::vector<std::pair<uint32_t, uint32_t>>* items,
    std::vector<LogRecord>* log) const {
  out->kind = TypedKind::kBytes;
  out->failed = false;
  if (hint == TypeHint::kNone || hint == TypeHint::kString) {
    return CastVerdict::kKeep;
  }
  if (!typed_) {
    // 3.38's python value-pairs converter knows strings and ints only.
    if (hint == TypeHint::kInt32 || hint == TypeHint::kInt64) {
      if (CastInt3x(text, &out->integer)) {
        out->kind = TypedKind::kInt;
        return CastVerdict::kKeep;
      }
      return Fail3x(text, "int", /*fallback_allowed=*/true, out, log);
    }
    return Fail3x(text, "<unknown>", /*fallback_allowed=*/false, out, log);
  }
  // 4.x: a failed cast silently keeps the bytes.
  switch (hint) {
    case TypeHint::kInt32:
    case TypeHint::kInt64:
      if (CastInt4x(text, &out->integer)) out->kind = TypedKind::kInt;
      break;
    case TypeHint::kDouble:
      if (CastDouble(text, &out->real)) out->kind = TypedKind::kDouble;
      break;
    case TypeHint::kBoolean: {
      bool b;
      if (CastBoolean(text, &b)) {
        out->kind = TypedKind::kBool;
        out->integer = b ? 1 : 0;
      }
      break;
    }
    case TypeHint::kDateTime:
      if (CastDateTime(text, &out->integer)) out->kind = TypedKind::kDateTime;
      break;
    case TypeHint::kList:
      SplitCommaList(text, buffer, items);
      out->kind = TypedKind::kList;
      break;
    case TypeHint::kNull:
      out->kind = TypedKind::kNull;
      break;
    default:  // json, literal: bytes
      break;
  }
  return CastVerdict::kKeep;
}

}  // namespace pydest::internal
