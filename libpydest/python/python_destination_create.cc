// PythonDestination::Create: compiles value-pairs, then loads the class.
// In a file of its own so that code which injects a compiled plan (tests,
// CreateWithValuePairs) does not link the value-pairs compiler.
#include "libpydest/python/python_destination.h"

namespace pydest::internal {

absl::StatusOr<std::unique_ptr<PythonDestination>> PythonDestination::Create(
    const DestinationOptions& options,
    std::shared_ptr<DestinationCounters> counters) {
  std::shared_ptr<const ValuePairs> plan;
  if (options.value_pairs) {
    ValuePairsOptions vp_options;
    vp_options.version = options.version;
    vp_options.on_error = options.on_error;
    auto compiled = ValuePairs::Compile(*options.value_pairs, vp_options);
    if (!compiled.ok()) return compiled.status();
    plan = std::move(*compiled);
  }
  return CreateWithValuePairs(options, std::move(plan), std::move(counters));
}

}  // namespace pydest::internal
