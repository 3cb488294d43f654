#include "libpydest/pyrt/destination_context.h"

#include <cstdio>
#include <utility>

#include "libpydest/pyrt/log_hook.h"
#include "libpydest/pyrt/log_record_format.h"
#include "libpydest/pyrt/process_guard.h"

namespace pydest::internal {
namespace {

thread_local std::shared_ptr<const DestinationContext> current_context;

std::shared_ptr<const DestinationContext> DefaultContext() {
  static const auto* context =
      new std::shared_ptr<const DestinationContext>(
          std::make_shared<DestinationContext>());
  return *context;
}

}  // namespace

void UnsettledCounter::Set(std::function<uint64_t()> count) {
  absl::MutexLock lock(&mu_);
  count_ = std::move(count);
}

uint64_t UnsettledCounter::Get() const {
  absl::MutexLock lock(&mu_);
  return count_ ? count_() : 0;
}

void DestinationContext::Log(const LogRecord& record) const {
  if (InForkedChild()) ExitForkedChild(nullptr);
  if (log_sink) {
    log_sink(record);
    return;
  }
  if (CallLogHook(record)) return;
  std::string line = FormatLogRecord(record);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

std::shared_ptr<const DestinationContext> MakeDestinationContext(
    const DestinationOptions& options,
    std::shared_ptr<DestinationCounters> counters) {
  auto c = std::make_shared<DestinationContext>();
  c->name = options.name;
  c->class_name = options.class_name;
  c->version = options.version;
  c->target = options.target;
  c->template_options = options.template_options;
  c->state_dir = options.state_dir;
  c->log_sink = options.log_sink;
  c->counters = std::move(counters);
  return c;
}

std::shared_ptr<const DestinationContext> CurrentDestination() {
  if (current_context) return current_context;
  return DefaultContext();
}

bool InDestinationScope() { return current_context != nullptr; }

DestinationScope::DestinationScope(
    const std::shared_ptr<const DestinationContext>& context) {
  if (current_context == context) return;
  active_ = true;
  previous_ = std::move(current_context);
  current_context = context;
}

DestinationScope::~DestinationScope() {
  if (active_) current_context = std::move(previous_);
}

}  // namespace pydest::internal
