// Test support: reading the syslog-ng golden vectors (PYDEST_GOLDEN_DIR) and
// turning one recorded result into the pieces a macro test needs — the raw
// input line, the expected values, and the clocks syslog-ng used.
//
// Test-only; not thread-safe (plain data).
#ifndef TESTS_MESSAGE_GOLDEN_CASE_H_
#define TESTS_MESSAGE_GOLDEN_CASE_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pydest/message.h"

namespace pydest::testing {

// The golden directory, or "" when PYDEST_GOLDEN_DIR is unset or missing.
std::string GoldenDir();

// Decodes a Python bytes literal (b'...' or b"..." with \\, \', \", \n, \r,
// \t and \xNN escapes) into raw bytes. nullopt if it is not one.
std::optional<std::string> DecodeBytesRepr(std::string_view repr);

// One delivered result of a golden case file.
struct GoldenResult {
  std::string input_set;  // "rfc3164" or "rfc5424"
  int input_index = 0;
  std::string input;      // raw bytes of the line
  // key -> value bytes, for every value recorded as bytes.
  std::map<std::string, std::string> output;

  const std::string* Find(const std::string& key) const;
  // The timestamp of a macro family ("S_", "R_", "C_", "P_") rebuilt from
  // <P>UNIXTIME, <P>USEC and <P>TZOFFSET; nullopt when they are missing.
  std::optional<Timestamp> Clock(std::string_view prefix) const;
};

struct GoldenFile {
  std::string case_name;
  std::set<std::string> time_dependent_keys;
  std::vector<GoldenResult> results;  // delivered ones only
};

// Loads <dir>/<name>; false (with a message in *error) on failure.
bool LoadGoldenFile(const std::string& dir, const std::string& name,
                    GoldenFile* file, std::string* error);

}  // namespace pydest::testing

#endif  // TESTS_MESSAGE_GOLDEN_CASE_H_
