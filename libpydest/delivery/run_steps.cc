// RunSteps and the default Driver::SendRun (driver.h): the per-message step
// of the worker (Worker::InsertOne) repeated over a run of messages, with
// the stop rules the worker applies between two steps.
#include <time.h>

#include "libpydest/delivery/driver.h"

namespace pydest::internal {
namespace {

int64_t MonotonicNanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

bool Continues(DeliveryResult result) {
  return result == DeliveryResult::kSuccess ||
         result == DeliveryResult::kQueued ||
         result == DeliveryResult::kExplicitAckMgmt;
}

}  // namespace

bool RunStopsAfter(const RunStep& step, RunLimits* limits) {
  if (!step.connected || !Continues(step.result)) return true;
  if (step.result == DeliveryResult::kSuccess) {
    limits->pending = 0;
  } else {
    ++limits->pending;
    if (step.result == DeliveryResult::kQueued) limits->batching = true;
  }
  return limits->batching &&
         static_cast<int64_t>(limits->pending) >= limits->batch_lines;
}

size_t RunSteps(Driver* driver, const QueuedMessage* const* messages,
                size_t count, RunLimits limits, RunStep* steps,
                RunObserver* observer) {
  // One clock read per step: a send() starts when the step before it ended.
  int64_t now = MonotonicNanos();
  for (size_t i = 0; i < count; ++i) {
    if (observer != nullptr && observer->StopBeforeStep(now)) return i;
    RunStep& step = steps[i];
    step = RunStep{};
    if (driver->HasIsOpened()) {
      if (observer != nullptr) observer->CallStarted(now);
      step.connected = driver->IsOpened();
      if (!step.connected) step.connected = driver->Open();
      now = MonotonicNanos();
    }
    if (!step.connected) {
      step.result = DeliveryResult::kNotConnected;
    } else {
      if (observer != nullptr) observer->CallStarted(now);
      step.result = driver->Send(*messages[i]);
      const int64_t end = MonotonicNanos();
      step.send_nanos = end - now;
      now = end;
    }
    if (observer != nullptr) observer->StepDone(i, step);
    if (RunStopsAfter(step, &limits)) return i + 1;
  }
  return count;
}

size_t Driver::SendRun(const QueuedMessage* const* messages, size_t count,
                       RunLimits limits, RunStep* steps) {
  return RunSteps(this, messages, count, limits, steps);
}

}  // namespace pydest::internal
