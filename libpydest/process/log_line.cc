#include "libpydest/process/log_line.h"

#include <algorithm>
#include <climits>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "libpydest/process/worker_protocol.h"

namespace pydest::internal {
namespace {

static_assert(kMaxLogLineBytes <= PIPE_BUF, "a line must be one atomic write");

// ASCII RS, then a name: what no ordinary output line starts with.
constexpr absl::string_view kMarker = "\x1epydest-log ";

}  // namespace

std::optional<std::string> LogLineOf(const LogRecord& record) {
  const std::string bytes = EncodeLogRecord(record);
  if (kMarker.size() + 2 * bytes.size() + 1 > kMaxLogLineBytes) {
    return std::nullopt;
  }
  return absl::StrCat(kMarker, absl::BytesToHexString(bytes), "\n");
}

std::optional<LogRecord> LogRecordOfLine(std::string_view line) {
  if (absl::string_view(line.data(), line.size()).substr(0, kMarker.size()) !=
      kMarker) {
    return std::nullopt;
  }
  line.remove_prefix(kMarker.size());
  // HexStringToBytes checks nothing itself.
  if (line.size() % 2 != 0 ||
      !std::all_of(line.begin(), line.end(),
                   [](char c) { return absl::ascii_isxdigit(c); })) {
    return std::nullopt;
  }
  absl::StatusOr<LogRecord> record = DecodeLogRecord(absl::HexStringToBytes(
      absl::string_view(line.data(), line.size())));
  if (!record.ok()) return std::nullopt;
  return std::move(*record);
}

}  // namespace pydest::internal
