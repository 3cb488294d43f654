// ParseLine: format auto-detection and dispatch to the readers; ParseStats;
// format names.
#include <string_view>

#include "libpydest/parse/reader_util.h"
#include "libpydest/parse/readers.h"
#include "pydest/parse.h"

namespace pydest {

void ParseStats::Count(const Message& message) {
  ++parsed;
  uint32_t flags = message.flags();
  if (flags & kMessageParseError) ++parse_errors;
  if (flags & kMessageTruncated) ++truncated;
  if (flags & kMessageInvalidUtf8) ++invalid_utf8;
}

InputFormat DetectInputFormat(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i < line.size() && line[i] == '{') return InputFormat::kJson;
  // "<PRI>1 ": the RFC 5424 version field right after the PRI.
  if (!line.empty() && line[0] == '<') {
    size_t j = 1;
    while (j < line.size() && j <= 3 && line[j] >= '0' && line[j] <= '9') ++j;
    if (j > 1 && j + 2 < line.size() && line[j] == '>' && line[j + 1] == '1' &&
        line[j + 2] == ' ') {
      return InputFormat::kRfc5424;
    }
  }
  return InputFormat::kRfc3164;
}

Message ParseLine(std::string_view line, InputFormat format,
                  const ParseOptions& options) {
  parse_internal::PreparedLine prepared =
      parse_internal::PrepareLine(line, options);
  if (format == InputFormat::kAuto) format = DetectInputFormat(prepared.text);
  switch (format) {
    case InputFormat::kRfc5424:
      return parse_internal::ReadRfc5424(prepared, options);
    case InputFormat::kJson:
      return parse_internal::ReadJsonLine(prepared, options);
    case InputFormat::kNoParse:
      return parse_internal::WholeLineMessage(prepared, options, 0);
    case InputFormat::kRfc3164:
    case InputFormat::kAuto:
      break;
  }
  return parse_internal::ReadRfc3164(prepared, options);
}

Message ParseLine(std::string_view line, InputFormat format,
                  const ParseOptions& options, ParseStats* stats) {
  Message message = ParseLine(line, format, options);
  if (stats != nullptr) stats->Count(message);
  return message;
}

bool ParseInputFormatName(std::string_view name, InputFormat* format) {
  struct Entry {
    std::string_view name;
    InputFormat format;
  };
  static constexpr Entry kNames[] = {
      {"auto", InputFormat::kAuto},       {"rfc3164", InputFormat::kRfc3164},
      {"bsd", InputFormat::kRfc3164},     {"rfc5424", InputFormat::kRfc5424},
      {"syslog", InputFormat::kRfc5424},  {"json", InputFormat::kJson},
      {"no-parse", InputFormat::kNoParse},
  };
  for (const Entry& e : kNames) {
    if (e.name == name) {
      *format = e.format;
      return true;
    }
  }
  return false;
}

}  // namespace pydest
