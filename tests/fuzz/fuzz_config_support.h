// What the two configuration harnesses do with the options they parsed:
// what the host does at start-up (compile value-pairs) and per message
// (evaluate it, and the macros under the destination's template options).
// Not thread-safe, like fuzz_support.h.
#ifndef TESTS_FUZZ_FUZZ_CONFIG_SUPPORT_H_
#define TESTS_FUZZ_FUZZ_CONFIG_SUPPORT_H_

#include "fuzz_support.h"
#include "libpydest/value_pairs/value_pairs.h"
#include "pydest/destination_options.h"
#include "pydest/message.h"

namespace pydest::fuzz {

// Compiles options.value_pairs (if set) and evaluates it and every macro
// on the rich message. A value-pairs() the parser accepted must compile:
// both forms report a bad template at the place it was written.
inline void UseOptions(const DestinationOptions& options) {
  EvaluateEverything(RichMessage(), &options.template_options);
  if (!options.value_pairs) return;
  internal::ValuePairsOptions vp_options;
  vp_options.version = options.version;
  vp_options.on_error = options.on_error;
  auto vp = internal::ValuePairs::Compile(*options.value_pairs, vp_options);
  if (!vp.ok()) __builtin_trap();
  internal::MacroContext ctx = FixedContext(&options.template_options);
  internal::Record record;
  internal::EvaluationReport report;
  (*vp)->Evaluate(RichMessage(), ctx, &record, &report);
  (*vp)->Evaluate(Message(), ctx, &record, &report);
}

}  // namespace pydest::fuzz

#endif  // TESTS_FUZZ_FUZZ_CONFIG_SUPPORT_H_
