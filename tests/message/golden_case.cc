#include "golden_case.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "nlohmann/json.hpp"

namespace pydest::testing {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ParseInt(const std::string& s, int64_t* v) {
  if (s.empty()) return false;
  char* end = nullptr;
  *v = std::strtoll(s.c_str(), &end, 10);
  return end == s.c_str() + s.size();
}

}  // namespace

std::string GoldenDir() {
  const char* dir = std::getenv("PYDEST_GOLDEN_DIR");
  if (dir == nullptr || *dir == '\0') return "";
  std::ifstream probe(std::string(dir) + "/README.md");
  return probe.good() ? std::string(dir) : "";
}

std::optional<std::string> DecodeBytesRepr(std::string_view repr) {
  if (repr.size() < 3 || repr[0] != 'b') return std::nullopt;
  char quote = repr[1];
  if ((quote != '\'' && quote != '"') || repr.back() != quote) {
    return std::nullopt;
  }
  std::string_view body = repr.substr(2, repr.size() - 3);
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= body.size()) return std::nullopt;
    switch (body[i]) {
      case '\\': out.push_back('\\'); break;
      case '\'': out.push_back('\''); break;
      case '"': out.push_back('"'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'x': {
        if (i + 2 >= body.size()) return std::nullopt;
        int hi = HexValue(body[i + 1]);
        int lo = HexValue(body[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        break;
      }
      default:
        return std::nullopt;
    }
  }
  return out;
}

const std::string* GoldenResult::Find(const std::string& key) const {
  auto it = output.find(key);
  return it == output.end() ? nullptr : &it->second;
}

std::optional<Timestamp> GoldenResult::Clock(std::string_view prefix) const {
  std::string p(prefix);
  const std::string* sec = Find(p + "UNIXTIME");
  const std::string* usec = Find(p + "USEC");
  const std::string* tz = Find(p + "TZOFFSET");
  int64_t s = 0, u = 0;
  if (sec == nullptr || usec == nullptr || tz == nullptr ||
      !ParseInt(*sec, &s) || !ParseInt(*usec, &u) || tz->size() != 6) {
    return std::nullopt;
  }
  const std::string& z = *tz;  // "+HH:MM"
  int32_t offset = ((z[1] - '0') * 10 + (z[2] - '0')) * 3600 +
                   ((z[4] - '0') * 10 + (z[5] - '0')) * 60;
  if (z[0] == '-') offset = -offset;
  Timestamp t;
  t.unix_seconds = s;
  t.microseconds = static_cast<int32_t>(u);
  t.utc_offset_seconds = offset;
  return t;
}

bool LoadGoldenFile(const std::string& dir, const std::string& name,
                    GoldenFile* file, std::string* error) {
  std::ifstream in(dir + "/" + name);
  if (!in) {
    *error = "cannot open " + dir + "/" + name;
    return false;
  }
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *error = name + ": not a JSON object";
    return false;
  }
  file->case_name = j.value("case", "");
  for (const auto& k : j.value("time_dependent_keys", nlohmann::json::array())) {
    if (k.is_string()) file->time_dependent_keys.insert(k.get<std::string>());
  }
  for (const auto& r : j.value("results", nlohmann::json::array())) {
    if (!r.value("delivered", false) || !r.contains("output") ||
        !r["output"].is_object()) {
      continue;
    }
    GoldenResult res;
    res.input_set = r.value("input_set", "");
    res.input_index = r.value("input_index", 0);
    std::optional<std::string> input =
        DecodeBytesRepr(r.value("input_bytes_repr", ""));
    if (!input) {
      *error = name + ": undecodable input_bytes_repr";
      return false;
    }
    res.input = *input;
    for (const auto& [key, typed] : r["output"].items()) {
      if (!typed.is_array() || typed.size() != 2 || typed[0] != "bytes") {
        continue;
      }
      std::optional<std::string> value =
          DecodeBytesRepr(typed[1].get<std::string>());
      if (!value) {
        *error = name + ": undecodable value of " + key;
        return false;
      }
      res.output[key] = *value;
    }
    file->results.push_back(std::move(res));
  }
  return true;
}

}  // namespace pydest::testing
