#include "libpydest/process/log_line.h"

#include <climits>
#include <utility>

#include "libpydest/process/worker_protocol.h"

namespace pydest::internal {
namespace {

static_assert(kMaxLogLineBytes <= PIPE_BUF, "a line must be one atomic write");

// ASCII RS, then a name: what no ordinary output line starts with.
constexpr std::string_view kMarker = "\x1epydest-log ";

int Nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> LogLineOf(const LogRecord& record) {
  static const char kHex[] = "0123456789abcdef";
  const std::string bytes = EncodeLogRecord(record);
  if (kMarker.size() + 2 * bytes.size() + 1 > kMaxLogLineBytes) {
    return std::nullopt;
  }
  std::string line(kMarker);
  line.reserve(kMarker.size() + 2 * bytes.size() + 1);
  for (unsigned char c : bytes) {
    line.push_back(kHex[c >> 4]);
    line.push_back(kHex[c & 15]);
  }
  line.push_back('\n');
  return line;
}

std::optional<LogRecord> LogRecordOfLine(std::string_view line) {
  if (line.substr(0, kMarker.size()) != kMarker) return std::nullopt;
  line.remove_prefix(kMarker.size());
  if (line.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  bytes.reserve(line.size() / 2);
  for (size_t i = 0; i < line.size(); i += 2) {
    const int hi = Nibble(line[i]);
    const int lo = Nibble(line[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(hi * 16 + lo));
  }
  absl::StatusOr<LogRecord> record = DecodeLogRecord(bytes);
  if (!record.ok()) return std::nullopt;
  return std::move(*record);
}

}  // namespace pydest::internal
