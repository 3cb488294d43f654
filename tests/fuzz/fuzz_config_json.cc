// Fuzzes the JSON form of the destination options
// (pydest::DestinationOptionsFromJson, docs/config-json.md); what parses is
// used as the host would use it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_config_support.h"
#include "pydest/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto options = pydest::DestinationOptionsFromJson(json);
  if (options.ok()) pydest::fuzz::UseOptions(*options);
  return 0;
}
