#include "libpydest/config/include_files.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace pydest {
namespace config_internal {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(absl::StrCat("cannot read '", path, "'"));
  }
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::vector<std::string> ExpandInclude(const std::string& pattern) {
  std::vector<std::string> out;
  glob_t matches;
  if (glob(pattern.c_str(), 0, nullptr, &matches) == 0) {
    for (size_t i = 0; i < matches.gl_pathc; ++i) {
      std::string path = matches.gl_pathv[i];
      std::error_code ec;
      if (std::filesystem::is_directory(path, ec)) {
        std::vector<std::string> entries;
        for (const auto& entry :
             std::filesystem::directory_iterator(path, ec)) {
          std::string name = entry.path().filename().string();
          if (name.empty() || name[0] == '.' || name.back() == '~') continue;
          if (entry.is_regular_file(ec)) entries.push_back(entry.path());
        }
        std::sort(entries.begin(), entries.end());
        out.insert(out.end(), entries.begin(), entries.end());
      } else {
        out.push_back(path);
      }
    }
  }
  globfree(&matches);
  return out;
}

}  // namespace config_internal
}  // namespace pydest
