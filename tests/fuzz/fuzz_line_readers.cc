// Fuzzes the line readers (include/pydest/parse.h) and then every macro and
// value-pairs(scope(everything)) of the message they produce.
//
// Input: one selector byte, then the line. The selector's low two bits pick
// the reader (0 auto, 1 RFC 3164, 2 RFC 5424, 3 JSON lines: '0'...'3' in a
// corpus file), and its higher bits the options: bit 2 a 64-byte
// log-msg-size (truncation), bit 3 a json prefix, bit 4 a +05:30 receiving
// zone, bit 5 a receive time in early January (RFC 3164 year guessing).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/time/time.h"
#include "fuzz_support.h"
#include "pydest/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  std::string_view line(reinterpret_cast<const char*>(data) + 1, size - 1);

  static constexpr pydest::InputFormat kFormats[] = {
      pydest::InputFormat::kAuto, pydest::InputFormat::kRfc3164,
      pydest::InputFormat::kRfc5424, pydest::InputFormat::kJson};
  pydest::ParseOptions options;
  options.max_line_size = (selector & 4) ? 64 : 65536;
  options.json_prefix = (selector & 8) ? ".json." : "";
  options.local_utc_offset_seconds = (selector & 16) ? 5 * 3600 + 1800 : 0;
  options.received = absl::FromUnixSeconds(
      (selector & 32) ? 1704067200 + 3600  // 2024-01-01T01:00:00Z
                      : pydest::fuzz::kFuzzEpoch);
  options.host_from = "fuzzhost";
  options.source_name = "s_fuzz";
  options.file_name = "/var/log/fuzz.log";

  pydest::ParseStats stats;
  pydest::Message msg =
      pydest::ParseLine(line, kFormats[selector & 3], options, &stats);
  if (stats.parsed != 1) __builtin_trap();
  pydest::fuzz::EvaluateEverything(msg);
  return 0;
}
