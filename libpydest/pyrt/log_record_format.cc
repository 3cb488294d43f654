#include "libpydest/pyrt/log_record_format.h"

namespace pydest::internal {

std::string FormatLogRecord(const LogRecord& record) {
  std::string line = record.text;
  for (size_t i = 0; i < record.tags.size(); ++i) {
    line += i == 0 ? "; " : ", ";
    line += record.tags[i].first;
    line += "='";
    line += record.tags[i].second;
    line += "'";
  }
  if (!record.traceback.empty()) {
    line += "\n";
    line += record.traceback;
    if (line.back() == '\n') line.pop_back();
  }
  return line;
}

}  // namespace pydest::internal
