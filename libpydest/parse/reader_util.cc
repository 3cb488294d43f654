// Shared pieces of the readers; see reader_util.h.
#include "libpydest/parse/reader_util.h"

#include <unistd.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/time/clock.h"
#include "libpydest/parse/timestamps.h"

namespace pydest::parse_internal {
namespace {

constexpr int kMaxPri = 191;  // facility 23, severity 7

const std::string& MachineHostName() {
  // syslog-ng's use-fqdn(no): HOST_FROM is the short name.
  static const std::string* name = [] {
    char buf[HOST_NAME_MAX + 1] = {};
    std::string n;
    if (gethostname(buf, sizeof(buf) - 1) == 0) n = buf;
    size_t dot = n.find('.');
    if (dot != std::string::npos && dot > 0) n.resize(dot);
    if (n.empty()) n = "localhost";
    return new std::string(std::move(n));
  }();
  return *name;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    // Log lines are mostly ASCII: eight bytes at a time while no byte has
    // its high bit set.
    while (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, sizeof(word));
      if (word & 0x8080808080808080ull) break;
      p += 8;
    }
    if (p == end) break;
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p < len) return false;
    for (int i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are
    // not UTF-8 (Python's bytes.decode('utf-8') rejects them too).
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    p += len;
  }
  return true;
}

PreparedLine PrepareLine(std::string_view line, const ParseOptions& options) {
  PreparedLine out;
  // syslog-ng drops trailing newlines and NUL bytes (NUL-terminated
  // senders); a CR of a CRLF line ending goes too.
  while (!line.empty() && (line.back() == '\n' || line.back() == '\0')) {
    line.remove_suffix(1);
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // syslog-ng's log-msg-size(): longer input is cut, not dropped.
  if (options.max_line_size > 0 && line.size() > options.max_line_size) {
    line = line.substr(0, options.max_line_size);
    out.flags |= kMessageTruncated;
  }
  if (!IsValidUtf8(line)) out.flags |= kMessageInvalidUtf8;
  out.text = line;
  out.received = options.received.value_or(absl::Now());
  return out;
}

std::string_view HostFrom(const ParseOptions& options) {
  if (!options.host_from.empty()) return options.host_from;
  return MachineHostName();
}

MessageBuilder StartMessage(const PreparedLine& line,
                            const ParseOptions& options) {
  MessageBuilder b;
  b.SetReceived(Timestamp::FromTime(line.received,
                                    LocalOffsetAt(options, line.received)));
  b.SetPri(options.default_pri);
  b.AddFlags(line.flags);
  b.Set(kHostFrom, HostFrom(options));
  if (!options.source_name.empty()) {
    b.Set(kSource, options.source_name);
    // syslog-ng tags every message with the source it came from.
    b.AddTag(".source." + options.source_name);
  }
  if (!options.file_name.empty()) b.Set(kFileName, options.file_name);
  return b;
}

void StampWithReceiveTime(const PreparedLine& line,
                          const ParseOptions& options, MessageBuilder* b) {
  b->SetStamp(Timestamp::FromTime(line.received,
                                  LocalOffsetAt(options, line.received)));
}

Message WholeLineMessage(const PreparedLine& line, const ParseOptions& options,
                         uint32_t flags) {
  MessageBuilder b = StartMessage(line, options);
  StampWithReceiveTime(line, options, &b);
  b.AddFlags(flags);
  b.SetHost(HostFrom(options));
  b.SetText(line.text);
  return b.Build();
}

Message ParseErrorMessage(const PreparedLine& line,
                          const ParseOptions& options) {
  return WholeLineMessage(line, options, kMessageParseError);
}

std::string_view LineHost(std::string_view host_in_line,
                          const ParseOptions& options) {
  return options.keep_hostname ? host_in_line : HostFrom(options);
}

PriResult ConsumePri(std::string_view* in, int* pri) {
  if (in->empty() || (*in)[0] != '<') return PriResult::kNone;
  size_t i = 1;
  int value = 0;
  while (i < in->size() && i <= 3 && (*in)[i] >= '0' && (*in)[i] <= '9') {
    value = value * 10 + ((*in)[i] - '0');
    ++i;
  }
  if (i == 1 || i >= in->size() || (*in)[i] != '>' || value > kMaxPri) {
    return PriResult::kMalformed;
  }
  in->remove_prefix(i + 1);
  *pri = value;
  return PriResult::kValid;
}

}  // namespace pydest::parse_internal
