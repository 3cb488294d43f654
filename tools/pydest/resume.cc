#include "tools/pydest/resume.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace pydest::cli {
namespace {

absl::Status Bad(const std::string& path, const std::string& why) {
  return absl::InvalidArgumentError(
      absl::StrCat("--resume ", path, ": ", why));
}

}  // namespace

absl::Status ApplyResume(const std::string& stats_json_path,
                         const std::vector<InputFile>& inputs,
                         std::vector<std::string>* notes) {
  std::ifstream in(stats_json_path);
  if (!in) return Bad(stats_json_path, std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json doc =
      nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("input") ||
      !doc["input"].is_object() || !doc["input"].contains("positions") ||
      !doc["input"]["positions"].is_array()) {
    return Bad(stats_json_path,
               "not the --stats-json of a pydest run (no input.positions)");
  }
  for (const nlohmann::json& p : doc["input"]["positions"]) {
    if (!p.is_object() || !p.contains("path") || !p["path"].is_string() ||
        !p.contains("offset") || !p["offset"].is_number_unsigned()) {
      return Bad(stats_json_path, "a position without path and offset");
    }
    const std::string path = p["path"].get<std::string>();
    const uint64_t offset = p["offset"].get<uint64_t>();
    for (const InputFile& input : inputs) {
      if (input.is_stdin() || input.path() != path) continue;
      struct stat st;
      if (::fstat(input.fd(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return Bad(stats_json_path,
                   absl::StrCat(path, " is no longer a regular file"));
      }
      if (p.value("device", uint64_t{0}) != static_cast<uint64_t>(st.st_dev) ||
          p.value("inode", uint64_t{0}) != static_cast<uint64_t>(st.st_ino)) {
        return Bad(stats_json_path,
                   absl::StrCat(path, " is not the file that was read (another "
                                "file under that name: rotated?); start it "
                                "without --resume"));
      }
      if (static_cast<uint64_t>(st.st_size) < offset) {
        return Bad(stats_json_path,
                   absl::StrCat(path, " is shorter (", st.st_size,
                                " bytes) than where it was read up to (",
                                offset, "): truncated?"));
      }
      if (::lseek(input.fd(), static_cast<off_t>(offset), SEEK_SET) < 0) {
        return Bad(stats_json_path,
                   absl::StrCat(path, ": ", std::strerror(errno)));
      }
      notes->push_back(absl::StrCat(path, ": resuming at byte ", offset));
    }
  }
  return absl::OkStatus();
}

}  // namespace pydest::cli
