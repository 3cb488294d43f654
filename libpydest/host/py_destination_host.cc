// PyDestinationHost (include/pydest/host.h): a PythonDestination (the
// class, its instances, init/deinit on the calling thread) driven by a
// Delivery (queue and one worker thread per instance).
#include <algorithm>
#include <memory>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "libpydest/delivery/delivery.h"
#include "libpydest/host/default_log_sink.h"
#include "libpydest/host/open_disk_buffer.h"
#include "libpydest/python/python_destination.h"
#include "pydest/host.h"

namespace pydest {
namespace {

using internal::Delivery;
using internal::Driver;
using internal::PythonDestination;

// Of the time Shutdown is given, the part kept for the final flush(),
// close() and deinit() after draining stops: a fifth, at most 1 s.
absl::Duration CloseReserve(absl::Duration total) {
  if (total <= absl::ZeroDuration()) return absl::ZeroDuration();
  return std::min(total / 5, absl::Seconds(1));
}

class PyDestinationHostImpl final : public PyDestinationHost {
 public:
  PyDestinationHostImpl(std::shared_ptr<PythonDestination> python,
                        std::unique_ptr<Delivery> delivery)
      : python_(std::move(python)), delivery_(std::move(delivery)) {}

  ~PyDestinationHostImpl() override {
    const absl::Status st = Shutdown(absl::Now() + absl::Seconds(1));
    if (absl::IsDeadlineExceeded(st)) {
      // An abandoned worker still holds the destination and may drop the
      // last reference on its own thread when its call returns; the Python
      // objects must not be released there (PythonDestination is torn down
      // on its owner's thread), so they are deliberately kept for the
      // process's lifetime.
      new std::shared_ptr<PythonDestination>(python_);
    }
  }

  using PyDestinationHost::Send;
  using PyDestinationHost::TrySend;
  using PyDestinationHost::TrySendBatch;

  absl::Status Send(Message message, uint64_t context) override {
    return delivery_->Send(std::move(message), context);
  }
  bool TrySend(Message message, uint64_t context) override {
    return delivery_->TrySend(std::move(message), context);
  }
  size_t TrySendBatch(absl::Span<const Message> messages,
                      absl::Span<const uint64_t> contexts) override {
    return delivery_->TrySendBatch(messages, contexts);
  }
  absl::Status Flush(absl::Time deadline) override {
    return delivery_->Flush(deadline);
  }

  absl::Status Shutdown(absl::Time deadline) override {
    absl::MutexLock lock(&shutdown_mu_);
    if (shut_down_) return shutdown_status_;
    shut_down_ = true;
    const absl::Time now = absl::Now();
    const absl::Time drain = deadline - CloseReserve(deadline - now);
    shutdown_status_ = delivery_->Shutdown(drain, deadline);
    // deinit() on this thread, after the workers' close step
    // (syslog-ng-behaviour.md §2.5).
    python_->Deinit();
    return shutdown_status_;
  }

  DestinationStats stats() const override { return delivery_->stats(); }

 private:
  // Shared with the worker threads: an abandoned worker keeps it alive.
  std::shared_ptr<PythonDestination> python_;
  std::unique_ptr<Delivery> delivery_;
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
  absl::Status shutdown_status_ ABSL_GUARDED_BY(shutdown_mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<PyDestinationHost>> PyDestinationHost::Create(
    const DestinationOptions& options) {
  DestinationOptions opts = options;
  if (!opts.log_sink) opts.log_sink = internal::DefaultLogSink();
  if (opts.log_fifo_size == 0) {
    return absl::InvalidArgumentError("log-fifo-size() must be at least 1");
  }
  // The Python side and the delivery engine count into the same counters.
  auto counters = std::make_shared<internal::DestinationCounters>();
  absl::StatusOr<std::unique_ptr<PythonDestination>> python =
      PythonDestination::Create(opts, counters);
  if (!python.ok()) return python.status();
  std::shared_ptr<PythonDestination> shared(std::move(*python));
  std::shared_ptr<internal::DurableStore> store;
  if (opts.disk_buffer.has_value()) {
    absl::StatusOr<std::shared_ptr<internal::DurableStore>> opened =
        internal::OpenDiskBuffer(&opts, shared->persist_name(), *counters);
    if (!opened.ok()) {
      shared->Deinit();  // init() ran: undo it, nothing is left running
      return opened.status();
    }
    store = std::move(*opened);
  }
  std::vector<Driver*> drivers;
  for (int i = 0; i < shared->worker_count(); ++i) {
    drivers.push_back(shared->driver(i));
  }
  auto delivery =
      std::make_unique<Delivery>(opts, std::move(drivers), shared,
                                 internal::Clock::Real(), shared->preparer(),
                                 std::move(counters), std::move(store));
  shared->SetUnsettledCounter(delivery->UnsettledCounter());
  delivery->Start();
  return std::unique_ptr<PyDestinationHost>(
      new PyDestinationHostImpl(std::move(shared), std::move(delivery)));
}

}  // namespace pydest
