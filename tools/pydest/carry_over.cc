#include "tools/pydest/carry_over.h"

#include <algorithm>

#include "pydest/outcome.h"

namespace pydest::cli {

void CarryOver::Offer(const Message& message, const OutcomeReport& report) {
  if (report.outcome != Outcome::kDroppedShutdown || !collecting_.load()) {
    return;
  }
  absl::MutexLock lock(&mu_);
  kept_.emplace_back(report.context, message);
}

std::vector<Message> CarryOver::Take() {
  std::vector<std::pair<uint64_t, Message>> kept;
  {
    absl::MutexLock lock(&mu_);
    kept.swap(kept_);
  }
  // A shutdown reports the workers' batches, then what the queue held; with
  // several workers their batches interleave. The contexts put them back in
  // the order they came in.
  std::stable_sort(kept.begin(), kept.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Message> out;
  out.reserve(kept.size());
  for (auto& [context, message] : kept) out.push_back(std::move(message));
  return out;
}

}  // namespace pydest::cli
